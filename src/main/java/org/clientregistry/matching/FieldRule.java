package org.clientregistry.matching;

import java.util.Set;

/**
 * One compared field of a rule set. {@code slot} indexes the record's normalised values (see {@link DecisionRules}).
 * For probabilistic rule sets, {@code mValue}/{@code uValue} give the pass and fail weights. {@code systems}, when
 * not empty, limits the field to pairs of records from those clients (the older OpenCR format); for other pairs
 * the condition does not apply and counts as passed. {@code termFrequency} (probabilistic only): an exact agreement
 * on a value weighs log2(m / share of records with that value) instead of log2(m/u), so a rare name counts more.
 * {@code partner} (the index of another field of the rule set, or -1): the two fields may be compared in either
 * order (given and family names swapped between records); the better orientation counts. {@code alwaysKey}: the
 * field's blocking keys are also used on their own, whatever the weights say (for weak fields that real duplicates
 * often share when little else survives, such as a city); it widens candidate lists, so use it with a cap in mind.
 * {@code prefixKey} (0 = none): the first N letters and digits of each value are a blocking key of the field too,
 * besides its algorithm's own (phonetic codes miss typos near the start; a prefix misses those near the end).
 * {@code nearDayKey} (0 = none; dates): dates whose day of the year is less than N days apart share a key whatever
 * their years, so that a mistyped year with a day or two off still finds its record.
 * {@code levels} (probabilistic only; empty = one level, the algorithm and threshold with m and u): several
 * agreement levels, each with its own m and u (see {@link ComparisonLevel}); the algorithm and threshold then only
 * make the blocking keys, so they should be as loose as the loosest level.
 */
public record FieldRule(String name, Algorithm algorithm, double threshold, double weight, double mValue,
                        double uValue, int slot, NullHandling oneNull, NullHandling bothNull, Set<String> systems,
                        boolean termFrequency, int partner, boolean alwaysKey, int prefixKey,
                        int nearDayKey, java.util.List<ComparisonLevel> levels) {

  public FieldRule withPartner(int index) {
    return new FieldRule(name, algorithm, threshold, weight, mValue, uValue, slot, oneNull, bothNull, systems,
        termFrequency, index, alwaysKey, prefixKey, nearDayKey, levels);
  }

  /** The first level two values reach, or -1 (the "else" level); for fields with levels only. */
  public int level(String a, String b) {
    for (int i = 0; i < levels.size(); i++) {
      if (levels.get(i).passes(a, b)) {
        return i;
      }
    }
    return -1;
  }

  /** The weight of a level (-1: else). */
  public double levelWeight(int level) {
    return level >= 0 ? levels.get(level).weight() : elseWeight();
  }

  private double elseWeight() {
    double m = 1;
    double u = 1;
    for (ComparisonLevel l : levels) {
      m -= l.mValue();
      u -= l.uValue();
    }
    return log2(Math.max(m, 1e-6) / Math.max(u, 1e-6));
  }

  /** Whether the field applies to a pair of records from these clients. */
  public boolean appliesTo(String clientA, String clientB) {
    return systems.isEmpty() || (systems.contains(clientA) && systems.contains(clientB));
  }

  /** Whether the field can pass without both records having a value (so blocking keys cannot see it). */
  public boolean passesUnseen() {
    return oneNull == NullHandling.GREEDY || bothNull == NullHandling.GREEDY || !systems.isEmpty();
  }

  /** Weight a pass adds: the configured weight (deterministic) or log2(m/u) (probabilistic; with levels the best). */
  public double passWeight(MatchingType type) {
    if (!levels.isEmpty()) {
      return levels.stream().mapToDouble(ComparisonLevel::weight).max().orElse(0); // the best level
    }
    return type == MatchingType.PROBABILISTIC ? log2(mValue / uValue) : weight;
  }

  /** Weight a fail adds: nothing (deterministic) or log2((1-m)/(1-u)), a penalty (probabilistic; with levels the else level's). */
  public double failWeight(MatchingType type) {
    if (!levels.isEmpty()) {
      return elseWeight();
    }
    return type == MatchingType.PROBABILISTIC ? log2((1 - mValue) / (1 - uValue)) : 0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
