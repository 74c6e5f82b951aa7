package org.clientregistry.matching;

/**
 * One agreement level of a field compared with several levels (Fellegi-Sunter with partial agreement): the pair
 * is at the first level, in file order, whose algorithm passes; each level has its own m and u, so "exact" can
 * weigh more than "Jaro-Winkler at least 0.92", which weighs more than "same year". A pair that reaches no level
 * is at the implicit last level, "else", with m = 1 - sum of the levels' m and u = 1 - sum of their u.
 */
public record ComparisonLevel(Algorithm algorithm, double threshold, double mValue, double uValue) {

  /** How the level shows in explanations, e.g. {@code jaro-winkler-similarity>=0.92} or {@code date<=31}. */
  public String label() {
    if (!algorithm.needsThreshold()) {
      return algorithm.name();
    }
    boolean similarity = algorithm.passes(1, 0.5) && !algorithm.passes(0, 0.5);
    return algorithm.name() + (similarity ? ">=" : "<=") + trim(threshold);
  }

  /** Whether two non-null values reach this level. */
  public boolean passes(String a, String b) {
    return algorithm.passes(algorithm.score(a, b), threshold);
  }

  /** The weight of reaching this level, log2(m/u). */
  public double weight() {
    return Math.log(mValue / uValue) / Math.log(2);
  }

  private static String trim(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }
}
