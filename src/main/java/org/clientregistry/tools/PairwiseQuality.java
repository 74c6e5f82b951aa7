package org.clientregistry.tools;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairwise link quality: records that truly are one person (same entity) against records the registry put
 * together (same golden record). A record without a golden record counts as alone.
 */
public record PairwiseQuality(long truePairs, long linkedPairs, long truePositives, double precision, double recall,
                              double f1) {

  public static PairwiseQuality of(List<String> entities, List<String> goldens) {
    Map<String, Long> byGolden = new HashMap<>();
    Map<String, Long> byEntity = new HashMap<>();
    Map<String, Long> byBoth = new HashMap<>();
    for (int i = 0; i < entities.size(); i++) {
      String golden = goldens.get(i) == null ? "\u0000alone-" + i : goldens.get(i);
      byGolden.merge(golden, 1L, Long::sum);
      byEntity.merge(entities.get(i), 1L, Long::sum);
      byBoth.merge(golden + "\u0001" + entities.get(i), 1L, Long::sum);
    }
    long linked = pairs(byGolden);
    long truth = pairs(byEntity);
    long tp = pairs(byBoth);
    double precision = linked == 0 ? 1 : (double) tp / linked;
    double recall = truth == 0 ? 1 : (double) tp / truth;
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return new PairwiseQuality(truth, linked, tp, precision, recall, f1);
  }

  private static long pairs(Map<String, Long> groupSizes) {
    return groupSizes.values().stream().mapToLong(n -> n * (n - 1) / 2).sum();
  }
}
