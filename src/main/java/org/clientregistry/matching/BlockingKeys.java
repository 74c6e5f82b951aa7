package org.clientregistry.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Blocking keys derived from the rules. For each rule set we work out how many compared fields a pair must pass
 * to reach the potential threshold; when that is two or more, a key combines the cheap keys of two fields (so a
 * candidate must agree on two fields at once, which keeps candidate lists short as the registry grows), otherwise
 * one field's key is enough. Each field's cheap keys come from its algorithm (the value itself, a phonetic code,
 * digit halves), chosen so that values passing the comparison very likely share one.
 */
public final class BlockingKeys {
  private static final int MAX_KEYS_PER_FIELD = 6;

  private final DecisionRules rules;
  private final int[] fieldsPerKey;

  public BlockingKeys(DecisionRules rules) {
    this.rules = rules;
    this.fieldsPerKey = rules.ruleSets().stream().mapToInt(BlockingKeys::fieldsPerKey).toArray();
  }

  /** 1 or 2: how many fields one key combines for this rule set. */
  static int fieldsPerKey(RuleSet set) {
    double[] weights = set.fields().stream().mapToDouble(f -> f.passWeight(set.type())).sorted().toArray();
    int needed = weights.length;
    double sum = 0;
    for (int i = weights.length - 1, n = 1; i >= 0; i--, n++) {
      sum += weights[i];
      if (sum >= set.potentialThreshold()) {
        needed = n;
        break;
      }
    }
    // A greedy field can pass on a missing value, which no key can see: count on one key fewer per such field.
    long greedy = set.fields().stream()
        .filter(f -> f.oneNull() == NullHandling.GREEDY || f.bothNull() == NullHandling.GREEDY).count();
    return (int) Math.max(1, Math.min(2, needed - greedy));
  }

  public Set<String> of(String[][] values) {
    Set<String> keys = new HashSet<>();
    for (int r = 0; r < fieldsPerKey.length; r++) {
      List<FieldRule> fields = rules.ruleSets().get(r).fields();
      List<List<String>> perField = new ArrayList<>(fields.size());
      for (FieldRule f : fields) {
        perField.add(fieldKeys(f, values[f.slot()]));
      }
      if (fieldsPerKey[r] == 1) {
        for (int i = 0; i < perField.size(); i++) {
          for (String k : perField.get(i)) {
            keys.add(r + ":" + i + ":" + k);
          }
        }
      } else {
        for (int i = 0; i < perField.size(); i++) {
          for (int j = i + 1; j < perField.size(); j++) {
            for (String ki : perField.get(i)) {
              for (String kj : perField.get(j)) {
                keys.add(r + ":" + i + "+" + j + ":" + ki + "\u0001" + kj);
              }
            }
          }
        }
      }
    }
    return keys;
  }

  private static List<String> fieldKeys(FieldRule field, String[] values) {
    if (values.length == 0) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      out.addAll(field.algorithm().blockingKeys(v));
      if (out.size() >= MAX_KEYS_PER_FIELD) {
        break;
      }
    }
    return out.size() > MAX_KEYS_PER_FIELD ? new ArrayList<>(out).subList(0, MAX_KEYS_PER_FIELD)
        : new ArrayList<>(out);
  }

  @Override
  public String toString() {
    return "BlockingKeys" + Arrays.toString(fieldsPerKey);
  }
}
