package org.clientregistry.matching;

/**
 * One compared field of a rule set. {@code slot} indexes the record's normalised values (see {@link DecisionRules}).
 * For probabilistic rule sets, {@code mValue}/{@code uValue} give the pass and fail weights.
 */
public record FieldRule(String name, Algorithm algorithm, double threshold, double weight, double mValue,
                        double uValue, int slot, NullHandling oneNull, NullHandling bothNull) {

  /** Weight a pass adds: the configured weight (deterministic) or log2(m/u) (probabilistic). */
  public double passWeight(MatchingType type) {
    return type == MatchingType.PROBABILISTIC ? log2(mValue / uValue) : weight;
  }

  /** Weight a fail adds: nothing (deterministic) or log2((1-m)/(1-u)), a penalty (probabilistic). */
  public double failWeight(MatchingType type) {
    return type == MatchingType.PROBABILISTIC ? log2((1 - mValue) / (1 - uValue)) : 0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
