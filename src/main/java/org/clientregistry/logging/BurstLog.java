package org.clientregistry.logging;

import io.vertx.core.Vertx;
import org.slf4j.Logger;

/**
 * A warning that can come in floods (refused connections, refused writes): the first one is logged at once, the
 * rest of each interval become one summary line with their count, so 4,000 refusals write a few lines, not 4,000.
 */
public final class BurstLog {
  private final Vertx vertx;
  private final Logger log;
  private final String summary;
  private final long intervalMillis;
  private long windowEnds; // guarded by this
  private long held; // guarded by this

  /** @param summary what the held events were, e.g. "connections refused" */
  public BurstLog(Vertx vertx, Logger log, String summary, long intervalMillis) {
    this.vertx = vertx;
    this.log = log;
    this.summary = summary;
    this.intervalMillis = intervalMillis;
  }

  /** Logs this event, or counts it into the summary when one was logged less than an interval ago. */
  public void warn(String format, Object... args) {
    long now = System.currentTimeMillis();
    synchronized (this) {
      if (now < windowEnds) {
        if (held++ == 0) {
          vertx.setTimer(Math.max(1, windowEnds - now), id -> flush());
        }
        return;
      }
      windowEnds = now + intervalMillis;
    }
    log.warn(format, args);
  }

  private void flush() {
    long count;
    synchronized (this) {
      count = held;
      held = 0;
      windowEnds = System.currentTimeMillis() + intervalMillis; // the next event starts a window of its own
    }
    if (count > 0) {
      log.warn("{} more {} in the last {} s (the first was logged above)", count, summary, intervalMillis / 1000);
    }
  }
}
