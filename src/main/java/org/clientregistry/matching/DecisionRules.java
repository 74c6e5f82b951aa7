package org.clientregistry.matching;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed decision rules: the rule sets, and the distinct value slots (FHIRPath + normaliser) their fields and
 * filters read, so that each expression is evaluated once per record however many rules use it.
 */
public record DecisionRules(List<RuleSet> ruleSets, List<Slot> slots, BridgePolicy bridges) {

  public DecisionRules(List<RuleSet> ruleSets, List<Slot> slots) {
    this(ruleSets, slots, BridgePolicy.REVIEW);
  }

  /** The distinct FHIRPath expressions, in first-use order. */
  public List<String> expressions() {
    Set<String> out = new LinkedHashSet<>();
    slots.forEach(s -> out.add(s.fhirpath()));
    return new ArrayList<>(out);
  }

  /** Normalised values per slot from raw values per expression. */
  public String[][] normalise(Map<String, List<String>> rawByExpression) {
    String[][] values = new String[slots.size()][];
    for (int i = 0; i < slots.size(); i++) {
      Slot slot = slots.get(i);
      values[i] = slot.normalise(rawByExpression.getOrDefault(slot.fhirpath(), List.of()));
    }
    return values;
  }
}
