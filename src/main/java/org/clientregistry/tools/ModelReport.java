package org.clientregistry.tools;

/** The fitted model as text: per field and level m, u and weight, with a bar per weight (a plot in a terminal). */
final class ModelReport {
  private ModelReport() {}

  static String text(Estimation.Result r, Thresholds t, int records) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%d records, %d random pairs; prior (share of pairs that match) %.3g, about %.0f "
        + "matching pairs%n", records, r.randomPairs(), r.prior(), t.expectedMatches()));
    for (Estimation.Pass p : r.passes()) {
      b.append(String.format("  EM pass blocking on %-14s %9d pairs%s, %.0f expected matches%n", p.field(),
          p.pairs(), p.rate() < 1 ? String.format(" (sampled %.3f)", p.rate()) : "", p.expectedMatches()));
    }
    b.append(String.format("%-16s %-6s %10s %10s %8s%n", "field", "level", "m", "u", "weight"));
    for (int f = 0; f < r.fields().size(); f++) {
      double[] m = r.m()[f];
      double[] u = r.u()[f];
      for (int k = 0; k < m.length; k++) {
        double w = Estimation.log2(m[k] / u[k]);
        b.append(String.format("%-16s %-6s %10.4g %10.4g %8.2f %s%n", k == 0 ? r.fields().get(f) : "",
            k == m.length - 1 ? "else" : Integer.toString(k), m[k], u[k], w, bar(w)));
      }
    }
    b.append(String.format("thresholds: auto-link from %.2f (predicted precision %.4f, recall %.4f), review from "
        + "%.2f, blocking sure from %.2f%n", t.auto(), t.precision(), t.recall(), t.review(), t.blocking()));
    return b.toString();
  }

  /** Negative weights to the left of the bar, positive to the right; one mark per unit (log2). */
  private static String bar(double w) {
    int n = (int) Math.min(20, Math.round(Math.abs(w)));
    String marks = "#".repeat(n);
    return w < 0 ? " ".repeat(20 - n) + marks + "|" : " ".repeat(20) + "|" + marks;
  }
}
