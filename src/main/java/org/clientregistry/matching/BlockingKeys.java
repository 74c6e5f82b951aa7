package org.clientregistry.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Blocking keys derived from the rules. For each rule set we work out which fields a pair reaching the potential
 * threshold must agree on. When every such pair must pass at least two of the keyed fields, a key combines the cheap
 * keys of two fields (a candidate must agree on two fields at once, which keeps candidate lists short as the
 * registry grows); otherwise one field's key is enough. Light fields (such as gender) are left out of the keys
 * whenever the weights guarantee that a potential match still passes two (or one) of the others, because a key on
 * a field with few values finds half the registry. Each field's cheap keys come from its algorithm (the value
 * itself, a phonetic code, digit halves), chosen so that values passing the comparison very likely share one.
 * Partner fields (compared in either order, {@code anyOrderWith}) share one key space and both contribute the keys
 * of both fields' values, so that records with given and family names swapped still meet.
 */
public final class BlockingKeys {
  private static final int MAX_KEYS_PER_FIELD = 6;

  private final DecisionRules rules;
  private final Plan[] plans;

  /** Which fields of a rule set carry keys, and whether keys pair two fields. */
  record Plan(int[] fields, boolean pairs) {}

  public BlockingKeys(DecisionRules rules) {
    this.rules = rules;
    this.plans = rules.ruleSets().stream().map(BlockingKeys::plan).toArray(Plan[]::new);
  }

  /**
   * A field set D may be left unkeyed with pair keys when sum(weights of D) + the largest kept weight is below the
   * potential threshold: then any pair reaching it passes at least two kept fields. With single keys the condition
   * is sum(D) below the threshold. Greedy fields (which pass on missing values, invisible to keys) are always in D.
   */
  static Plan plan(RuleSet set) {
    List<FieldRule> fields = set.fields();
    double threshold = set.potentialThreshold();
    List<Integer> kept = new ArrayList<>();
    double dropped = 0;
    for (int i = 0; i < fields.size(); i++) {
      FieldRule f = fields.get(i);
      if (f.passesUnseen()) {
        dropped += weight(set, f);
      } else {
        kept.add(i);
      }
    }
    kept.sort(Comparator.comparingDouble(i -> weight(set, fields.get(i))));
    if (kept.size() >= 2 && dropped + weight(set, fields.get(kept.get(kept.size() - 1))) < threshold) {
      return new Plan(dropLight(set, kept, dropped, true), true);
    }
    if (!kept.isEmpty() && dropped < threshold) {
      return new Plan(dropLight(set, kept, dropped, false), false);
    }
    // The rules let a pair match without agreeing on any keyed field: key every non-greedy field, the best we can.
    return new Plan(kept.stream().mapToInt(Integer::intValue).toArray(), false);
  }

  /** Drops the lightest kept fields while the guarantee still holds; {@code kept} is sorted lightest first. */
  private static int[] dropLight(RuleSet set, List<Integer> kept, double dropped, boolean pairs) {
    List<Integer> remaining = new ArrayList<>(kept);
    double sum = dropped;
    while (remaining.size() > (pairs ? 2 : 1)) {
      double lightest = weight(set, set.fields().get(remaining.get(0)));
      double heaviest = weight(set, set.fields().get(remaining.get(remaining.size() - 1)));
      boolean holds = pairs ? sum + lightest + heaviest < set.potentialThreshold()
          : sum + lightest < set.potentialThreshold();
      if (!holds) {
        break;
      }
      sum += lightest;
      remaining.remove(0);
    }
    return remaining.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static double weight(RuleSet set, FieldRule f) {
    return f.passWeight(set.type());
  }

  /** The index of the rule set a key was made for (keys start with it). */
  static int ruleSetOf(String key) {
    return Integer.parseInt(key.substring(0, key.indexOf(':')));
  }

  public Set<String> of(String[][] values) {
    Set<String> keys = new HashSet<>();
    for (int r = 0; r < plans.length; r++) {
      List<FieldRule> fields = rules.ruleSets().get(r).fields();
      int[] keyed = plans[r].fields();
      int[] space = new int[keyed.length]; // the key space: partner fields share the lower index
      List<List<String>> perField = new ArrayList<>(keyed.length);
      for (int i = 0; i < keyed.length; i++) {
        FieldRule f = fields.get(keyed[i]);
        space[i] = f.partner() < 0 ? keyed[i] : Math.min(keyed[i], f.partner());
        perField.add(f.partner() < 0 ? fieldKeys(f, values[f.slot()])
            : fieldKeys(f, concat(values[f.slot()], values[fields.get(f.partner()).slot()])));
      }
      if (!plans[r].pairs()) {
        for (int i = 0; i < perField.size(); i++) {
          for (String k : perField.get(i)) {
            keys.add(r + ":" + space[i] + ":" + k);
          }
        }
        continue;
      }
      for (int i = 0; i < perField.size(); i++) {
        for (int j = i + 1; j < perField.size(); j++) {
          boolean partners = space[i] == space[j];
          boolean ordered = space[i] <= space[j];
          for (String ki : perField.get(i)) {
            for (String kj : perField.get(j)) {
              if (partners && ki.equals(kj)) {
                continue; // one name in both fields is one agreement, not two
              }
              // Partners: the two codes in sorted order, since either may have come from either field.
              boolean first = partners ? ki.compareTo(kj) <= 0 : ordered;
              keys.add(r + ":" + Math.min(space[i], space[j]) + "+" + Math.max(space[i], space[j]) + ":"
                  + (first ? ki + "\u0001" + kj : kj + "\u0001" + ki));
            }
          }
        }
      }
    }
    return keys;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
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
    StringBuilder b = new StringBuilder("BlockingKeys");
    for (Plan p : plans) {
      b.append(Arrays.toString(p.fields())).append(p.pairs() ? " pairs" : " single");
    }
    return b.toString();
  }
}
