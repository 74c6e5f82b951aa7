package org.clientregistry.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * A Vert.x instance whose HTTP servers, HTTP clients (FHIR server, OpenHIM core) and pools report to a Prometheus
 * registry of its own, with latency histograms. Labels are the route pattern, method and status: never the path
 * (it holds ids) nor the remote address.
 */
public final class VertxMeters {
  private static final Map<Vertx, PrometheusMeterRegistry> REGISTRIES = new WeakHashMap<>();

  private VertxMeters() {}

  /** A Vert.x with metrics; the registry serves them beside its own (see {@link #of}). */
  public static Vertx newVertx(VertxOptions options) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(HISTOGRAMS);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true)
        .setRegistryName("vertx-" + System.identityHashCode(registry))
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
            Label.POOL_NAME));
    Vertx vertx = Vertx.builder().with(options.setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
    synchronized (REGISTRIES) {
      REGISTRIES.put(vertx, registry);
    }
    return vertx;
  }

  /** The Vert.x metrics of an instance made by {@link #newVertx}; empty for any other (tests' plain instances). */
  public static Optional<PrometheusMeterRegistry> of(Vertx vertx) {
    synchronized (REGISTRIES) {
      return Optional.ofNullable(REGISTRIES.get(vertx));
    }
  }

  /** HTTP timers publish a histogram from 1 ms to 60 s (about 50 buckets; the default would be 276). */
  private static final MeterFilter HISTOGRAMS = new MeterFilter() {
    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("vertx.http")) {
        return DistributionStatisticConfig.builder().percentilesHistogram(true)
            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
            .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos()).build().merge(config);
      }
      return config;
    }
  };
}
