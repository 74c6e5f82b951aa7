package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Counts the writes under way (a store commit, then the index update that follows it) and, once closed, lets no
 * new one start. A clean stop closes it and waits for it to empty before it writes the index to disk, so that the
 * snapshot holds every committed write. It also remembers whether any committed write failed to reach the index:
 * such an index must not be kept.
 */
final class WriteGate {
  private int writing;
  private boolean closed;
  private volatile boolean indexMissedWrite;
  private Promise<Boolean> emptied;

  /** Whether a write may start (then {@link #exit} must follow); false once closed. */
  synchronized boolean enter() {
    if (closed) {
      return false;
    }
    writing++;
    return true;
  }

  synchronized void exit() {
    writing--;
    if (writing == 0 && emptied != null) {
      emptied.tryComplete(true);
    }
  }

  /** A write committed to the store but did not reach the index. */
  void indexMissedWrite() {
    indexMissedWrite = true;
  }

  boolean indexInStep() {
    return !indexMissedWrite;
  }

  /** Closes the gate; completes with true once no write is under way, or false if some still are after the wait. */
  Future<Boolean> close(Vertx vertx, long waitMillis) {
    Promise<Boolean> p;
    synchronized (this) {
      closed = true;
      if (writing == 0) {
        return Future.succeededFuture(true);
      }
      p = emptied = Promise.promise();
    }
    long timer = vertx.setTimer(waitMillis, t -> p.tryComplete(false));
    return p.future().onComplete(done -> vertx.cancelTimer(timer));
  }
}
