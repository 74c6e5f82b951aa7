package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.LinkAdmin;
import org.clientregistry.store.AdminReads.ReviewQuery;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.users.Accounts;

/** The review queue with its filters, one item side by side ({@link ReviewDetail}), and decisions on it. */
final class ReviewPages {
  private static final int PAGE = 25;
  private static final Set<String> DECISIONS = Set.of("match", "no-match", "new-golden");
  private final ConsoleServices services;

  ReviewPages(ConsoleServices services) {
    this.services = services;
  }

  void queue(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    ReviewQuery q = query(ctx.queryParams());
    Responses.page(ctx, services.store().reviewItems(q).map(page -> Html.page(v, "Review queue", "review",
        Html.flash(v) + filters(ctx.queryParams()) + "<p id=\"queue-count\" role=\"status\">"
            + page.total() + " item" + (page.total() == 1 ? "" : "s") + " match these filters.</p>"
            + list(page.items()) + pager(ctx.queryParams(), q, page.total()))));
  }

  void item(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String id = ctx.pathParam("id");
    Responses.page(ctx, item(id).compose(services.reviews()::detail).map(d -> Html.page(v, "Review item", "review",
        Html.flash(v) + ReviewDetail.render(v, d, services.matching().get().rules()))));
  }

  /** The next open item after this one in queue order (or the first), for "skip" and after a decision. */
  void next(RoutingContext ctx) {
    String after = ctx.queryParams().get("after");
    nextOpen(after).onSuccess(next -> Responses.redirect(ctx, next == null ? "/admin/review" : "/admin/review/" + next))
        .onFailure(e -> Responses.error(ctx, e));
  }

  void decide(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String id = ctx.pathParam("id");
    String decision = ctx.request().getFormAttribute("decision");
    if (!DECISIONS.contains(decision)) {
      Responses.error(ctx, FhirException.badRequest("Choose match, not a match or new golden record"));
      return;
    }
    String comment = ctx.request().getFormAttribute("comment");
    LinkAdmin.Actor actor = new LinkAdmin.Actor(Accounts.actor(v.user()), null,
        comment == null || comment.isBlank() ? null : comment.trim());
    Future<String> next = services.links().decide(actor, id, decision).compose(x -> nextOpen(id));
    next.onSuccess(n -> {
      v.flash("Decision saved: " + label(decision) + ".");
      Responses.redirect(ctx, n == null ? "/admin/review" : "/admin/review/" + n);
    }).onFailure(e -> {
      v.flash("Not done: " + Responses.message(e));
      Responses.redirect(ctx, "/admin/review/" + id);
    });
  }

  static String label(String decision) {
    return switch (decision) {
      case "match" -> "match";
      case "no-match" -> "not a match";
      default -> "new golden record";
    };
  }

  private Future<ReviewItem> item(String id) {
    return services.store().reviewItem(id).map(found -> found.orElseThrow(
        () -> FhirException.notFound("There is no review item " + id)));
  }

  private Future<String> nextOpen(String after) {
    return services.store().reviewItems(ReviewQuery.open(0, 100)).map(page -> {
      List<ReviewItem> items = page.items();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).id().equals(after)) {
          return i + 1 < items.size() ? items.get(i + 1).id() : null;
        }
      }
      return items.stream().map(ReviewItem::id).filter(id -> !id.equals(after)).findFirst().orElse(null);
    });
  }

  private static ReviewQuery query(MultiMap p) {
    String status = p.get("status") == null || p.get("status").isBlank() ? ReviewItem.OPEN : p.get("status");
    if (!List.of("open", "resolved", "all").contains(status)) {
      throw FhirException.badRequest("The status is open, resolved or all");
    }
    Double minAge = number(p, "minAgeHours");
    Instant before = minAge == null ? null : Instant.now().minus(Duration.ofMinutes((long) (minAge * 60)));
    return new ReviewQuery(status.equals("all") ? null : status, text(p, "ruleSet"), text(p, "client"),
        number(p, "minScore"), number(p, "maxScore"), null, before, offset(p), PAGE);
  }

  private String filters(MultiMap p) {
    StringBuilder rules = new StringBuilder("<option value=\"\">any</option>");
    services.matching().get().rules().ruleSets().forEach(r -> rules.append("<option")
        .append(r.name().equals(p.get("ruleSet")) ? " selected" : "").append('>').append(esc(r.name()))
        .append("</option>"));
    StringBuilder statuses = new StringBuilder();
    for (String s : List.of("open", "resolved", "all")) {
      statuses.append("<option").append(s.equals(p.get("status")) ? " selected" : "").append('>').append(s)
          .append("</option>");
    }
    return "<form method=\"get\" action=\"/admin/review\" class=\"filters\" aria-label=\"Filters\">"
        + "<div class=\"field\"><label for=\"f-status\">Status</label><select id=\"f-status\" name=\"status\">"
        + statuses + "</select></div>"
        + "<div class=\"field\"><label for=\"f-rule\">Rule set</label><select id=\"f-rule\" name=\"ruleSet\">" + rules
        + "</select></div>" + input("f-client", "client", "Client", p, "text")
        + input("f-min", "minScore", "Score from", p, "number") + input("f-max", "maxScore", "Score to", p, "number")
        + input("f-age", "minAgeHours", "Older than (hours)", p, "number")
        + "<button type=\"submit\">Filter</button></form>";
  }

  private static String input(String id, String name, String label, MultiMap p, String type) {
    return "<div class=\"field\"><label for=\"" + id + "\">" + label + "</label><input id=\"" + id + "\" name=\""
        + name + "\" type=\"" + type + "\"" + (type.equals("number") ? " step=\"any\" min=\"0\"" : "")
        + " value=\"" + esc(p.get(name)) + "\"></div>";
  }

  private static String list(List<ReviewItem> items) {
    if (items.isEmpty()) {
      return "<p>Nothing to review.</p>";
    }
    StringBuilder rows = new StringBuilder();
    Instant now = Instant.now();
    for (ReviewItem i : items) {
      String age = DashboardPage.age(Duration.between(i.created(), now));
      rows.append(Html.td(Html.raw("<a href=\"/admin/review/" + esc(i.id()) + "\" aria-label=\"Review the item of "
          + "score " + Html.num(i.score()) + ", waiting " + esc(age) + "\">Review</a>"), age, Html.num(i.score()), i.grade(), i.rule(), i.reason(),
          i.open() ? "open" : ReviewPages.label(String.valueOf(i.decision())) + " (" + i.resolvedBy() + ")"));
    }
    return Html.table("Review items, oldest first", Html.th("Item", "Waiting", "Score", "Grade", "Rule set",
        "Why", "Status"), rows.toString());
  }

  private static String pager(MultiMap p, ReviewQuery q, long total) {
    StringBuilder b = new StringBuilder("<nav aria-label=\"Pages\" class=\"pager\">");
    if (q.offset() > 0) {
      b.append(Html.link(url(p, Math.max(0, q.offset() - PAGE)), "Previous page")).append(' ');
    }
    if (q.offset() + PAGE < total) {
      b.append(Html.link(url(p, q.offset() + PAGE), "Next page"));
    }
    return b.append("</nav>").toString();
  }

  private static String url(MultiMap p, int offset) {
    StringBuilder b = new StringBuilder("/admin/review?offset=").append(offset);
    for (String name : List.of("status", "ruleSet", "client", "minScore", "maxScore", "minAgeHours")) {
      if (text(p, name) != null) {
        b.append('&').append(name).append('=').append(java.net.URLEncoder.encode(p.get(name),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return b.toString();
  }

  private static String text(MultiMap p, String name) {
    String v = p.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Double number(MultiMap p, String name) {
    String v = text(p, name);
    try {
      return v == null ? null : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw FhirException.badRequest(name + " must be a number");
    }
  }

  private static int offset(MultiMap p) {
    try {
      return Math.max(0, Integer.parseInt(p.get("offset") == null ? "0" : p.get("offset")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
