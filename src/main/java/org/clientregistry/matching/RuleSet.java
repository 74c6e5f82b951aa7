package org.clientregistry.matching;

import java.util.List;

/**
 * One entry of the rules list: compared fields, exact-equality filters, the two thresholds, and whether blocking
 * keys only pairs of fields ({@code pairBlocking}: wider, for small registries) instead of whole small sets.
 */
public record RuleSet(String name, MatchingType type, List<FieldRule> fields, List<FieldRule> filters,
                      double potentialThreshold, double autoThreshold, boolean pairBlocking) {
  public RuleSet(String name, MatchingType type, List<FieldRule> fields, List<FieldRule> filters,
                 double potentialThreshold, double autoThreshold) {
    this(name, type, fields, filters, potentialThreshold, autoThreshold, false);
  }
}
