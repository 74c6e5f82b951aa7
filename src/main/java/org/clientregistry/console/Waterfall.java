package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import java.util.List;
import java.util.Locale;
import org.clientregistry.linking.ReviewView;
import org.clientregistry.matching.RuleSet;

/**
 * The score as a waterfall (as Splink draws it): each field's weight is a bar that starts where the previous field
 * left the running total, green when it pushed the total up and red when it pulled it down, then the total against
 * the rule set's review and automatic-match thresholds. Drawn in SVG on the server: no script, no styles inline.
 */
final class Waterfall {
  private static final int LABEL = 150;
  private static final int WIDTH = 520;
  private static final int ROW = 26;

  private Waterfall() {}

  static String svg(List<ReviewView.FieldRow> fields, RuleSet rules, double score) {
    if (fields.isEmpty()) {
      return "";
    }
    double lo = 0;
    double hi = 0;
    double sum = 0;
    for (ReviewView.FieldRow f : fields) {
      sum += f.weight();
      lo = Math.min(lo, sum);
      hi = Math.max(hi, sum);
    }
    if (rules != null) {
      hi = Math.max(hi, rules.autoThreshold());
      lo = Math.min(lo, rules.potentialThreshold());
    }
    double span = Math.max(hi - lo, 1e-9);
    int height = (fields.size() + 2) * ROW + 30;
    StringBuilder b = new StringBuilder("<section aria-labelledby=\"waterfall\"><h2 id=\"waterfall\">Why this score"
        + "</h2><svg class=\"waterfall\" viewBox=\"0 0 " + (LABEL + WIDTH + 170) + " " + height + "\" role=\"img\""
        + " aria-labelledby=\"waterfall-title\"><title id=\"waterfall-title\">Per-field weights adding up to "
        + num(sum) + "</title>");
    double run = 0;
    int y = 4;
    for (ReviewView.FieldRow f : fields) {
      double from = run;
      run += f.weight();
      bar(b, y, x(from, lo, span), x(run, lo, span), f.weight() >= 0 ? "up" : "down", f.field(),
          (f.weight() >= 0 ? "+" : "") + num(f.weight()) + " " + f.agreement());
      y += ROW;
    }
    bar(b, y, x(0, lo, span), x(sum, lo, span), "total", "total", num(sum) + " (score " + num(score) + ")");
    y += ROW;
    if (rules != null) {
      line(b, x(rules.potentialThreshold(), lo, span), y, "review from " + num(rules.potentialThreshold()), "review", 4);
      line(b, x(rules.autoThreshold(), lo, span), y, "match from " + num(rules.autoThreshold()), "auto", 22);
    }
    line(b, x(0, lo, span), y, "", "zero", 0);
    return b.append("</svg></section>").toString();
  }

  private static int x(double value, double lo, double span) {
    return LABEL + (int) Math.round((value - lo) / span * WIDTH);
  }

  private static void bar(StringBuilder b, int y, int x1, int x2, String kind, String label, String value) {
    int left = Math.min(x1, x2);
    int w = Math.max(2, Math.abs(x2 - x1));
    b.append("<text x=\"0\" y=\"").append(y + 16).append("\">").append(esc(label)).append("</text>")
        .append("<rect class=\"").append(kind).append("\" x=\"").append(left).append("\" y=\"").append(y)
        .append("\" width=\"").append(w).append("\" height=\"").append(ROW - 8).append("\"></rect>")
        .append("<text x=\"").append(left + w + 4).append("\" y=\"").append(y + 14).append("\">").append(esc(value))
        .append("</text>");
  }

  private static void line(StringBuilder b, int x, int bottom, String label, String kind, int dy) {
    b.append("<line class=\"").append(kind).append("\" x1=\"").append(x).append("\" x2=\"").append(x)
        .append("\" y1=\"0\" y2=\"").append(bottom).append("\"></line>");
    if (!label.isEmpty()) {
      b.append("<text class=\"").append(kind).append("\" x=\"").append(x + 3).append("\" y=\"").append(bottom + 8 + dy)
          .append("\">").append(esc(label)).append("</text>");
    }
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }
}
