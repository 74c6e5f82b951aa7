package org.clientregistry.matching;

import java.util.List;

/** One entry of the rules list: compared fields, exact-equality filters, and the two thresholds. */
public record RuleSet(String name, MatchingType type, List<FieldRule> fields, List<FieldRule> filters,
                      double potentialThreshold, double autoThreshold) {}
