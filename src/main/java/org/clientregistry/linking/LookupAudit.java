package org.clientregistry.linking;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.security.LookupLimits;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore;

/**
 * Guards the lookups ($ihe-pix, $match, PDQm): each client's rate ({@link LookupLimits}) and, while the lookup
 * audit switch is on (the default), an audit entry per lookup: who, which operation, what kind of query (systems
 * or parameter names, never values), the outcome and how many results. The entry is written before the answer
 * goes out: a lookup whose audit cannot be stored is not answered.
 */
public final class LookupAudit {
  private final PatientStore store;
  private final BooleanSupplier enabled;
  private final LookupLimits limits;

  public LookupAudit(PatientStore store, BooleanSupplier enabled) {
    this(store, enabled, null);
  }

  /** @param limits the per-client lookup rate (null: none) */
  public LookupAudit(PatientStore store, BooleanSupplier enabled, LookupLimits limits) {
    this.store = store;
    this.enabled = enabled;
    this.limits = limits;
  }

  /** Call before any work of a lookup: a client over its rate gets a 429 (not audited: it would flood the log). */
  public void admit(String clientId) {
    if (limits != null) {
      limits.admit(clientId);
    }
  }

  /**
   * @param detail  what kind of query it was, without personal data (systems, parameter names)
   * @param results how many results an answer holds
   */
  public <T> Future<T> around(String clientId, String action, String detail, Future<T> lookup,
                              ToIntFunction<T> results) {
    if (!enabled.getAsBoolean()) {
      return lookup;
    }
    return lookup.transform(ar -> {
      String outcome = ar.succeeded() ? "answered"
          : ar.cause() instanceof FhirException f ? "refused " + f.status() : "failed";
      String what = (detail == null || detail.isEmpty() ? "" : detail + " ")
          + "results=" + (ar.succeeded() ? results.applyAsInt(ar.result()) : 0);
      AuditEntry entry = new AuditEntry(Instant.now(), clientId, action, null, null, outcome, what);
      return store.commit(ChangeSet.auditOnly(entry)).compose(v -> ar.succeeded()
          ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()));
    });
  }

  /** Occurrences of {@code marker} in an answer written as JSON (counting its entries without parsing it again). */
  public static int count(String json, String marker) {
    int n = 0;
    for (int at = json.indexOf(marker); at >= 0; at = json.indexOf(marker, at + marker.length())) {
      n++;
    }
    return n;
  }
}
