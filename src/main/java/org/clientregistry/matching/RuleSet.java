package org.clientregistry.matching;

import java.util.List;

/**
 * One entry of the rules list: compared fields, exact-equality filters, and the thresholds. {@code blockingThreshold}
 * (at least the potential threshold; the same by default): blocking makes sure that pairs scoring at least this
 * share a key. Above the potential threshold it keeps candidate lists short when the thresholds are low enough for
 * one field alone to reach them (blocking could then only key single fields); pairs scoring between the two are
 * still found when they share a key, as most do.
 */
public record RuleSet(String name, MatchingType type, List<FieldRule> fields, List<FieldRule> filters,
                      double potentialThreshold, double autoThreshold, double blockingThreshold) {

  public RuleSet(String name, MatchingType type, List<FieldRule> fields, List<FieldRule> filters,
                 double potentialThreshold, double autoThreshold) {
    this(name, type, fields, filters, potentialThreshold, autoThreshold, potentialThreshold);
  }
}
