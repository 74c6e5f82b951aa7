package org.clientregistry.console;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.clientregistry.linking.Rematch;
import org.clientregistry.matching.FieldRule;
import org.clientregistry.matching.MatchingType;
import org.clientregistry.matching.RuleSet;
import org.clientregistry.matching.RulesException;
import org.clientregistry.store.LinkEvent;

/**
 * The decision rules in force, read-only (they change through the rules file or OpenHIM's console), and the
 * re-match dry run: what re-deciding every automatic link under these rules would change, with nothing written.
 */
final class RulesPage {
  private final ConsoleServices services;

  RulesPage(ConsoleServices services) {
    this.services = services;
  }

  void show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Future<String> text = v.admin() ? services.editedRules().current() : Future.succeededFuture("");
    Responses.page(ctx, text.map(t -> Html.page(v, "Rules", "rules", Html.flash(v) + rules() + dryRunForm(v, t))));
  }

  /** The dry run of the rules in force, or of the edited text when it differs from the rules file. */
  void dryRun(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String edited = ctx.request().getFormAttribute("rules");
    Responses.page(ctx, services.editedRules().current().compose(current -> {
      // Browsers send a textarea's lines with CRLF: compare texts as lines.
      boolean changed = edited != null && !edited.isBlank() && !lines(edited).equals(lines(current));
      Future<Rematch.Report> run = changed ? services.editedRules().dryRun(edited) : services.rematch().dryRun();
      return run.map(r -> Html.page(v, "Rules", "rules", rules() + dryRunForm(v, changed ? edited : current)
              + report(r, changed)))
          .recover(e -> e instanceof RulesException
              ? Future.succeededFuture(Html.page(v, "Rules", "rules", rules() + Html.notice("error",
                  "Not run: " + e.getMessage()) + dryRunForm(v, edited)))
              : Future.failedFuture(e));
    }));
  }

  private static String lines(String text) {
    return text.replace("\r\n", "\n").strip();
  }

  private String rules() {
    StringBuilder b = new StringBuilder();
    for (RuleSet set : services.matching().get().rules().ruleSets()) {
      boolean probabilistic = set.type() == MatchingType.PROBABILISTIC;
      StringBuilder rows = new StringBuilder();
      for (FieldRule f : set.fields()) {
        rows.append(Html.td(f.name(), f.algorithm().name(), Html.num(f.threshold()),
            probabilistic ? "m " + Html.num(f.mValue()) + ", u " + Html.num(f.uValue()) : Html.num(f.weight()),
            Html.num(f.passWeight(set.type())), Html.num(f.failWeight(set.type())),
            f.oneNull().name().toLowerCase()));
      }
      b.append("<section><h2>").append(Html.esc(set.name())).append("</h2><p>")
          .append(set.type().name().toLowerCase()).append(" · review from ").append(Html.num(set.potentialThreshold()))
          .append(" · automatic match from ").append(Html.num(set.autoThreshold()))
          .append(set.filters().isEmpty() ? "" : " · must be equal: " + Html.esc(String.join(", ",
              set.filters().stream().map(FieldRule::name).toList()))).append("</p>")
          .append(Html.table("Compared fields of " + Html.esc(set.name()), Html.th("Field", "Algorithm", "Threshold",
              "Weight", "Weight if agreeing", "Weight if not", "One value missing"), rows.toString()))
          .append("</section>");
    }
    return b.toString();
  }

  private static String dryRunForm(Visitor v, String rulesText) {
    if (!v.admin()) {
      return "";
    }
    return "<section aria-labelledby=\"dry\"><h2 id=\"dry\">Re-match dry run</h2><p>Decides every golden record's "
        + "automatic links again and shows what would change: under the rules in force, or, when you edit the text "
        + "below, under the edited rules (validated like the rules file; an index is built for them from the store). "
        + "Nothing is written and the rules in force stay; manual links and decisions are kept. On a large registry "
        + "this takes a while.</p>" + Html.form(v, "/admin/rules/dry-run", "<div class=\"field\"><label for=\"rules-text\">"
            + "Decision rules (JSON)</label><textarea id=\"rules-text\" name=\"rules\" rows=\"14\" spellcheck=\"false\">"
            + Html.esc(rulesText) + "</textarea></div><button type=\"submit\" id=\"dry-run\">Run the dry run</button>")
        + "</section>";
  }

  private static String report(Rematch.Report r, boolean edited) {
    StringBuilder rows = new StringBuilder();
    for (LinkEvent e : r.sample()) {
      rows.append(Html.td(e.sourceId(), Html.golden(e.previousGoldenId()), Html.golden(e.goldenId())));
    }
    return "<section id=\"dry-run-report\" aria-labelledby=\"report\"><h2 id=\"report\">What re-matching would do"
        + (edited ? " under the edited rules" : " under the rules in force") + "</h2><dl class=\"tiles\">" + tile("Golden records looked at", r.goldens()) + tile("Records moved", r.moved())
        + tile("Golden records emptied", r.goldensEmptied()) + tile("New review items", r.reviewItems()) + "</dl>"
        + (rows.length() == 0 ? "<p>No record would move.</p>" : Html.table("Some of the moves",
            Html.th("Source record", "From", "To"), rows.toString())) + "</section>";
  }

  private static String tile(String label, long n) {
    return "<div class=\"tile\"><dt>" + label + "</dt><dd>" + n + "</dd></div>";
  }
}
