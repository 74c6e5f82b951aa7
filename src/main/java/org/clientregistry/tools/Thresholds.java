package org.clientregistry.tools;

import java.util.Arrays;

/**
 * Thresholds chosen from the fitted model itself, no labels: each scored pair's match probability comes from its
 * score and the prior, so the model predicts the precision and recall of every auto-link threshold. Auto-link where
 * the predicted F1 is highest; review down to where a pair still has a 5 % chance of being a match, but never so low
 * that one field alone could reach it (blocking then keys pairs of fields, which keeps candidate lists short).
 */
record Thresholds(double auto, double review, double blocking, double precision, double recall, double expectedMatches) {
  private static final double REVIEW_PROBABILITY = 0.05;

  static Thresholds choose(double[] scores, double prior, long records, double heaviestField) {
    double priorLogOdds = Estimation.log2(prior / (1 - prior));
    double[] s = scores.clone();
    Arrays.sort(s);
    double found = 0;
    for (double x : s) {
      found += probability(x, priorLogOdds);
    }
    double expected = Math.max(found, prior * records * (records - 1) / 2.0);
    double bestF1 = -1;
    double auto = s.length == 0 ? heaviestField : s[s.length - 1];
    double tp = 0;
    double precision = 1;
    double recall = 0;
    for (int i = s.length - 1; i >= 0; i--) {
      tp += probability(s[i], priorLogOdds);
      if (i > 0 && s[i - 1] == s[i]) {
        continue; // a threshold takes every pair of the same score
      }
      long links = s.length - i;
      double f1 = 2 * tp / (links + expected);
      if (f1 > bestF1) {
        bestF1 = f1;
        auto = s[i];
        precision = tp / links;
        recall = tp / expected;
      }
    }
    // The F1-optimal threshold is where a pair's probability is F1/2: taken from the model rather than from the
    // scored pairs, where a gap between matches and the rest would put it anywhere in the gap.
    double optimum = bestF1 <= 0 ? -priorLogOdds : Estimation.log2((bestF1 / 2) / (1 - bestF1 / 2)) - priorLogOdds;
    auto = Math.ceil(Math.min(auto, optimum) * 100) / 100;
    double review = Math.log(REVIEW_PROBABILITY / (1 - REVIEW_PROBABILITY)) / Math.log(2) - priorLogOdds;
    review = Math.min(auto, Math.ceil(review * 100) / 100);
    // Blocking guarantees keys only from above what one field alone reaches, so that it keys pairs of fields.
    double blocking = Math.max(review, Math.ceil((heaviestField + 0.01) * 100) / 100);
    return new Thresholds(auto, review, blocking, precision, recall, expected);
  }

  static double probability(double score, double priorLogOdds) {
    return 1 / (1 + Math.pow(2, -(score + priorLogOdds)));
  }
}
