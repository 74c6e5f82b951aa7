package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;

/**
 * Audit entries alone (lookups', sign-ins') written together: while one such transaction is under way, the entries
 * that come meanwhile wait and go into the next one. Each caller still learns of its own entry only once it is
 * stored; under load one FHIR round trip carries many lookups' entries instead of one each.
 */
final class AuditBatches {
  /** Callers per transaction at most (a Bundle of this many AuditEvents stays small). */
  static final int MAX_BATCH = 200;

  private final Batches<Answered<List<AuditEntry>, Void>> batches;

  AuditBatches(Function<ChangeSet, Future<Void>> transaction) {
    this.batches = new Batches<>(1, MAX_BATCH, w -> Set.of(), batch -> {
      List<AuditEntry> entries = new ArrayList<>();
      batch.forEach(w -> entries.addAll(w.item()));
      return transaction.apply(ChangeSet.auditOnly(entries)).onComplete(ar -> batch.forEach(w -> w.settle(ar)));
    });
  }

  /** Completes once the entries are stored (with others that came at about the same time). */
  Future<Void> write(List<AuditEntry> entries) {
    Answered<List<AuditEntry>, Void> w = new Answered<>(entries);
    batches.add(w);
    return w.answer();
  }
}
