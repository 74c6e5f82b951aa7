package org.clientregistry.store.fhirserver;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;

/**
 * Audit entries alone (lookups', sign-ins') written together, as the embedded store's writer groups every commit:
 * while one such transaction is under way, the entries that come meanwhile wait and go into the next one. Each
 * caller still learns of its own entry only once it is stored; under load one FHIR round trip carries many lookups'
 * entries instead of one each.
 */
final class AuditBatches {
  /** Entries per transaction at most (a Bundle of this many AuditEvents stays small). */
  static final int MAX_BATCH = 200;

  private final Function<ChangeSet, Future<Void>> transaction;
  private final List<Waiting> waiting = new ArrayList<>();
  private boolean writing;

  /** Entries and who waits for them, answered on the caller's own context (null: the thread that completes). */
  private record Waiting(List<AuditEntry> entries, Promise<Void> stored, Context context) {
    void complete(Throwable failure) {
      if (context == null) {
        settle(failure);
      } else {
        context.runOnContext(v -> settle(failure));
      }
    }

    private void settle(Throwable failure) {
      if (failure == null) {
        stored.complete();
      } else {
        stored.fail(failure);
      }
    }
  }

  AuditBatches(Function<ChangeSet, Future<Void>> transaction) {
    this.transaction = transaction;
  }

  /** Completes once the entries are stored (with others that came at about the same time). */
  Future<Void> write(List<AuditEntry> entries) {
    Promise<Void> stored = Promise.promise();
    synchronized (this) {
      waiting.add(new Waiting(entries, stored, Vertx.currentContext()));
      if (writing) {
        return stored.future();
      }
      writing = true;
    }
    next();
    return stored.future();
  }

  /** Writes what waits, then looks again; stops when nothing waits. */
  private void next() {
    List<Waiting> batch = new ArrayList<>();
    List<AuditEntry> entries = new ArrayList<>();
    synchronized (this) {
      if (waiting.isEmpty()) {
        writing = false;
        return;
      }
      while (!waiting.isEmpty() && (batch.isEmpty() || entries.size() + waiting.get(0).entries().size() <= MAX_BATCH)) {
        Waiting w = waiting.remove(0);
        batch.add(w);
        entries.addAll(w.entries());
      }
    }
    transaction.apply(ChangeSet.auditOnly(entries)).onComplete(ar -> {
      batch.forEach(w -> w.complete(ar.failed() ? ar.cause() : null));
      next();
    });
  }
}
