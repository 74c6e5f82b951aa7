package org.clientregistry.store.fhirserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.StoreUnavailableException;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Submissions' changes sent to the FHIR server in groups (docs/storage.md, "Grouped transactions"): while
 * {@code inFlight} transactions are under way, the changes ready meanwhile wait and go together as one transaction
 * Bundle, with one look for other replicas' records. HAPI FHIR's cost per transaction (the request, the database
 * transaction and flush, the look) is then shared by the group. Each change keeps its all-or-nothing: a group the
 * server refuses (one change's lost race refuses them all) is sent again change by change, so that each gets its
 * own answer; a group without answer is read back change by change. Each caller's call log shows its own entries.
 */
final class TransactionGroups {
  /** Changes per transaction at most (about 4 resources each). */
  static final int MAX_GROUP = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A change ready to send: its entries (without a look), its look's start or null, the caller's store view. */
  record Ready(ChangeSet changes, Bundle entries, Instant lookSince, FhirServerStore view, String requestId) {
    /** Its own transaction: the entries and its look. */
    Bundle bundle() {
      return StoreTransactions.withLook(view, entries.getEntry(), lookSince);
    }

    /** What no other change of a group may write too: resources updated, conditions of conditional creates. */
    Set<String> keys() {
      Set<String> keys = new HashSet<>();
      for (Bundle.BundleEntryComponent e : entries.getEntry()) {
        if (e.getRequest().hasIfNoneExist()) {
          keys.add(e.getRequest().getIfNoneExist());
        } else if (e.getRequest().getMethod() != Bundle.HTTPVerb.POST) {
          keys.add(e.getRequest().getUrl());
        }
      }
      return keys;
    }
  }

  private final FhirServerStore store;
  private final StoreTransactions alone;
  private final Batches<Answered<Ready, FhirHttp.Reply>> batches;

  TransactionGroups(FhirServerStore store, StoreTransactions alone, int inFlight) {
    this.store = store;
    this.alone = alone;
    this.batches = new Batches<>(inFlight, MAX_GROUP, a -> a.item().keys(), this::send);
  }

  /** The server's answer to the transaction that carried this change (its own, or its group's). */
  Future<FhirHttp.Reply> add(Ready ready) {
    Answered<Ready, FhirHttp.Reply> a = new Answered<>(ready);
    batches.add(a);
    return a.answer();
  }

  private Future<?> send(List<Answered<Ready, FhirHttp.Reply>> group) {
    if (group.size() == 1) {
      Answered<Ready, FhirHttp.Reply> a = group.get(0);
      return alone.alone(a.item()).onComplete(a::settle);
    }
    List<Bundle.BundleEntryComponent> entries = new ArrayList<>();
    Instant since = null;
    for (Answered<Ready, FhirHttp.Reply> a : group) {
      entries.addAll(a.item().entries().getEntry());
      Instant s = a.item().lookSince();
      since = s == null ? since : since == null || s.isBefore(since) ? s : since;
    }
    Bundle bundle = StoreTransactions.withLook(store, entries, since);
    Map<String, String> headers = new HashMap<>(StoreTransactions.HEADERS);
    List<String> ids = group.stream().map(a -> a.item().requestId()).filter(Objects::nonNull).toList();
    if (!ids.isEmpty()) {
      headers.put("X-Request-ID", String.join(",", ids)); // HAPI logs it: the OpenHIM transactions grouped
    }
    String what = "FHIR: commit transaction (" + group.size() + " submissions' changes together)";
    CallLog.Recorder exchange = CallLog.recorder();
    return store.onWorker(() -> Fhir.encode(bundle))
        .compose(body -> store.send(what, HttpMethod.POST, "", headers, body, exchange))
        .transform(ar -> logged(exchange, group).transform(logged -> {
          if (ar.succeeded() && ar.result().ok()) {
            group.forEach(a -> a.settle(ar));
            return Future.succeededFuture();
          }
          boolean unanswered = ar.failed() && ar.cause() instanceof StoreUnavailableException;
          return Future.join(group.stream().map(a -> (unanswered
              ? alone.written(a.item().view(), a.item().changes()) : alone.alone(a.item())).onComplete(a::settle))
              .toList());
        }));
  }

  /** Each caller's call log given its share of the exchange, encoded on the parse workers (not an event loop). */
  private Future<Void> logged(CallLog.Recorder exchange, List<Answered<Ready, FhirHttp.Reply>> group) {
    if (group.stream().allMatch(a -> a.item().view().log() == CallLog.NONE)) {
      return Future.succeededFuture();
    }
    return store.onWorker(() -> {
      exchange.calls().forEach(call -> shares(call, group));
      return null;
    });
  }

  /** The group's exchange as each caller's call log shows it: its own entries sent, its own entries answered. */
  private static void shares(UpstreamCall call, List<Answered<Ready, FhirHttp.Reply>> group) {
    int from = 0;
    for (Answered<Ready, FhirHttp.Reply> a : group) {
      Ready r = a.item();
      int to = from + r.entries().getEntry().size();
      CallLog log = r.view().log();
      if (log != CallLog.NONE) {
        UpstreamCall.Request q = call.request();
        UpstreamCall.Response p = call.response();
        log.record(new UpstreamCall(call.name(), new UpstreamCall.Request(q.host(), q.port(), q.method(), q.path(),
            q.query(), q.headers(), Fhir.encode(r.bundle()), q.at()), new UpstreamCall.Response(p.status(),
            p.headers(), slice(p.body(), from, to, r.lookSince() != null), p.at())));
      }
      from = to;
    }
  }

  /** A transaction-response's entries {@code from}..{@code to} (and the look, the last entry); else the body. */
  static String slice(String body, int from, int to, boolean look) {
    try {
      JsonNode whole = JSON.readTree(body);
      if (!(whole instanceof ObjectNode bundle) || !(whole.get("entry") instanceof ArrayNode all)) {
        return body;
      }
      ArrayNode mine = JSON.createArrayNode();
      for (int i = from; i < Math.min(to, all.size()); i++) {
        mine.add(all.get(i));
      }
      if (look && all.size() > to) {
        mine.add(all.get(all.size() - 1));
      }
      bundle.set("entry", mine);
      return JSON.writeValueAsString(bundle);
    } catch (java.io.IOException | RuntimeException e) {
      return body; // not a Bundle (an OperationOutcome, a proxy's page): as it came
    }
  }
}
