package org.clientregistry.security;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.logging.BurstLog;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups ($match, PIX, PDQm) per client and minute (docs/security.md): a token bucket per client that holds a
 * minute's worth and refills evenly, so a client may burst up to the limit and then keeps to the rate. A lookup
 * over it is a 429 with Retry-After; refusals are logged in bursts (one line and a count per 10 s).
 */
public final class LookupLimits {
  private static final Logger LOG = LoggerFactory.getLogger(LookupLimits.class);

  private final int perMinute;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final BurstLog refusals;

  /** @param perMinute lookups a minute per client; 0 for no limit */
  public LookupLimits(Vertx vertx, int perMinute) {
    this.perMinute = perMinute;
    this.refusals = new BurstLog(vertx, LOG, "lookups refused over the per-client limit", 10_000);
  }

  /** Takes one lookup from this client's allowance, or throws a 429 FhirException saying when to come back. */
  public void admit(String clientId) {
    if (perMinute <= 0) {
      return;
    }
    long waitNanos = buckets.computeIfAbsent(clientId, k -> new Bucket(perMinute)).take(System.nanoTime());
    if (waitNanos > 0) {
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      refusals.warn("Client '{}' is over its {} lookups a minute; refused with 429", clientId, perMinute);
      throw new FhirException(429, IssueType.THROTTLED, "Client '" + clientId + "' made more than " + perMinute
          + " lookups in a minute; retry after " + seconds + " s", Map.of("Retry-After", Long.toString(seconds)));
    }
  }

  /** Tokens in nanoseconds' worth: {@code capacity} lookups, refilled at capacity per minute. */
  private static final class Bucket {
    private static final long MINUTE = 60_000_000_000L;
    private final int capacity;
    private final long nanosPerToken;
    private double tokens; // guarded by this
    private long refilledAt; // guarded by this

    Bucket(int capacity) {
      this.capacity = capacity;
      this.nanosPerToken = MINUTE / capacity;
      this.tokens = capacity;
      this.refilledAt = System.nanoTime();
    }

    /** 0 when a token was taken, else the nanoseconds until one is there. */
    synchronized long take(long now) {
      tokens = Math.min(capacity, tokens + (double) (now - refilledAt) / nanosPerToken);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) ((1 - tokens) * nanosPerToken);
    }
  }
}
