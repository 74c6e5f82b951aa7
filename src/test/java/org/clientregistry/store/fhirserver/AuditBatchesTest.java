package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.junit.jupiter.api.Test;

/**
 * Audit entries that come while an audit transaction is under way go together into the next one, and each caller's
 * future completes only when its own entries' transaction has.
 */
class AuditBatchesTest {
  /** Transactions that wait until the test ends them, one by one. */
  private static final class Held {
    final List<ChangeSet> sent = new CopyOnWriteArrayList<>();
    final List<Promise<Void>> outcomes = new CopyOnWriteArrayList<>();
    final AuditBatches batches = new AuditBatches(changes -> {
      Promise<Void> outcome = Promise.promise();
      sent.add(changes);
      outcomes.add(outcome);
      return outcome.future();
    });
  }

  private static List<AuditEntry> lookup(String client) {
    return List.of(new AuditEntry(Instant.now(), client, "lookup.pix", null, null, "answered", "results=1"));
  }

  private static List<String> clients(ChangeSet c) {
    return c.audit().stream().map(AuditEntry::clientId).toList();
  }

  @Test
  void entriesComingDuringATransactionGoTogetherIntoTheNext() {
    Held held = new Held();
    Future<Void> first = held.batches.write(lookup("a"));
    Future<Void> second = held.batches.write(lookup("b"));
    Future<Void> third = held.batches.write(lookup("c"));
    assertEquals(1, held.sent.size(), "one transaction under way");
    assertEquals(List.of("a"), clients(held.sent.get(0)));
    held.outcomes.get(0).complete();
    assertTrue(first.succeeded());
    assertFalse(second.isComplete(), "b waits for its own transaction");
    assertEquals(List.of("b", "c"), clients(held.sent.get(1)), "b and c in one transaction");
    held.outcomes.get(1).complete();
    assertTrue(second.succeeded() && third.succeeded());
    // Nothing waits: the next entry is sent at once, alone.
    Future<Void> fourth = held.batches.write(lookup("d"));
    assertEquals(List.of("d"), clients(held.sent.get(2)));
    held.outcomes.get(2).complete();
    assertTrue(fourth.succeeded());
  }

  @Test
  void aFailedTransactionFailsItsCallersOnlyAndTheNextGoesAhead() {
    Held held = new Held();
    Future<Void> first = held.batches.write(lookup("a"));
    Future<Void> second = held.batches.write(lookup("b"));
    held.outcomes.get(0).fail("the server is unavailable");
    assertTrue(first.failed());
    assertFalse(second.isComplete());
    held.outcomes.get(1).complete();
    assertTrue(second.succeeded());
  }

  @Test
  void aLongQueueIsSentInTransactionsOfBoundedSize() {
    Held held = new Held();
    held.batches.write(lookup("first"));
    for (int i = 0; i < AuditBatches.MAX_BATCH + 5; i++) {
      held.batches.write(lookup("c" + i));
    }
    held.outcomes.get(0).complete();
    assertEquals(AuditBatches.MAX_BATCH, held.sent.get(1).audit().size());
    held.outcomes.get(1).complete();
    assertEquals(5, held.sent.get(2).audit().size());
  }
}
