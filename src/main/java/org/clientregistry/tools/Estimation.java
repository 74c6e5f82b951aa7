package org.clientregistry.tools;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.clientregistry.matching.FieldResult;
import org.clientregistry.matching.FieldRule;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.Matcher;
import org.clientregistry.matching.MatchingType;
import org.clientregistry.matching.RuleSet;

/**
 * Fellegi-Sunter parameters from unlabelled records: u (agreement among different people) from random pairs,
 * m (agreement among the same person) by expectation-maximisation over the pairs blocking lets through, with u
 * held fixed. Missing values count for neither.
 */
final class Estimation {
  private static final double MIN = 0.0001;
  private static final double MAX = 0.9999;

  /** Estimated parameters per field, and the share of blocked pairs that are matches. */
  record Result(List<String> fields, double[] m, double[] u, double matchShare, long blockedPairs,
                long randomPairs) {}

  private Estimation() {}

  static Result run(RuleSet set, List<String[][]> records, MatchIndex index, int randomPairs, int iterations,
                    long seed) {
    List<FieldRule> fields = set.fields();
    double[] u = uFromRandomPairs(fields, records, randomPairs, new Random(seed));
    List<byte[]> blocked = blockedPairs(fields, records, index);
    double[] m = new double[fields.size()];
    java.util.Arrays.fill(m, 0.9);
    double share = 0.1;
    for (int it = 0; it < iterations; it++) {
      double[] agreeWeight = new double[fields.size()];
      double[] seenWeight = new double[fields.size()];
      double total = 0;
      for (byte[] g : blocked) {
        double pm = share;
        double pu = 1 - share;
        for (int f = 0; f < g.length; f++) {
          if (g[f] < 0) {
            continue;
          }
          pm *= g[f] == 1 ? m[f] : 1 - m[f];
          pu *= g[f] == 1 ? u[f] : 1 - u[f];
        }
        double w = pm / (pm + pu);
        total += w;
        for (int f = 0; f < g.length; f++) {
          if (g[f] >= 0) {
            seenWeight[f] += w;
            agreeWeight[f] += w * g[f];
          }
        }
      }
      for (int f = 0; f < m.length; f++) {
        m[f] = clamp(seenWeight[f] == 0 ? 0.9 : agreeWeight[f] / seenWeight[f]);
      }
      share = blocked.isEmpty() ? share : clamp(total / blocked.size());
    }
    return new Result(fields.stream().map(FieldRule::name).toList(), m, u, share, blocked.size(), randomPairs);
  }

  private static double[] uFromRandomPairs(List<FieldRule> fields, List<String[][]> records, int pairs, Random r) {
    double[] agree = new double[fields.size()];
    double[] seen = new double[fields.size()];
    for (int p = 0; p < pairs && records.size() > 1; p++) {
      int i = r.nextInt(records.size());
      int j = r.nextInt(records.size() - 1);
      j = j >= i ? j + 1 : j;
      byte[] g = agreement(fields, records.get(i), records.get(j));
      for (int f = 0; f < g.length; f++) {
        if (g[f] >= 0) {
          seen[f]++;
          agree[f] += g[f];
        }
      }
    }
    double[] u = new double[fields.size()];
    for (int f = 0; f < u.length; f++) {
      u[f] = clamp((agree[f] + 1) / (seen[f] + 2)); // add-one smoothing: never 0 or 1
    }
    return u;
  }

  private static List<byte[]> blockedPairs(List<FieldRule> fields, List<String[][]> records, MatchIndex index) {
    for (int i = 0; i < records.size(); i++) {
      index.put(new MatchRecord(Integer.toString(i), 1, "estimate", "g" + i, false, records.get(i)));
    }
    List<byte[]> out = new ArrayList<>();
    Set<Long> seenPairs = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      for (MatchRecord c : index.candidates(records.get(i), Integer.toString(i)).records()) {
        int j = Integer.parseInt(c.sourceId());
        long key = Math.min(i, j) * (long) records.size() + Math.max(i, j);
        if (seenPairs.add(key)) {
          out.add(agreement(fields, records.get(i), records.get(j)));
        }
      }
    }
    return out;
  }

  /** Per field: 1 agrees, 0 disagrees, -1 a value is missing. */
  private static byte[] agreement(List<FieldRule> fields, String[][] a, String[][] b) {
    byte[] g = new byte[fields.size()];
    for (int f = 0; f < g.length; f++) {
      FieldRule rule = fields.get(f);
      String[] va = a[rule.slot()];
      String[] vb = b[rule.slot()];
      if (va.length == 0 || vb.length == 0) {
        g[f] = -1;
        continue;
      }
      g[f] = (byte) (Matcher.field(MatchingType.DETERMINISTIC, rule, va, vb).result() == FieldResult.Result.PASS
          ? 1 : 0);
    }
    return g;
  }

  private static double clamp(double x) {
    return Math.max(MIN, Math.min(MAX, x));
  }
}
