package org.clientregistry.bench;

import java.util.Map;
import org.clientregistry.tools.PairwiseQuality;

/** The bench figures as a markdown table. */
final class BenchReport {
  private BenchReport() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    Map<String, Object> settings = (Map<String, Object>) r.get("settings");
    StringBuilder b = new StringBuilder();
    b.append(String.format("Registry size after the run: %,d records (%,d bulk + %,d single), %s clients in flight,"
            + " load average at start %s%n%n", ((Number) settings.get("preload")).longValue()
            + ((Number) settings.get("records")).longValue(), settings.get("preload"), settings.get("records"),
        settings.get("clients"), ((Map<String, Object>) r.get("machine")).get("loadAverageAtStart")));
    b.append("| phase | requests | per second | p50 ms | p95 ms | p99 ms | server CPU (cores) | failed |\n");
    b.append("|---|---|---|---|---|---|---|---|\n");
    Map<String, Object> phases = new java.util.LinkedHashMap<>();
    for (String phase : new String[] {"bulk", "singleSubmissions", "pix", "match", "pixOneInFlight",
        "matchOneInFlight"}) {
      phases.put(phase, r.get(phase));
    }
    Map<String, Object> console = (Map<String, Object>) r.getOrDefault("console", Map.of());
    console.forEach((k, v) -> phases.put("console " + k, v instanceof Map ? v : null));
    for (Map.Entry<String, Object> e : phases.entrySet()) {
      Map<String, Object> f = (Map<String, Object>) e.getValue();
      String phase = e.getKey();
      if (f == null) {
        continue;
      }
      b.append(String.format("| %s | %,d | %,.0f | %.1f | %.1f | %.1f | %.2f | %d |%n", phase,
          ((Number) f.get("requests")).longValue(),
          ((Number) f.getOrDefault("recordsPerSecond", f.get("perSecond"))).doubleValue(),
          f.get("p50Ms"), f.get("p95Ms"), f.get("p99Ms"), f.get("serverCpuCores"), f.get("failed")));
    }
    Map<String, Object> heap = (Map<String, Object>) r.get("heap");
    PairwiseQuality q = (PairwiseQuality) r.get("quality");
    if (heap == null) { // --console-only: no heap reading or restarts
      b.append(String.format("%nLink quality on the generated truth: precision %.4f, recall %.4f, F1 %.4f.%n",
          q.precision(), q.recall(), q.f1()));
    } else {
      b.append(String.format("%nBulk figures are records per second (Bundles of %s). Heap per stored record: %,d bytes"
              + " (after a full GC, less the empty registry's heap). Clean stop: %,d ms (keeping the index on disk);"
              + " ready after it: %,d ms (index %s). Ready after a kill: %,d ms (index rebuilt from the store)."
              + " Link quality on the generated truth: precision %.4f, recall %.4f, F1 %.4f.%n",
          settings.get("bundleSize"), heap.get("bytesPerRecord"), r.get("stopMs"), r.get("restartReadyMs"),
          Boolean.TRUE.equals(r.get("restartFromSnapshot")) ? "read from its snapshot"
              : "rebuilt: no snapshot was used",
          r.get("rebuildReadyMs"), q.precision(), q.recall(), q.f1()));
    }
    Map<String, Object> c = (Map<String, Object>) r.get("candidates");
    if (c != null) {
      b.append(String.format("Blocking: %.1f candidates per lookup over %,d lookups, %,d cut by the cap.%n",
          ((Number) c.get("candidatesPerLookup")).doubleValue(), ((Number) c.get("lookups")).longValue(),
          ((Number) c.get("capped")).longValue()));
    }
    if (settings.get("warmup") != null) {
      b.append(String.format("The first %,d single submissions warmed the JIT and are not in the figures.%n",
          ((Number) settings.get("warmup")).longValue()));
    }
    return b.toString();
  }
}
