package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clientregistry.linking.MatchService;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;

/**
 * Search by identifier (the store's identifier index) or by name, sex and birth date (the matching index: the
 * query is scored like a {@code $match}, so it finds what blocking finds and costs what one lookup costs, at any
 * registry size; it does not find a record that shares no blocking key with the query, such as a name alone).
 * Results are grouped by golden record. POST only: what is searched for never appears in a URL.
 */
final class SearchPage {
  private static final int MAX_GOLDENS = 20;
  private static final int MAX_MEMBERS = 10;
  private final ConsoleServices services;

  SearchPage(ConsoleServices services) {
    this.services = services;
  }

  void form(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Responses.html(ctx, 200, Html.page(v, "Search", "search", Html.flash(v) + form(v, Map.of())));
  }

  void search(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Map<String, String> q = new LinkedHashMap<>();
    for (String k : List.of("system", "value", "given", "family", "birthDate", "gender")) {
      String s = ctx.request().getFormAttribute(k);
      q.put(k, s == null ? "" : s.trim());
    }
    Future<Map<String, List<String>>> groups = !q.get("value").isEmpty() ? byIdentifier(q) : byDemographics(q);
    Responses.page(ctx, groups.compose(this::render).map(results -> Html.page(v, "Search", "search",
        form(v, q) + results)));
  }

  private Future<Map<String, List<String>>> byIdentifier(Map<String, String> q) {
    if (q.get("system").isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("Give the identifier's system with its value"));
    }
    return services.store().sourceIdsByIdentifier(q.get("system"), q.get("value")).map(ids -> {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (String id : ids) {
        services.matching().get().index().record(id)
            .ifPresent(r -> out.computeIfAbsent(r.goldenId(), g -> new ArrayList<>()).add(id));
      }
      return out;
    });
  }

  private Future<Map<String, List<String>>> byDemographics(Map<String, String> q) {
    if (q.get("family").isEmpty() && q.get("given").isEmpty() && q.get("birthDate").isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("Give an identifier, or a name and a birth date"));
    }
    return services.worker().executeBlocking(() -> {
      Patient p = new Patient();
      var name = p.addName();
      if (!q.get("family").isEmpty()) {
        name.setFamily(q.get("family"));
      }
      if (!q.get("given").isEmpty()) {
        name.addGiven(q.get("given"));
      }
      if (!q.get("birthDate").isEmpty()) {
        p.setBirthDateElement(new DateType(q.get("birthDate")));
      }
      if (!q.get("gender").isEmpty()) {
        p.setGender(AdministrativeGender.fromCode(q.get("gender")));
      }
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (MatchService.GoldenMatch m : services.search().match(p, false, MAX_GOLDENS)) {
        out.put(m.goldenId(), services.matching().get().index().members(m.goldenId()).stream()
            .map(MatchRecord::sourceId).toList());
      }
      return out;
    }, false).recover(e -> Future.failedFuture(e instanceof ca.uhn.fhir.parser.DataFormatException
        || e instanceof org.hl7.fhir.exceptions.FHIRException
        ? new IllegalArgumentException("The birth date is a date such as 1990-04-12") : e));
  }

  private Future<String> render(Map<String, List<String>> groups) {
    if (groups.isEmpty()) {
      return Future.succeededFuture("<p id=\"results\" role=\"status\">No records found.</p>");
    }
    List<Future<Optional<SourceRecord>>> reads = new ArrayList<>();
    groups.values().forEach(ids -> ids.stream().limit(MAX_MEMBERS).forEach(id -> reads.add(
        services.store().source(id))));
    return Future.all(reads).map(done -> {
      StringBuilder b = new StringBuilder("<section id=\"results\" aria-labelledby=\"results-title\"><h2 "
          + "id=\"results-title\">" + groups.size() + " golden record" + (groups.size() == 1 ? "" : "s") + "</h2>");
      int i = 0;
      for (Map.Entry<String, List<String>> g : groups.entrySet()) {
        StringBuilder rows = new StringBuilder();
        for (String id : g.getValue().stream().limit(MAX_MEMBERS).toList()) {
          Optional<SourceRecord> r = done.resultAt(i++);
          rows.append(Html.td(id, r.map(SourceRecord::clientId).orElse(""),
              r.map(x -> Demographics.summary(x.resourceJson())).orElse("")));
        }
        b.append("<article class=\"group\"><h3>").append(Html.link("/admin/golden/" + g.getKey(),
            "Golden record " + g.getKey())).append("</h3>").append(Html.table(g.getValue().size() + " member(s)",
            Html.th("Source record", "Client", "Person"), rows.toString())).append("</article>");
      }
      return b.append("</section>").toString();
    });
  }

  private static String form(Visitor v, Map<String, String> q) {
    return Html.form(v, "/admin/search", "<fieldset><legend>By identifier</legend>"
        + field("s-system", "system", "System", q) + field("s-value", "value", "Value", q) + "</fieldset>"
        + "<fieldset><legend>Or by name and birth date</legend>" + field("s-given", "given", "Given name", q)
        + field("s-family", "family", "Family name", q) + field("s-birth", "birthDate", "Birth date (YYYY-MM-DD)", q)
        + "<div class=\"field\"><label for=\"s-gender\">Sex</label><select id=\"s-gender\" name=\"gender\">"
        + option("", "any", q) + option("female", "female", q) + option("male", "male", q) + option("other", "other", q)
        + "</select></div></fieldset><button type=\"submit\" id=\"search\">Search</button>");
  }

  private static String field(String id, String name, String label, Map<String, String> q) {
    return "<div class=\"field\"><label for=\"" + id + "\">" + label + "</label><input id=\"" + id + "\" name=\""
        + name + "\" value=\"" + esc(q.getOrDefault(name, "")) + "\" autocomplete=\"off\"></div>";
  }

  private static String option(String value, String label, Map<String, String> q) {
    return "<option value=\"" + value + "\"" + (value.equals(q.getOrDefault("gender", "")) ? " selected" : "") + ">"
        + label + "</option>";
  }
}
