package org.clientregistry.linking;

import org.clientregistry.matching.Comparison;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.Outcome;
import org.clientregistry.matching.RuleSet;

/**
 * The FHIR match-grade of a comparison, one definition for $match, review items and link facts: certain (would
 * auto-link), probable (upper half of the review band), possible (lower half), certainly-not.
 */
final class Grades {
  private Grades() {}

  static String of(DecisionRules rules, Comparison c) {
    if (c.outcome() != Outcome.REVIEW) {
      return c.outcome().grade();
    }
    RuleSet set = rules.ruleSets().stream().filter(s -> s.name().equals(c.ruleSet())).findFirst().orElse(null);
    if (set == null) {
      return "possible";
    }
    double middle = (set.potentialThreshold() + set.autoThreshold()) / 2;
    return c.score() >= middle ? "probable" : "possible";
  }
}
