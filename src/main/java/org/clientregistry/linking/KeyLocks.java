package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Serialises work per key (blocking keys, identifiers), not globally: submissions that could match each other
 * share a key and run one after the other; unrelated ones run in parallel. Keys are hashed onto a fixed number of
 * stripes (bounded memory) and stripes are always taken in ascending order, so two holders cannot deadlock.
 */
final class KeyLocks {
  private static final int STRIPES = 1 << 16;

  private final Vertx vertx;
  private final long timeoutMs;

  KeyLocks(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** Takes every stripe the keys map to; the returned handle releases them all. */
  Future<Held> acquire(Collection<String> keys) {
    TreeSet<Integer> stripes = new TreeSet<>();
    keys.forEach(k -> stripes.add(k.hashCode() & (STRIPES - 1)));
    List<Lock> held = new ArrayList<>(stripes.size());
    Future<Void> chain = Future.succeededFuture();
    for (int stripe : stripes) {
      chain = chain.compose(v -> vertx.sharedData().getLocalLockWithTimeout("cr-key-" + stripe, timeoutMs)
          .map(lock -> {
            held.add(lock);
            return null;
          }));
    }
    return chain.map(v -> new Held(held)).recover(e -> {
      held.forEach(Lock::release);
      return Future.failedFuture(new LockTimeoutException());
    });
  }

  /** Locks held by one piece of work. */
  record Held(List<Lock> locks) {
    void release() {
      locks.forEach(Lock::release);
    }
  }
}
