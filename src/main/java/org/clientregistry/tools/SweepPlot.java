package org.clientregistry.tools;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** An SVG line plot of precision, recall and F1 against the auto-link threshold. */
final class SweepPlot {
  private static final int W = 640;
  private static final int H = 400;
  private static final int PAD = 50;

  private SweepPlot() {}

  static String svg(String title, List<Evaluation.Result> sweep) {
    double min = sweep.get(0).autoThreshold();
    double max = Math.max(sweep.get(sweep.size() - 1).autoThreshold(), min + 1e-9);
    StringBuilder b = new StringBuilder();
    b.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
    b.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
    b.append(String.format("<text x=\"%d\" y=\"20\" font-size=\"14\">%s: precision, recall, F1 by auto-link "
        + "threshold</text>%n", PAD, title));
    b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", PAD, H - PAD,
        W - PAD, H - PAD));
    b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", PAD, PAD, PAD,
        H - PAD));
    for (double y = 0; y <= 1.0001; y += 0.25) {
      b.append(String.format("<text x=\"10\" y=\"%.0f\">%.2f</text>%n", yPos(y) + 4, y));
    }
    for (Evaluation.Result r : sweep) {
      b.append(String.format("<text x=\"%.0f\" y=\"%d\">%.2f</text>%n", xPos(r.autoThreshold(), min, max) - 10,
          H - PAD + 18, r.autoThreshold()));
    }
    line(b, sweep, Evaluation.Result::precision, "#1f77b4", min, max);
    line(b, sweep, Evaluation.Result::recall, "#d62728", min, max);
    line(b, sweep, Evaluation.Result::f1, "#2ca02c", min, max);
    b.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">precision</text>%n", W - PAD - 200, PAD - 10));
    b.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#d62728\">recall</text>%n", W - PAD - 120, PAD - 10));
    b.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#2ca02c\">F1</text>%n", W - PAD - 60, PAD - 10));
    return b.append("</svg>\n").toString();
  }

  private static void line(StringBuilder b, List<Evaluation.Result> sweep, ToDoubleFunction<Evaluation.Result> f,
                           String colour, double min, double max) {
    b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"");
    for (Evaluation.Result r : sweep) {
      b.append(String.format("%.1f,%.1f ", xPos(r.autoThreshold(), min, max), yPos(f.applyAsDouble(r))));
    }
    b.append("\"/>\n");
  }

  private static double xPos(double t, double min, double max) {
    return PAD + (t - min) / (max - min) * (W - 2 * PAD);
  }

  private static double yPos(double v) {
    return H - PAD - v * (H - 2 * PAD);
  }
}
