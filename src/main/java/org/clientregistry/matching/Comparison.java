package org.clientregistry.matching;

import java.util.List;

/**
 * The result of comparing two records under the rules: the deciding rule set, its score in the rule set's own
 * units, a score normalised to 0..1, the outcome, and a per-field explanation.
 */
public record Comparison(String ruleSet, double score, double normalisedScore, Outcome outcome,
                         List<FieldResult> explanation) {

  public static final Comparison NONE = new Comparison("", 0, 0, Outcome.NONE, List.of());

  /** Whether this comparison is stronger than another: outcome first, then normalised score. */
  public boolean betterThan(Comparison other) {
    int byOutcome = outcome.compareTo(other.outcome);
    return byOutcome != 0 ? byOutcome > 0 : normalisedScore > other.normalisedScore;
  }
}
