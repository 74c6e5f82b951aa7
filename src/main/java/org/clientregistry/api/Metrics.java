package org.clientregistry.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.metrics.VertxMeters;

/**
 * {@code GET /metrics}: the registry's own meters (requests by route and status with a latency histogram, link
 * outcomes, the matching index, the review backlog, whatever other parts register) with JVM and process meters, in
 * a Micrometer Prometheus registry per running registry; followed by Vert.x's HTTP server and client meters when
 * the process made its Vert.x with them ({@link VertxMeters}). Safe from every event loop.
 */
public final class Metrics implements AutoCloseable {
  /** Latency buckets of cr_http_request_seconds: a submission takes milliseconds, a big Bundle seconds. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Supplier<MatchIndex> index;
  private final Set<String> ruleSets = ConcurrentHashMap.newKeySet();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private Vertx vertx;
  private long pollTimer = -1;

  public Metrics(Supplier<MatchIndex> index) {
    this.index = index;
    for (var binder : new io.micrometer.core.instrument.binder.MeterBinder[] {new ClassLoaderMetrics(),
        new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics(),
        new FileDescriptorMetrics()}) {
      binder.bindTo(registry);
    }
    gauge("cr_index_records", "Source records in the matching index.", () -> index.get().size());
    counter("cr_candidate_lookups", "Candidate searches in the blocking index.", m -> m.stats().lookups());
    counter("cr_candidates", "Candidates returned by those searches.", m -> m.stats().candidates());
    counter("cr_candidate_lookups_capped", "Searches cut by matching.maxCandidates.", m -> m.stats().capped());
    gauge("cr_candidates_per_lookup", "Candidates per search since the index was built (the rate of "
        + "cr_candidates_total over cr_candidate_lookups_total is the recent figure).", () -> {
          MatchIndex.Stats s = index.get().stats();
          return s.lookups() == 0 ? 0 : (double) s.candidates() / s.lookups();
        });
  }

  private void counter(String name, String help, ToDoubleFunction<MatchIndex> reading) {
    FunctionCounter.builder(name, index, i -> reading.applyAsDouble(i.get())).description(help).register(registry);
  }

  public void gauge(String name, String help, DoubleSupplier reading) {
    Gauge.builder(name, reading::getAsDouble).description(help).register(registry);
  }

  /** A count kept elsewhere (refused configs), with tags such as where it came from. */
  public void counter(String name, String help, Tags tags, Supplier<Number> reading) {
    FunctionCounter.builder(name, reading, r -> r.get().doubleValue()).description(help).tags(tags)
        .register(registry);
  }

  /**
   * A gauge read asynchronously (a store query) every {@code every} and kept between readings; -1 until the first
   * reading. The timer stops with {@link #close()}.
   */
  public void polled(Vertx vertx, String name, String help, Supplier<Future<? extends Number>> reading,
                     Duration every) {
    AtomicLong value = new AtomicLong(-1);
    Gauge.builder(name, value, AtomicLong::get).description(help).register(registry);
    Runnable read = () -> reading.get().onSuccess(n -> value.set(n.longValue()));
    read.run();
    this.vertx = vertx;
    this.pollTimer = vertx.setPeriodic(every.toMillis(), id -> read.run());
  }

  /** One answered request; {@code route} is the route pattern (never the raw path, which holds ids). */
  public void request(String method, String route, int status, long micros) {
    Tags tags = Tags.of("method", method, "route", route, "status", Integer.toString(status));
    Counter.builder("cr_http_requests").description("Requests answered, by route and status.").tags(tags)
        .register(registry).increment();
    Timer.builder("cr_http_request").description("Time spent answering, by route and status.").tags(tags)
        .serviceLevelObjectives(BUCKETS).register(registry).record(micros, TimeUnit.MICROSECONDS);
  }

  /** One submission's outcome: created, linked, kept, unchanged (with +review when review items were raised). */
  public void outcome(String outcome) {
    Counter.builder("cr_submissions").description("Submissions by linking outcome.").tag("outcome", outcome)
        .register(registry).increment();
  }

  /** The Prometheus text (format 0.0.4): the registry's meters, then Vert.x's when it has them. */
  public String prometheus() {
    index.get().stats().candidatesByRuleSet().keySet().forEach(name -> {
      if (ruleSets.add(name)) {
        FunctionCounter.builder("cr_rule_set_candidates", index, i -> i.get().stats().candidatesByRuleSet()
                .getOrDefault(name, 0L)).description("Candidates found by each rule set's own blocking keys.")
            .tag("rule_set", name).register(registry);
      }
    });
    String own = registry.scrape();
    return vertx == null ? own : VertxMeters.of(vertx).map(v -> own + v.scrape()).orElse(own);
  }

  /** Tells which Vert.x instance's meters to add (set by {@link #polled}, or here when nothing is polled). */
  public Metrics withVertx(Vertx vertx) {
    this.vertx = vertx;
    return this;
  }

  @Override
  public void close() {
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    gc.close();
    registry.close();
  }
}
