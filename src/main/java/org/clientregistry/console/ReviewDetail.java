package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import java.util.Map;
import java.util.Objects;
import org.clientregistry.linking.ReviewView;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.RuleSet;
import org.clientregistry.store.PatientStore;

/** One review item: both records side by side with differences marked, the per-field rows, the waterfall. */
final class ReviewDetail {
  private ReviewDetail() {}

  static String render(Visitor v, ReviewView.Detail d, DecisionRules rules) {
    var item = d.item();
    String state = item.open() ? "Open" : "Resolved: " + ReviewPages.label(String.valueOf(item.decision())) + " by "
        + item.resolvedBy() + (item.comment() == null ? "" : " (" + item.comment() + ")");
    return "<p class=\"summary\"><span id=\"item-status\">" + esc(state) + "</span> · score <strong id=\"item-score\">"
        + Html.num(d.score()) + "</strong> · grade " + esc(d.grade()) + " · rule set " + esc(d.ruleSet())
        + (d.rescored() ? " · <em>compared again under today's records and rules</em>" : "") + "</p>"
        + "<p>Golden record " + Html.link("/admin/golden/" + item.goldenId(), "open its page") + "</p>"
        + actions(v, d) + sideBySide(d) + Waterfall.svg(d.fields(), ruleSet(rules, d.ruleSet()), d.score())
        + fieldRows(d);
  }

  private static RuleSet ruleSet(DecisionRules rules, String name) {
    return rules.ruleSets().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }

  private static String sideBySide(ReviewView.Detail d) {
    Map<String, String> a = d.source() == null ? Map.of() : Demographics.of(d.source().record().resourceJson());
    Map<String, String> b = d.candidate() == null ? Map.of() : Demographics.of(d.candidate().record().resourceJson());
    StringBuilder rows = new StringBuilder();
    rows.append(row("Client", d.source() == null ? "" : d.source().record().clientId(),
        d.candidate() == null ? "" : d.candidate().record().clientId(), false));
    for (String k : a.isEmpty() ? b.keySet() : a.keySet()) {
      rows.append(row(k, a.get(k), b.get(k), true));
    }
    rows.append(row("Identifiers", ids(d.source()), ids(d.candidate()), false));
    return "<section aria-labelledby=\"pair\"><h2 id=\"pair\">The two records</h2>" + Html.table(
        "The record under review and the golden record's closest member; differing values are marked ≠",
        Html.th("", "Record under review", "Closest member of the golden record"), rows.toString()) + "</section>";
  }

  private static String row(String label, String a, String b, boolean compare) {
    boolean differ = compare && !Objects.equals(blank(a), blank(b));
    String cls = differ ? " class=\"differ\"" : "";
    String mark = differ ? "<span class=\"mark\" aria-label=\"differs\">≠ </span>" : "";
    return "<tr" + cls + "><th scope=\"row\">" + esc(label) + "</th><td>" + mark + esc(a) + "</td><td>" + mark
        + esc(b) + "</td></tr>";
  }

  private static String blank(String s) {
    return s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT);
  }

  private static String ids(ReviewView.Side side) {
    if (side == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (PatientStore.SourceIdentifier id : side.identifiers()) {
      b.append(b.length() == 0 ? "" : " | ").append(id.system()).append(" ").append(id.value());
    }
    return b.toString();
  }

  private static String fieldRows(ReviewView.Detail d) {
    StringBuilder rows = new StringBuilder();
    for (ReviewView.FieldRow f : d.fields()) {
      rows.append(Html.td(f.field(), f.valueA(), f.valueB(), f.algorithm(),
          f.similarity() == null ? "" : Html.num(f.similarity()), f.agreement(), Html.num(f.weight())));
    }
    return "<section aria-labelledby=\"fields\"><h2 id=\"fields\">Field by field</h2>" + Html.table(
        "How each field compared (values as the rules normalise them)",
        Html.th("Field", "Under review", "Member", "Algorithm", "Raw score", "Agreement", "Weight"), rows.toString())
        + "</section>";
  }

  private static String actions(Visitor v, ReviewView.Detail d) {
    String skip = "<p><a id=\"next-item\" href=\"/admin/review/next?after=" + esc(d.item().id())
        + "\" aria-keyshortcuts=\"j\">Next item (j)</a></p>";
    if (!d.item().open()) {
      return skip;
    }
    if (!v.admin()) {
      return "<p>Viewers can read review items; an administrator decides them.</p>" + skip;
    }
    String action = "/admin/review/" + d.item().id();
    return "<section aria-labelledby=\"decide\"><h2 id=\"decide\">Decision</h2>" + Html.form(v, action,
        "<div class=\"field\"><label for=\"decision-comment\">Comment (optional)</label>"
            + "<input id=\"decision-comment\" name=\"comment\" maxlength=\"500\"></div><div class=\"buttons\">"
            + button("match", "Match", "m") + button("no-match", "Not a match", "n")
            + button("new-golden", "New golden record", "g") + "</div>") + "</section>" + skip;
  }

  private static String button(String value, String text, String key) {
    return "<button type=\"submit\" name=\"decision\" value=\"" + value + "\" id=\"decide-" + value
        + "\" aria-keyshortcuts=\"" + key + "\">" + text + " <kbd>" + key + "</kbd></button>";
  }
}
