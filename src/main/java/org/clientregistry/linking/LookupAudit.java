package org.clientregistry.linking;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore;

/**
 * Records who looked up what ($ihe-pix, $match) when the lookup audit switch is on. The audit entry is written
 * before the answer goes out: a lookup whose audit cannot be stored is not answered.
 */
public final class LookupAudit {
  private final PatientStore store;
  private final BooleanSupplier enabled;

  public LookupAudit(PatientStore store, BooleanSupplier enabled) {
    this.store = store;
    this.enabled = enabled;
  }

  /**
   * @param detail what was asked (an identifier, or the number of matches), kept in the store's audit log only
   */
  public <T> Future<T> around(String clientId, String action, String detail, Future<T> lookup) {
    if (!enabled.getAsBoolean()) {
      return lookup;
    }
    return lookup.transform(ar -> {
      String outcome = ar.succeeded() ? "answered"
          : ar.cause() instanceof FhirException f ? "refused " + f.status() : "failed";
      AuditEntry entry = new AuditEntry(Instant.now(), clientId, action, null, null, outcome, detail);
      return store.commit(ChangeSet.auditOnly(entry)).compose(v -> ar.succeeded()
          ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()));
    });
  }
}
