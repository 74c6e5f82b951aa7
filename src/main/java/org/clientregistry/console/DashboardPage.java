package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.clientregistry.linking.RulesRuntime;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.store.AdminReads.Activity;
import org.clientregistry.store.AdminReads.DayCount;
import org.clientregistry.store.AdminReads.Page;
import org.clientregistry.store.AdminReads.ReviewQuery;
import org.clientregistry.store.ReviewItem;

/**
 * Counts from the index (no store scan); the open queue and its age, today's activity and the decisions of the
 * last 14 days from the store's counting queries; the decisions as a bar chart drawn in SVG.
 */
final class DashboardPage {
  static final int DAYS = 14;
  private final ConsoleServices services;

  DashboardPage(ConsoleServices services) {
    this.services = services;
  }

  void show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Instant now = Instant.now();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Future<Page<ReviewItem>> open = services.store().reviewItems(ReviewQuery.open(0, 1));
    Future<Page<ReviewItem>> olderThanDay = services.store().reviewItems(query(now.minus(Duration.ofDays(1))));
    Future<Page<ReviewItem>> olderThanWeek = services.store().reviewItems(query(now.minus(Duration.ofDays(7))));
    Future<Activity> activity = services.store().activity(today.atStartOfDay(ZoneOffset.UTC).toInstant());
    Future<List<DayCount>> decided = services.store().decisionsPerDay(
        today.minusDays(DAYS - 1).atStartOfDay(ZoneOffset.UTC).toInstant());
    Future<Boolean> storeUp = services.store().ping().map(x -> true).otherwise(false);
    // The index's counts take its read lock (and count golden records in a loop): a worker's job.
    MatchIndex index = services.matching().get().index();
    Future<long[]> sizes = services.worker().executeBlocking(() -> new long[] {index.size(), index.goldenCount(),
        Math.round(index.stats().candidatesPerLookup() * 100)}, false);
    Responses.page(ctx, Future.all(List.of(open, olderThanDay, olderThanWeek, activity, decided, storeUp, sizes))
        .map(all -> Html.page(v, "Dashboard", "dashboard", Html.flash(v) + counts(sizes.result(), open.result(),
            olderThanDay.result().total(), olderThanWeek.result().total(), now) + today(activity.result())
            + health(sizes.result(), storeUp.result()) + chart(decided.result(), now))));
  }

  private static ReviewQuery query(Instant before) {
    return new ReviewQuery(ReviewItem.OPEN, null, null, null, null, null, before, 0, 1);
  }

  private static String counts(long[] sizes, Page<ReviewItem> open, long day, long week, Instant now) {
    String oldest = open.items().isEmpty() ? "none waiting"
        : age(Duration.between(open.items().get(0).created(), now));
    return "<section aria-labelledby=\"counts\"><h2 id=\"counts\">Now</h2><dl class=\"tiles\">"
        + tile("Source records", Long.toString(sizes[0]))
        + tile("Golden records", Long.toString(sizes[1]))
        + tile("Open review items", open.total() + "")
        + tile("Oldest open item", oldest)
        + tile("Open for more than a day", Long.toString(day))
        + tile("Open for more than a week", Long.toString(week))
        + "</dl><p><a href=\"/admin/review\">Go to the review queue</a></p></section>";
  }

  /** What linking did since midnight UTC, as the link history and the review queue record it. */
  private static String today(Activity a) {
    return "<section aria-labelledby=\"today\"><h2 id=\"today\">Today (UTC)</h2><dl class=\"tiles\" id=\"today-tiles\">"
        + tile("Linked by a match", Long.toString(a.autoLinked()))
        + tile("New golden records", Long.toString(a.newGolden()))
        + tile("Review items raised", Long.toString(a.reviewsRaised()))
        + tile("Review decisions", Long.toString(a.decisions()))
        + tile("Links made by hand", Long.toString(a.manualLinks()))
        + "</dl></section>";
  }

  private String health(long[] sizes, boolean storeUp) {
    boolean loaded = !(services.matching() instanceof RulesRuntime r) || r.loaded();
    String fault = services.store().writeFault();
    return "<section aria-labelledby=\"health\"><h2 id=\"health\">Index and store</h2><dl class=\"tiles\""
        + " id=\"health-tiles\">"
        + tile("Matching index", loaded ? "ready, " + sizes[0] + " records" : "loading")
        + tile("Candidates per lookup", Html.num(sizes[2] / 100.0))
        + tile("Store", storeUp ? "answering" : "NOT answering")
        + tile("Store writes", fault == null ? "working" : "FAILING (see the log)")
        + "</dl></section>";
  }

  private static String tile(String label, String value) {
    return "<div class=\"tile\"><dt>" + esc(label) + "</dt><dd>" + esc(value) + "</dd></div>";
  }

  static String age(Duration d) {
    if (d.toDays() > 0) {
      return d.toDays() + " d " + d.toHoursPart() + " h";
    }
    return d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min" : d.toMinutes() + " min";
  }

  /** Decisions per day by kind: stacked bars, and the same figures as a table for screen readers. */
  static String chart(List<DayCount> decided, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Map<LocalDate, int[]> days = new TreeMap<>();
    for (int i = DAYS - 1; i >= 0; i--) {
      days.put(today.minusDays(i), new int[3]);
    }
    for (DayCount d : decided) {
      int[] day = days.get(d.day());
      if (day != null) {
        day[switch (String.valueOf(d.decision())) { case "match" -> 0; case "no-match" -> 1; default -> 2; }] +=
            (int) d.count();
      }
    }
    int max = Math.max(1, days.values().stream().mapToInt(d -> d[0] + d[1] + d[2]).max().orElse(1));
    StringBuilder svg = new StringBuilder("<svg class=\"chart\" viewBox=\"0 0 700 220\" role=\"img\" "
        + "aria-labelledby=\"chart-title\"><title id=\"chart-title\">Decisions per day, last " + DAYS
        + " days</title>");
    StringBuilder rows = new StringBuilder();
    int x = 40;
    for (Map.Entry<LocalDate, int[]> e : days.entrySet()) {
      int y = 190;
      String[] kinds = {"match", "nomatch", "newgolden"};
      for (int k = 0; k < 3; k++) {
        int h = e.getValue()[k] * 170 / max;
        y -= h;
        if (h > 0) {
          svg.append("<rect class=\"").append(kinds[k]).append("\" x=\"").append(x).append("\" y=\"").append(y)
              .append("\" width=\"30\" height=\"").append(h).append("\"></rect>");
        }
      }
      svg.append("<text x=\"").append(x + 15).append("\" y=\"208\" text-anchor=\"middle\">")
          .append(e.getKey().getDayOfMonth()).append("</text>");
      x += 46;
      int[] n = e.getValue();
      rows.append(Html.td(e.getKey(), n[0], n[1], n[2]));
    }
    svg.append("<text x=\"0\" y=\"20\">").append(max).append("</text></svg>");
    return "<section aria-labelledby=\"decisions\"><h2 id=\"decisions\">Decisions over time</h2>"
        + "<p class=\"legend\"><span class=\"key match\"></span> Match <span class=\"key nomatch\"></span> Not a match"
        + " <span class=\"key newgolden\"></span> New golden record</p>" + svg
        + "<details><summary>The figures</summary>" + Html.table("Decisions per day (UTC)",
            Html.th("Day", "Match", "Not a match", "New golden record"), rows.toString()) + "</details></section>";
  }
}
