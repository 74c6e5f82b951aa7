package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Work on disjoint keys runs at once; work sharing a key waits: serialisation per key, not a global lock. */
class KeyLocksTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void disjointKeysDoNotWaitSharedKeysDo() throws Exception {
    KeyLocks locks = new KeyLocks(vertx, 5_000);
    KeyLocks.Held first = locks.acquire(List.of("given:ann", "family:okot")).await();
    KeyLocks.Held unrelated = locks.acquire(List.of("given:bob", "family:ssali")).await(2, TimeUnit.SECONDS);
    Future<KeyLocks.Held> sharing = locks.acquire(List.of("family:okot", "given:zed"));
    Thread.sleep(200);
    assertFalse(sharing.isComplete(), "a submission sharing a key waits");
    first.release();
    KeyLocks.Held second = sharing.await(2, TimeUnit.SECONDS);
    assertTrue(sharing.succeeded());
    second.release();
    unrelated.release();
  }

  @Test
  void timesOutWithARetryableError() {
    KeyLocks locks = new KeyLocks(vertx, 100);
    KeyLocks.Held held = locks.acquire(List.of("k")).await();
    Future<KeyLocks.Held> waiting = locks.acquire(List.of("k"));
    assertThrows(RuntimeException.class, waiting::await);
    assertTrue(waiting.cause() instanceof LockTimeoutException, String.valueOf(waiting.cause()));
    held.release();
  }
}
