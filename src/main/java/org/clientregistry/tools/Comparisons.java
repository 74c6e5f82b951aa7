package org.clientregistry.tools;

import java.util.List;
import org.clientregistry.matching.FieldRule;
import org.clientregistry.matching.RuleSet;
import org.clientregistry.matching.Slot;

/**
 * Comparison vectors for estimation: per field the agreement level two records reach (0 = best level; the last
 * level is "else"), or -1 when a value is missing. A field without levels has two: passes, fails. Partner fields
 * (names in either order) take the orientation with the better levels, as the matcher does.
 */
final class Comparisons {
  private final List<FieldRule> fields;
  private final List<Slot> slots;
  private final int[] levelCounts;

  Comparisons(RuleSet set, List<Slot> slots) {
    this.fields = set.fields();
    this.slots = slots;
    this.levelCounts = fields.stream().mapToInt(f -> f.levels().isEmpty() ? 2 : f.levels().size() + 1).toArray();
  }

  int[] levelCounts() {
    return levelCounts.clone();
  }

  byte[] vector(String[][] a, String[][] b) {
    byte[] g = new byte[fields.size()];
    for (int f = 0; f < g.length; f++) {
      FieldRule rule = fields.get(f);
      int p = rule.partner();
      if (p >= 0 && p < f) {
        continue; // decided with its partner
      }
      g[f] = level(f, a[rule.slot()], b[rule.slot()]);
      if (p > f) {
        FieldRule partner = fields.get(p);
        g[p] = level(p, a[partner.slot()], b[partner.slot()]);
        byte cf = level(f, a[rule.slot()], b[partner.slot()]);
        byte cp = level(p, a[partner.slot()], b[rule.slot()]);
        if (cf >= 0 && cp >= 0 && g[f] >= 0 && g[p] >= 0 && cf + cp < g[f] + g[p]) {
          g[f] = cf;
          g[p] = cp;
        }
      }
    }
    return g;
  }

  private byte level(int f, String[] va, String[] vb) {
    if (va.length == 0 || vb.length == 0) {
      return -1;
    }
    FieldRule rule = fields.get(f);
    int best = levelCounts[f] - 1;
    for (String x : va) {
      for (String y : vb) {
        int l = rule.levels().isEmpty() ? (rule.algorithm().passes(rule.algorithm().score(x, y), rule.threshold())
            ? 0 : 1) : rule.level(x, y);
        best = Math.min(best, l < 0 ? levelCounts[f] - 1 : l);
      }
    }
    return (byte) best;
  }

  /** Whether a field's first level is exact equality (so a pass blocking on exact values selects it). */
  boolean exactLevel(int f) {
    FieldRule rule = fields.get(f);
    return rule.levels().isEmpty() ? rule.algorithm().name().equals("exact")
        : rule.levels().get(0).algorithm().name().equals("exact");
  }

  static boolean anyEqual(String[] a, String[] b) {
    for (String x : a) {
      for (String y : b) {
        if (x.equals(y)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a field says who someone is (a name, a birth date, an identifier, a phone) rather than where they
   * live: address fields agree between neighbours and relatives far more than at random, so a blocking pass on
   * one of them would take households for matches.
   */
  boolean identifying(int f) {
    String path = slots.get(fields.get(f).slot()).fhirpath();
    return !path.contains("address") && !path.contains("gender");
  }
}
