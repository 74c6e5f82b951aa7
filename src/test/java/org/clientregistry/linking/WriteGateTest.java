package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A closed gate lets no write start, and says when the writes under way are done, or that they were not in time. */
class WriteGateTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void closingWaitsForTheWritesUnderWay() {
    WriteGate gate = new WriteGate();
    assertTrue(gate.enter());
    assertTrue(gate.enter());
    Future<Boolean> emptied = gate.close(vertx, 60_000);
    assertFalse(gate.enter(), "no write starts once the gate is closed");
    gate.exit();
    assertFalse(emptied.isComplete(), "one write is still under way");
    gate.exit();
    assertTrue(emptied.await());
    assertTrue(gate.indexInStep());
  }

  @Test
  void aWriteStillUnderWayAfterTheWaitMeansNotEmptied() {
    WriteGate gate = new WriteGate();
    assertTrue(gate.enter());
    assertFalse(gate.close(vertx, 50).await());
  }

  @Test
  void aWriteThatMissedTheIndexIsRemembered() {
    WriteGate gate = new WriteGate();
    gate.indexMissedWrite();
    assertTrue(gate.close(vertx, 50).await(), "nothing under way");
    assertFalse(gate.indexInStep());
  }
}
