package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.fhir.Fhir;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * Submissions' look-ups of a source record by its internal identifier, searched together when the server is busy
 * (docs/storage.md, grouped transactions): while {@code inFlight} look-ups are under way, those asked meanwhile go
 * as one search (their identifiers, and their clients' tags, each ORed), and each caller takes from the answer the
 * Patients carrying its own identifier and client tag. An answer of more than one page is not split: each look-up
 * is then searched alone. Each caller's call log shows its own search and its own Patients only.
 */
final class SourceLookups {
  /** Look-ups per search at most (the URL stays well under servers' limits). */
  static final int MAX_GROUP = 32;
  private static final String NAME = "FHIR: find source record by internal id";

  /** One look-up: the identifier, the client whose record it is, the caller's store view. */
  record Wanted(String clientId, String system, String value, FhirServerStore view) {
    /**
     * Its own search. Golden records carry no client tag, so no {@code _tag:not} is needed to leave them out (HAPI
     * FHIR runs that as a NOT IN over every golden record on the server, at every look-up).
     */
    String query() {
      return "/Patient?identifier=" + FhirServerStore.token(system, value) + "&_tag="
          + FhirServerStore.token(RegistryResources.CLIENT_TAG, clientId);
    }

    /** The Patients of an answer that this look-up asked for (a FHIR server matches identifiers exactly too). */
    List<Patient> mine(List<Patient> found) {
      return found.stream().filter(p -> p.getMeta().getTag(RegistryResources.CLIENT_TAG, clientId) != null
          && p.getIdentifier().stream().anyMatch(i -> system.equals(i.getSystem()) && value.equals(i.getValue())))
          .toList();
    }
  }

  private final FhirServerStore store;
  private final Batches<Answered<Wanted, List<Patient>>> batches;

  SourceLookups(FhirServerStore store, int inFlight) {
    this.store = store;
    this.batches = new Batches<>(inFlight, MAX_GROUP, a -> Set.of(), this::search);
  }

  /** The Patients stored under this client's internal identifier (usually one, or none). */
  Future<List<Patient>> find(Wanted wanted) {
    Answered<Wanted, List<Patient>> a = new Answered<>(wanted);
    batches.add(a);
    return a.answer();
  }

  private Future<?> search(List<Answered<Wanted, List<Patient>>> group) {
    if (group.size() == 1) {
      return alone(group.get(0));
    }
    Set<String> identifiers = new LinkedHashSet<>();
    Set<String> clients = new LinkedHashSet<>();
    for (Answered<Wanted, List<Patient>> a : group) {
      identifiers.add(FhirServerStore.token(a.item().system(), a.item().value()));
      clients.add(FhirServerStore.token(RegistryResources.CLIENT_TAG, a.item().clientId()));
    }
    String query = "/Patient?identifier=" + String.join(",", identifiers) + "&_tag=" + String.join(",", clients)
        + "&_count=" + store.pageSize();
    CallLog.Recorder exchange = CallLog.recorder();
    return store.send(NAME, HttpMethod.GET, query, FhirServerStore.ONE_PAGE, null, exchange)
        // Parsed, split and each caller's log encoded on the parse workers: answers go back on callers' contexts.
        .compose(reply -> reply.ok() ? store.onWorker(() -> split(group, (Bundle) Fhir.parse(reply.body()),
            last(exchange))) : Future.succeededFuture(false))
        .transform(ar -> ar.succeeded() && ar.result() ? Future.succeededFuture()
            // One look-up's trouble (an identifier the server refuses, more than a page) is not the others': alone.
            : Future.join(group.stream().map(this::alone).toList()));
  }

  /** Hands each caller its own Patients; false when the answer is not whole (a next page). */
  private boolean split(List<Answered<Wanted, List<Patient>>> group, Bundle bundle, UpstreamCall exchange) {
    if (bundle.getLink(Bundle.LINK_NEXT) != null) {
      return false;
    }
    List<Patient> found = new ArrayList<>();
    bundle.getEntry().forEach(e -> {
      if (e.getResource() instanceof Patient p) {
        found.add(p);
      }
    });
    for (Answered<Wanted, List<Patient>> a : group) {
      List<Patient> mine = a.item().mine(found);
      record(a.item(), mine, exchange);
      a.settle(Future.succeededFuture(mine));
    }
    return true;
  }

  private Future<?> alone(Answered<Wanted, List<Patient>> a) {
    return a.item().view().search(NAME, a.item().query()).map(a.item()::mine).onComplete(a::settle);
  }

  /** The caller's log: its own search and its own Patients, never another caller's identifiers or records. */
  private static void record(Wanted w, List<Patient> mine, UpstreamCall exchange) {
    CallLog log = w.view().log();
    if (log == CallLog.NONE) {
      return;
    }
    Bundle own = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(mine.size());
    mine.forEach(p -> own.addEntry().setResource(p));
    UpstreamCall.Request q = exchange.request();
    UpstreamCall.Response r = exchange.response();
    String query = w.query();
    log.record(new UpstreamCall(NAME + " (searched together with others)", new UpstreamCall.Request(q.host(),
        q.port(), q.method(), q.path(), query.substring(query.indexOf('?') + 1), q.headers(), null, q.at()),
        new UpstreamCall.Response(r.status(), r.headers(), Fhir.encode(own), r.at())));
  }

  /** The exchange that was answered (a read whose connection closed under it was sent again). */
  private static UpstreamCall last(CallLog.Recorder exchange) {
    List<UpstreamCall> calls = exchange.calls();
    return calls.get(calls.size() - 1);
  }
}
