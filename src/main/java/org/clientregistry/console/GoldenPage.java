package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.LinkAdmin;
import org.clientregistry.store.AdminReads;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.SourceRecord;
import org.clientregistry.users.Accounts;

/** A golden record: its members and their links, its history, and break / merge / link-by-hand. */
final class GoldenPage {
  private static final int MAX_MEMBERS = 100;
  private final ConsoleServices services;

  GoldenPage(ConsoleServices services) {
    this.services = services;
  }

  void show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String id = Ids.check(ctx.pathParam("id"));
    Future<Optional<GoldenRecord>> golden = services.store().golden(id);
    Future<List<SourceRecord>> members = services.store()
        .links(new AdminReads.LinkQuery(id, null, null, 0, MAX_MEMBERS))
        .compose(page -> Future.all(page.items().stream().map(r -> services.store().source(r.id())).toList())
            .map(all -> {
              List<SourceRecord> out = new ArrayList<>();
              for (int i = 0; i < page.items().size(); i++) {
                Optional<SourceRecord> full = all.resultAt(i);
                out.add(full.orElse(page.items().get(i)));
              }
              return out;
            }));
    Future<List<LinkEvent>> history = services.store().linkHistory(null, id, 200);
    Responses.page(ctx, Future.all(golden, members, history).map(x -> {
      GoldenRecord g = golden.result().orElseThrow(() -> FhirException.notFound("There is no golden record " + id));
      return Html.page(v, "Golden record", "", Html.flash(v) + "<p>CRUID <code id=\"golden-id\">" + esc(id)
          + "</code> · version " + g.version()
          + (g.replacedBy() == null ? "" : " · merged into " + Html.link("/admin/golden/" + g.replacedBy(),
              g.replacedBy())) + "</p>" + members(v, id, members.result()) + history(history.result())
          + actions(v, id, g.version()));
    }));
  }

  void breakOff(RoutingContext ctx) {
    String id = Ids.check(ctx.pathParam("id"));
    String source = Ids.check(ctx.request().getFormAttribute("source"));
    Responses.afterChange(ctx, confirmed(ctx).compose(who -> services.links().breakOff(who, source)),
        "/admin/golden/" + id, "The record was broken off into a golden record of its own.", "/admin/golden/" + id);
  }

  void merge(RoutingContext ctx) {
    String id = Ids.check(ctx.pathParam("id"));
    String into = Ids.check(ctx.request().getFormAttribute("into"));
    Responses.afterChange(ctx, confirmed(ctx).compose(who -> services.links().merge(who, id, into)),
        "/admin/golden/" + into, "Merged: this golden record now holds the other's members.", "/admin/golden/" + id);
  }

  void link(RoutingContext ctx) {
    String id = Ids.check(ctx.pathParam("id"));
    String source = Ids.check(ctx.request().getFormAttribute("source"));
    Responses.afterChange(ctx, confirmed(ctx).compose(who -> services.links().link(who, source, id)),
        "/admin/golden/" + id, "The record was linked by hand.", "/admin/golden/" + id);
  }

  /** The actor, once the form's confirmation box is ticked and a comment given; the version seen, if sent. */
  private static Future<LinkAdmin.Actor> confirmed(RoutingContext ctx) {
    String comment = ctx.request().getFormAttribute("comment");
    if (!"yes".equals(ctx.request().getFormAttribute("confirm")) || comment == null || comment.isBlank()) {
      return Future.failedFuture(FhirException.badRequest("Tick the confirmation box and give a comment"));
    }
    String version = ctx.request().getFormAttribute("version");
    return Future.succeededFuture(new LinkAdmin.Actor(Accounts.actor(Visitor.of(ctx).user()),
        version == null || version.isBlank() ? null : "W/\"" + version + "\"", comment.trim()));
  }

  private static String members(Visitor v, String goldenId, List<SourceRecord> members) {
    StringBuilder rows = new StringBuilder();
    for (SourceRecord r : members) {
      var l = r.link();
      String breakForm = v.admin() && members.size() > 1 ? Html.form(v, "/admin/golden/" + goldenId + "/break",
          "<input type=\"hidden\" name=\"source\" value=\"" + esc(r.id()) + "\"><input type=\"hidden\" name=\"version\""
              + " value=\"" + r.version() + "\">" + Html.confirmAndComment("break-" + r.id(), "break this record off")
              + "<button type=\"submit\" class=\"danger\" id=\"break-" + esc(r.id()) + "\">Break off</button>") : "";
      rows.append(Html.td(r.id(), r.clientId(), Demographics.summary(r.resourceJson()),
          l == null ? "" : l.method(), l == null || l.score() == null ? "" : Html.num(l.score()),
          l == null ? "" : l.grade(), l == null ? "" : Html.time(l.at()), Html.raw(breakForm)));
    }
    return "<section aria-labelledby=\"members\"><h2 id=\"members\">Members (" + members.size() + ")</h2>"
        + Html.table("Source records linked to this golden record", Html.th("Source record", "Client", "Person",
            "Method", "Score", "Grade", "Linked", "Action"), rows.toString()) + "</section>";
  }

  private static String history(List<LinkEvent> events) {
    StringBuilder rows = new StringBuilder();
    for (LinkEvent e : events) {
      rows.append(Html.td(Html.time(e.at()), e.sourceId(),
          e.previousGoldenId() == null ? "(new)" : Html.golden(e.previousGoldenId()), Html.golden(e.goldenId()),
          e.facts() == null ? "" : e.facts().method(), e.actor(), e.comment()));
    }
    return "<section aria-labelledby=\"history\"><h2 id=\"history\">History</h2>" + (events.isEmpty()
        ? "<p>No link changes yet.</p>" : Html.table("Records that joined or left this golden record, oldest first",
            Html.th("When", "Source record", "From", "To", "Method", "By", "Comment"), rows.toString()))
        + "</section>";
  }

  private static String actions(Visitor v, String id, int version) {
    if (!v.admin()) {
      return "";
    }
    String base = "/admin/golden/" + id;
    return "<section aria-labelledby=\"actions\"><h2 id=\"actions\">Change</h2><div class=\"cards\">"
        + "<div class=\"card\"><h3>Merge</h3>" + Html.form(v, base + "/merge", "<input type=\"hidden\" name=\"version\""
            + " value=\"" + version + "\"><div class=\"field\"><label for=\"merge-into\">Merge into golden record (CRUID)"
            + "</label><input id=\"merge-into\" name=\"into\" required></div>"
            + Html.confirmAndComment("merge", "move every member into that golden record")
            + "<button type=\"submit\" id=\"merge\">Merge</button>") + "</div>"
        + "<div class=\"card\"><h3>Link a record by hand</h3>" + Html.form(v, base + "/link", "<div class=\"field\">"
            + "<label for=\"link-source\">Source record id</label><input id=\"link-source\" name=\"source\" required>"
            + "</div>" + Html.confirmAndComment("link", "link that record to this golden record")
            + "<button type=\"submit\" id=\"link\">Link</button>") + "</div></div></section>";
  }
}
