package org.clientregistry.tools;

import java.util.List;
import java.util.Random;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;

/**
 * Measures what a rules file's blocking costs on the records themselves: every record indexed, then the mean number
 * of candidates a sample of them finds. {@code estimate} keeps the widest blocking (every pair reaching the review
 * threshold sure to share a key, single-field keys if need be) while that stays within a budget, and otherwise
 * keys pairs of fields, which keeps candidate lists short as a registry grows.
 */
final class BlockingChoice {
  /** Mean candidates per lookup, with every record indexed, above which blocking keys pairs of fields. */
  static final int BUDGET = 100;
  private static final int SAMPLE = 2000;

  private BlockingChoice() {}

  static double meanCandidates(DecisionRules rules, List<String[][]> records, long seed) {
    MatchIndex index = new MatchIndex(rules, 100_000);
    for (int i = 0; i < records.size(); i++) {
      index.put(new MatchRecord(Integer.toString(i), 1, "estimate", "g" + i, false, records.get(i)));
    }
    Random random = new Random(seed);
    int n = Math.min(SAMPLE, records.size());
    long total = 0;
    for (int k = 0; k < n; k++) {
      int i = records.size() <= SAMPLE ? k : random.nextInt(records.size());
      total += index.candidates(records.get(i), Integer.toString(i)).records().size();
    }
    return n == 0 ? 0 : (double) total / n;
  }
}
