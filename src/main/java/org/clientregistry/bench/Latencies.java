package org.clientregistry.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latencies of one phase, in microseconds; percentiles by sorting (the phases hold at most a few million). */
final class Latencies {
  private long[] micros = new long[1024];
  private int n;

  synchronized void add(long nanos) {
    if (n == micros.length) {
      micros = Arrays.copyOf(micros, n * 2);
    }
    micros[n++] = nanos / 1_000;
  }

  synchronized int count() {
    return n;
  }

  /** p50, p95, p99 and max in milliseconds. */
  synchronized Map<String, Double> summary() {
    long[] sorted = Arrays.copyOf(micros, n);
    Arrays.sort(sorted);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("p50Ms", at(sorted, 0.50));
    out.put("p95Ms", at(sorted, 0.95));
    out.put("p99Ms", at(sorted, 0.99));
    out.put("maxMs", n == 0 ? 0 : sorted[n - 1] / 1000.0);
    return out;
  }

  private static double at(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }
}
