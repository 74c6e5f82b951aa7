package org.clientregistry.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.clientregistry.matching.FieldRule;
import org.clientregistry.matching.RuleSet;

/**
 * Fellegi-Sunter parameters from unlabelled records, the way Splink estimates them: u (how often each agreement
 * level occurs between different people) from random pairs; m (how often it occurs for the same person) by
 * expectation-maximisation over several blocking passes, each pass on the exact value of one identifying field and
 * estimating only the other fields (a field a pass blocks on always agrees there, so its m would be biased); the
 * prior (share of pairs that match) from how many matches each pass finds and how often matches agree on its
 * field. Missing values count for no level. Comparison vectors are counted by pattern, so EM runs over a few
 * thousand patterns whatever the number of pairs.
 */
final class Estimation {
  /** At most this many pairs per blocking pass (more are sampled down). */
  static final int PAIRS_PER_PASS = 2_000_000;
  /** A block value shared by more records than this is not identifying (a placeholder, "unknown"): skipped. */
  private static final int MAX_BLOCK = 3000;
  /** A pass field must be this selective (share of random pairs agreeing exactly) and this often filled. */
  private static final double MAX_PASS_U = 0.01;
  private static final double MIN_PASS_COVERAGE = 0.3;
  private static final int MAX_PASSES = 5;

  /** One blocking pass: the field it blocks on, pairs compared, expected matches among them, sampling rate. */
  record Pass(String field, long pairs, double expectedMatches, double rate) {}

  /** m and u per field and level (last level = else), the prior, and what the passes saw. */
  record Result(List<String> fields, double[][] m, double[][] u, double prior, long randomPairs, List<Pass> passes,
                List<double[]> scoredPairs) {}

  private Estimation() {}

  static Result run(RuleSet set, List<org.clientregistry.matching.Slot> slots, List<String[][]> records, int randomPairs, int iterations, long seed) {
    List<FieldRule> fields = set.fields();
    Comparisons cmp = new Comparisons(set, slots);
    Random random = new Random(seed);
    int n = records.size();
    int[] levels = cmp.levelCounts();
    // u and, per field, how often random pairs agree exactly and have both values.
    double[][] uCounts = new double[fields.size()][];
    for (int f = 0; f < levels.length; f++) {
      uCounts[f] = new double[levels[f]];
    }
    double[] exact = new double[fields.size()];
    double[] seen = new double[fields.size()];
    long drawn = 0;
    for (int p = 0; p < randomPairs && n > 1; p++, drawn++) {
      int i = random.nextInt(n);
      int j = random.nextInt(n - 1);
      j = j >= i ? j + 1 : j;
      byte[] g = cmp.vector(records.get(i), records.get(j));
      for (int f = 0; f < g.length; f++) {
        if (g[f] >= 0) {
          uCounts[f][g[f]]++;
          seen[f]++;
          exact[f] += Comparisons.anyEqual(records.get(i)[fields.get(f).slot()], records.get(j)[fields.get(f).slot()])
              ? 1 : 0;
        }
      }
    }
    double[][] u = new double[fields.size()][];
    for (int f = 0; f < u.length; f++) {
      u[f] = smoothed(uCounts[f], 0.5);
    }
    // Passes: the most selective identifying fields, each blocking on its exact values.
    List<Integer> passFields = new ArrayList<>();
    for (int f = 0; f < fields.size(); f++) {
      double coverage = drawn == 0 ? 0 : Math.sqrt(seen[f] / drawn);
      // In a small registry one person's few records are already a visible share of random pairs.
      if (cmp.identifying(f) && seen[f] > 0 && exact[f] / seen[f] <= Math.max(MAX_PASS_U, 5.0 / n)
          && coverage >= MIN_PASS_COVERAGE) {
        passFields.add(f);
      }
    }
    passFields.sort((a, b) -> Double.compare(exact[a] / seen[a], exact[b] / seen[b]));
    if (passFields.size() > MAX_PASSES) {
      passFields = new ArrayList<>(passFields.subList(0, MAX_PASSES));
    }
    passFields.sort(Integer::compare);

    double[][] mSum = new double[fields.size()][];
    int[] mPasses = new int[fields.size()];
    for (int f = 0; f < fields.size(); f++) {
      mSum[f] = new double[levels[f]];
    }
    List<Pass> passes = new ArrayList<>();
    Map<Long, byte[]> allPairs = new HashMap<>();
    List<double[]> lambdaEstimates = new ArrayList<>();
    for (int b : passFields) {
      double[] rate = new double[1];
      Map<Long, byte[]> pairs = blockedPairs(cmp, records, fields.get(b).slot(), random, rate);
      allPairs.putAll(pairs);
      Map<String, Long> patterns = new HashMap<>();
      pairs.values().forEach(g -> patterns.merge(key(g), 1L, Long::sum));
      double[][] m = initialM(levels);
      double share = em(patterns, m, u, b, iterations);
      for (int f = 0; f < fields.size(); f++) {
        if (f != b) {
          for (int k = 0; k < levels[f]; k++) {
            mSum[f][k] += m[f][k];
          }
          mPasses[f]++;
        }
      }
      double expected = share * pairs.size() / rate[0];
      passes.add(new Pass(fields.get(b).name(), pairs.size(), expected, rate[0]));
      lambdaEstimates.add(new double[] {b, expected});
    }
    double[][] m = new double[fields.size()][];
    for (int f = 0; f < fields.size(); f++) {
      m[f] = mPasses[f] == 0 ? initialM(levels)[f] : normalised(mSum[f], mPasses[f]);
    }
    // The prior: matches a pass found / the share of matches that agree exactly on its field (and have it).
    List<Double> totals = new ArrayList<>();
    for (double[] e : lambdaEstimates) {
      int b = (int) e[0];
      double exactGivenMatch = cmp.exactLevel(b) ? m[b][0] : 0;
      double both = drawn == 0 ? 0 : seen[b] / drawn;
      if (exactGivenMatch > 0.05 && both > 0) {
        totals.add(e[1] / (exactGivenMatch * both));
      }
    }
    double allPairCount = n * (n - 1) / 2.0;
    double matches = totals.isEmpty() ? n / 10.0 : median(totals);
    double prior = Math.min(0.5, Math.max(1e-12, matches / Math.max(1, allPairCount)));
    List<double[]> scored = new ArrayList<>(allPairs.size());
    for (byte[] g : allPairs.values()) {
      scored.add(new double[] {score(g, m, u), 0});
    }
    return new Result(fields.stream().map(FieldRule::name).toList(), m, u, prior, drawn, passes, scored);
  }

  /** Pairs of records sharing an exact value of the slot, sampled down to the budget. */
  private static Map<Long, byte[]> blockedPairs(Comparisons cmp, List<String[][]> records, int slot, Random random,
                                                double[] rate) {
    Map<String, List<Integer>> blocks = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      for (String v : new HashSet<>(Arrays.asList(records.get(i)[slot]))) {
        blocks.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
      }
    }
    long total = 0;
    List<List<Integer>> kept = new ArrayList<>();
    for (String value : blocks.keySet().stream().sorted().toList()) { // sorted: the same sample every run
      List<Integer> block = blocks.get(value);
      if (block.size() > 1 && block.size() <= MAX_BLOCK) {
        kept.add(block);
        total += (long) block.size() * (block.size() - 1) / 2;
      }
    }
    rate[0] = total <= PAIRS_PER_PASS ? 1 : (double) PAIRS_PER_PASS / total;
    Map<Long, byte[]> out = new HashMap<>();
    long n = records.size();
    for (List<Integer> block : kept) {
      for (int x = 0; x < block.size(); x++) {
        for (int y = x + 1; y < block.size(); y++) {
          if (rate[0] < 1 && random.nextDouble() >= rate[0]) {
            continue;
          }
          int i = block.get(x);
          int j = block.get(y);
          long pair = Math.min(i, j) * n + Math.max(i, j);
          if (!out.containsKey(pair)) {
            out.put(pair, cmp.vector(records.get(i), records.get(j)));
          }
        }
      }
    }
    return out;
  }

  /** EM with u fixed: updates m (all fields but the blocked one) and returns the share of matches. */
  private static double em(Map<String, Long> patterns, double[][] m, double[][] u, int blocked, int iterations) {
    double share = 0.2;
    long total = patterns.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return 0;
    }
    for (int it = 0; it < iterations; it++) {
      double[][] num = new double[m.length][];
      for (int f = 0; f < m.length; f++) {
        num[f] = new double[m[f].length];
      }
      double matched = 0;
      for (Map.Entry<String, Long> e : patterns.entrySet()) {
        String g = e.getKey();
        double logM = Math.log(share);
        double logU = Math.log(1 - share);
        for (int f = 0; f < g.length(); f++) {
          int level = g.charAt(f) - 1;
          if (level >= 0 && f != blocked) {
            logM += Math.log(m[f][level]);
            logU += Math.log(u[f][level]);
          }
        }
        double p = 1 / (1 + Math.exp(logU - logM));
        double w = p * e.getValue();
        matched += w;
        for (int f = 0; f < g.length(); f++) {
          int level = g.charAt(f) - 1;
          if (level >= 0) {
            num[f][level] += w;
          }
        }
      }
      double change = 0;
      for (int f = 0; f < m.length; f++) {
        if (f == blocked) {
          continue;
        }
        double[] next = smoothed(num[f], 1e-3);
        for (int k = 0; k < next.length; k++) {
          change = Math.max(change, Math.abs(next[k] - m[f][k]));
        }
        m[f] = next;
      }
      double nextShare = Math.min(0.999, Math.max(1e-9, matched / total));
      change = Math.max(change, Math.abs(nextShare - share));
      share = nextShare;
      if (change < 1e-6) {
        break;
      }
    }
    return share;
  }

  /** Sum of the level weights of a comparison vector (what the registry scores, before term frequencies). */
  static double score(byte[] g, double[][] m, double[][] u) {
    double s = 0;
    for (int f = 0; f < g.length; f++) {
      if (g[f] >= 0) {
        s += log2(m[f][g[f]] / u[f][g[f]]);
      }
    }
    return s;
  }

  /** A start that says "matches agree": most of m on the first level, little on else. */
  private static double[][] initialM(int[] levels) {
    double[][] m = new double[levels.length][];
    for (int f = 0; f < levels.length; f++) {
      int k = levels[f];
      m[f] = new double[k];
      if (k == 2) {
        m[f][0] = 0.9;
        m[f][1] = 0.1;
        continue;
      }
      m[f][0] = 0.7;
      for (int l = 1; l < k - 1; l++) {
        m[f][l] = 0.25 / (k - 2);
      }
      m[f][k - 1] = 0.05;
    }
    return m;
  }

  private static String key(byte[] g) {
    char[] c = new char[g.length];
    for (int f = 0; f < g.length; f++) {
      c[f] = (char) (g[f] + 1); // 0 = missing
    }
    return new String(c);
  }

  private static double[] smoothed(double[] counts, double add) {
    double total = 0;
    for (double c : counts) {
      total += c + add;
    }
    double[] out = new double[counts.length];
    for (int k = 0; k < counts.length; k++) {
      out[k] = Math.max(1e-7, (counts[k] + add) / total);
    }
    return out;
  }

  private static double[] normalised(double[] sum, int passes) {
    double[] out = new double[sum.length];
    for (int k = 0; k < sum.length; k++) {
      out[k] = sum[k] / passes;
    }
    return out;
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
