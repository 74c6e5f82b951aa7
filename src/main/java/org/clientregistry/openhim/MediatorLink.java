package org.clientregistry.openhim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's standing with core: registers (retrying with backoff until core answers 201; core may start
 * later), then beats every few seconds with the uptime, asking for the config on the first beat after each
 * registration and every N beats (several replicas may share one urn, and core pushes a change only once), and
 * then bringing the installed channel's route to the registry in step with its endpoint and route password.
 * A 404 means the mediator was deleted in the console: register again. A failure is logged once, and its recovery
 * once. On shutdown it stops beating without deregistering (that would erase the console's config).
 */
public final class MediatorLink {
  private static final Logger LOG = LoggerFactory.getLogger(MediatorLink.class);
  private static final long MAX_BACKOFF_MS = 60_000;

  private final Vertx vertx;
  private final CoreApi core;
  private final JsonObject registration;
  private final String urn;
  private final long beatMillis;
  private final int configEveryBeats;
  private final Function<JsonObject, Future<?>> configListener;
  private final long startedAt = System.currentTimeMillis();
  private final ChannelSync channels;
  private MediatorStatus status = new MediatorStatus();

  private volatile boolean stopped;
  private volatile boolean registered;
  private final java.util.concurrent.atomic.AtomicLong heartbeatFailures = new java.util.concurrent.atomic.AtomicLong();
  private long timer = -1;
  private long beats;
  private boolean forceConfigNext = true;
  private String failing; // what is failing, while it is; logged once

  public MediatorLink(Vertx vertx, CoreApi core, JsonObject registration, long beatMillis, int configEveryBeats,
                      Function<JsonObject, Future<?>> configListener) {
    this.vertx = vertx;
    this.core = core;
    this.registration = registration;
    this.urn = registration.getString("urn");
    this.beatMillis = beatMillis;
    this.configEveryBeats = configEveryBeats;
    this.configListener = configListener;
    this.channels = new ChannelSync(core, registration);
  }

  /** Whose refused config is logged at every heartbeat while it lasts. */
  public MediatorLink reporting(MediatorStatus status) {
    this.status = status;
    return this;
  }

  /** Starts registering in the background; never fails (core may come later). */
  public void start() {
    register(1000);
  }

  public boolean registered() {
    return registered;
  }

  public long heartbeatFailures() {
    return heartbeatFailures.get();
  }

  private void register(long backoff) {
    if (stopped) {
      return;
    }
    core.register(registration)
        .onSuccess(v -> {
          recovered("registration");
          registered = true;
          forceConfigNext = true;
          LOG.info("Registered with OpenHIM core as {} version {}", urn, registration.getString("version"));
          beat();
        })
        .onFailure(e -> {
          failed("registration", e, backoff);
          schedule(backoff, () -> register(Math.min(backoff * 2, MAX_BACKOFF_MS)));
        });
  }

  private void beat() {
    if (stopped) {
      return;
    }
    boolean force = forceConfigNext || (beats > 0 && beats % configEveryBeats == 0);
    beats++;
    long uptime = (System.currentTimeMillis() - startedAt) / 1000;
    core.heartbeat(urn, uptime, force)
        .onSuccess(config -> {
          recovered("heartbeat");
          forceConfigNext = false;
          if (config != null) {
            configListener.apply(config);
          }
          if (force) {
            channels.sync(); // a route password or endpoint changed since the channel was installed
          }
          status.refusal().ifPresent(why -> LOG.warn("The config OpenHIM core holds for {} is refused by the "
              + "registry ({}); the previous config stays in force until it is corrected in the console", urn, why));
          schedule(beatMillis, this::beat);
        })
        .onFailure(e -> {
          if (e instanceof CoreException ce && ce.status() == 404) {
            LOG.warn("OpenHIM core no longer knows mediator {} (deleted in the console?); registering again", urn);
            registered = false;
            register(1000);
            return;
          }
          heartbeatFailures.incrementAndGet();
          failed("heartbeat", e, beatMillis);
          schedule(beatMillis, this::beat);
        });
  }

  private synchronized void schedule(long delay, Runnable action) {
    if (!stopped) {
      timer = vertx.setTimer(delay, t -> action.run());
    }
  }

  private void failed(String what, Throwable e, long retryIn) {
    if (failing == null) {
      LOG.warn("OpenHIM core {} failed ({}); {}; logging again only on recovery", what, e.getMessage(),
          what.equals("registration") ? "trying again in " + Math.max(1, retryIn / 1000) + " s, then doubling up to "
              + MAX_BACKOFF_MS / 1000 + " s between tries, while the registry serves with the config in force"
              : "beating again every " + Math.max(1, retryIn / 1000) + " s");
      failing = what;
    }
  }

  private void recovered(String what) {
    if (failing != null) {
      LOG.info("OpenHIM core {} works again", what);
      failing = null;
    }
  }

  /** Stops beating; does not deregister. */
  public synchronized void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
