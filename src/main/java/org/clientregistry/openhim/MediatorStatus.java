package org.clientregistry.openhim;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the config in force came from, and the last config core sent that the registry refused while it lasts
 * (until core sends one the registry accepts): for /ready, the metrics and the heartbeat log line.
 */
public final class MediatorStatus {
  private volatile String source; // null until known
  private volatile Instant since;
  private volatile String refusal;
  private volatile Instant refusedAt;

  /** The config saved at the last acceptance was put in force at start. */
  public void restored(Instant acceptedAt) {
    source = "saved copy of core's config";
    since = acceptedAt;
  }

  public void accepted() {
    source = "OpenHIM core";
    since = Instant.now();
    refusal = null;
    refusedAt = null;
  }

  public void refused(String reason) {
    refusal = reason;
    refusedAt = Instant.now();
  }

  /** Whether the config in force is known (restored, or accepted from core). */
  public boolean configKnown() {
    return source != null;
  }

  /** The reason the last config from core was refused, while no later one was accepted. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** For /ready: the config's source and since when, and a refusal that lasts. */
  public JsonObject detail() {
    JsonObject out = new JsonObject().put("configSource", source == null ? "not yet known" : source);
    if (since != null) {
      out.put("configSince", since.toString());
    }
    if (refusal != null) {
      out.put("configRefused", refusal).put("configRefusedAt", refusedAt.toString());
    }
    return out;
  }
}
