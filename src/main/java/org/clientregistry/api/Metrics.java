package org.clientregistry.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.clientregistry.matching.MatchIndex;

/**
 * Counters for {@code GET /metrics} in the Prometheus text format: requests and their latency by route and status,
 * link outcomes, and the matching index (size, candidate search). Lock-free; safe from every event loop.
 */
public final class Metrics {
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> latencyMicros = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final Supplier<MatchIndex> index;
  /** Gauges other parts register (the OpenHIM link): name → help and reading. */
  private final Map<String, Map.Entry<String, java.util.function.DoubleSupplier>> gauges =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  public void gauge(String name, String help, java.util.function.DoubleSupplier reading) {
    gauges.put(name, Map.entry(help, reading));
  }

  public Metrics(Supplier<MatchIndex> index) {
    this.index = index;
  }

  /** One answered request; {@code route} is the route pattern (never the raw path, which holds ids). */
  public void request(String method, String route, int status, long micros) {
    String key = "method=\"" + method + "\",route=\"" + route + "\",status=\"" + status + "\"";
    requests.computeIfAbsent(key, k -> new LongAdder()).increment();
    latencyMicros.computeIfAbsent(key, k -> new LongAdder()).add(micros);
  }

  /** One submission's outcome: created, linked, kept, unchanged (with +review when review items were raised). */
  public void outcome(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  public String prometheus() {
    StringBuilder b = new StringBuilder();
    b.append("# HELP cr_http_requests_total Requests answered, by route and status.\n");
    b.append("# TYPE cr_http_requests_total counter\n");
    requests.forEach((k, v) -> b.append("cr_http_requests_total{").append(k).append("} ").append(v.sum())
        .append('\n'));
    b.append("# HELP cr_http_request_seconds_sum Time spent answering, by route and status.\n");
    b.append("# TYPE cr_http_request_seconds_sum counter\n");
    latencyMicros.forEach((k, v) -> b.append("cr_http_request_seconds_sum{").append(k).append("} ")
        .append(v.sum() / 1e6).append('\n'));
    b.append("# HELP cr_submissions_total Submissions by linking outcome.\n");
    b.append("# TYPE cr_submissions_total counter\n");
    outcomes.forEach((k, v) -> b.append("cr_submissions_total{outcome=\"").append(k).append("\"} ")
        .append(v.sum()).append('\n'));
    MatchIndex current = index.get();
    MatchIndex.Stats stats = current.stats();
    gauge(b, "cr_index_records", "Source records in the matching index.", current.size());
    counter(b, "cr_candidate_lookups_total", "Candidate searches in the blocking index.", stats.lookups());
    counter(b, "cr_candidates_total", "Candidates returned by those searches.", stats.candidates());
    b.append("# HELP cr_rule_set_candidates_total Candidates found by each rule set's own blocking keys.\n");
    b.append("# TYPE cr_rule_set_candidates_total counter\n");
    stats.candidatesByRuleSet().forEach((name, n) -> b.append("cr_rule_set_candidates_total{rule_set=\"")
        .append(name.replace("\"", "'")).append("\"} ").append(n).append('\n'));
    counter(b, "cr_candidate_lookups_capped_total", "Searches cut by matching.maxCandidates.", stats.capped());
    gauges.forEach((name, g) -> gauge(b, name, g.getKey(), g.getValue().getAsDouble()));
    return b.toString();
  }

  private static void gauge(StringBuilder b, String name, String help, double value) {
    b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name)
        .append(" counter\n").append(name).append(' ').append(value).append('\n');
  }
}
