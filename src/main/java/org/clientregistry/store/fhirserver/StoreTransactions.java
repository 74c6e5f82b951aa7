package org.clientregistry.store.fhirserver;

import ca.uhn.fhir.util.BundleBuilder;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore.GoldenVersion;
import org.clientregistry.store.PatientStore.OthersSeen;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;
import org.clientregistry.store.StoreConflictException;
import org.clientregistry.store.StoreUnavailableException;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR-server store's writes (docs/storage.md, "How it talks to the server"): each ChangeSet as one
 * {@code transaction} Bundle whose updates carry {@code If-Match} (a 409/412 answer is a lost race), optionally ending
 * with the look for other replicas' records, and what an unanswered transaction turns out to be.
 */
final class StoreTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(StoreTransactions.class);

  /**
   * no-cache reaches the look at the end (HAPI FHIR hands the request's headers to its entries): concurrent
   * submissions look with the same search, and a cached answer would miss what other replicas wrote since.
   * Not no-store: HAPI would then cut the look at _count without a next link, which reads as complete.
   * X-Meta-Snapshot-Mode: the tags sent are all the record keeps. HAPI FHIR otherwise carries earlier tags
   * forward, and a record with another replica's tag besides this one's is left out of both replicas' looks.
   */
  static final Map<String, String> HEADERS = Map.of("Prefer", "return=minimal", "Cache-Control", "no-cache",
      "X-Meta-Snapshot-Mode", "TAG");

  /** Clock differences allowed between this process and the server when leaving out own replica codes. */
  private static final Duration CLOCKS = Duration.ofSeconds(10);

  private final FhirServerStore store;
  private final AdminSearches admin;

  StoreTransactions(FhirServerStore store, AdminSearches admin) {
    this.store = store;
    this.admin = admin;
  }

  /** One change, all or nothing (send). */
  Future<Void> commit(ChangeSet changes) {
    return send(changes, null).mapEmpty();
  }

  /**
   * The transaction ends with a search (FHIR servers run GET entries after the writes, in the same transaction):
   * Patients changed at or after {@code since} by other replicas (not carrying this process's replica tag).
   */
  Future<OthersSeen> commitAndLook(ChangeSet changes, Instant since) {
    return send(changes, since).compose(reply -> reply.body().isEmpty()
        ? Future.succeededFuture(new OthersSeen(List.of(), List.of(), since, false))
        : store.onWorker(() -> others((Bundle) Fhir.parse(reply.body()), since, IndexFollowing.serverDate(reply))));
  }

  /**
   * No answer to a transaction (timed out, connection closed): whether it was written is read back. Written whole:
   * a success (an answer without body). Otherwise the outcome is unknown (it may still be committing): the client
   * is told so, never that nothing was written.
   */
  Future<FhirHttp.Reply> written(FhirServerStore view, ChangeSet changes) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    changes.sources().forEach(w -> expected.put(w.id(), w.newVersion()));
    changes.goldens().forEach(w -> expected.put(w.id(), w.newVersion()));
    StoreUnavailableException unknown = new StoreUnavailableException.OutcomeUnknown("The FHIR server did not "
        + "answer a transaction and it was not found written; its outcome is unknown",
        store.settings().retryAfterSeconds());
    if (expected.isEmpty()) {
      return Future.failedFuture(unknown);
    }
    return view.byIds("FHIR: check an unanswered transaction", new ArrayList<>(expected.keySet())).transform(ar -> {
      boolean all = ar.succeeded() && expected.entrySet().stream().allMatch(e -> ar.result().containsKey(e.getKey())
          && RegistryResources.version(ar.result().get(e.getKey())) == e.getValue());
      if (all) {
        LOG.info("An unanswered transaction was found written; carrying on");
        return Future.succeededFuture(new FhirHttp.Reply(200, io.vertx.core.MultiMap.caseInsensitiveMultiMap(), ""));
      }
      return Future.failedFuture(unknown);
    });
  }

  /** A transaction Bundle of these entries, ending with the look when {@code lookSince} is given. */
  static Bundle withLook(FhirServerStore store, List<Bundle.BundleEntryComponent> entries, Instant lookSince) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    entries.forEach(bundle::addEntry);
    if (lookSince != null) {
      bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(look(store, lookSince));
    }
    return bundle;
  }

  /**
   * The look: Patients changed at or after {@code since} by other replicas, leaving out this one's replica codes of
   * that time (10 s either side for the clocks; older own writes, if any, are left out by {@link #others}).
   */
  static String look(FhirServerStore store, Instant since) {
    String own = store.resources().replicaCodes(since.minus(CLOCKS), Instant.now().plus(CLOCKS)).stream()
        .map(code -> FhirServerStore.token(RegistryResources.REPLICA_TAG, code)).collect(Collectors.joining(","));
    return "Patient?_lastUpdated=" + FhirServerStore.enc("ge" + since.truncatedTo(ChronoUnit.MILLIS))
        + "&_tag:not=" + own + "&_count=" + store.pageSize();
  }

  private OthersSeen others(Bundle response, Instant since, Instant serverTime) {
    List<SourceRecord> sources = new ArrayList<>();
    List<GoldenVersion> goldens = new ArrayList<>();
    boolean complete = false;
    for (Bundle.BundleEntryComponent e : response.getEntry()) {
      if (e.getResource() instanceof Bundle found) {
        complete = found.getLink(Bundle.LINK_NEXT) == null;
        for (Bundle.BundleEntryComponent f : found.getEntry()) {
          if (!(f.getResource() instanceof Patient p) || store.resources().ownWrite(p)) {
            continue;
          }
          if (RegistryResources.isGolden(p)) {
            goldens.add(new GoldenVersion(p.getIdElement().getIdPart(), RegistryResources.version(p)));
          } else if (RegistryResources.isLinkedSource(p)) {
            sources.add(store.resources().source(p));
          }
        }
      }
    }
    Instant next = complete ? serverTime.minus(IndexFollowing.FOLLOW_MARGIN) : since;
    return new OthersSeen(sources, goldens, next, complete);
  }

  /**
   * One transaction Bundle. Records only re-linked (no new content) are read first in one search, since a PUT
   * needs their whole body; so are review items to resolve (at the same time), whose version the PUT checks. A
   * typical submission writes content, link events and audit only and so costs this one round trip, or a share of
   * one: submissions' changes go in groups (TransactionGroups) when the server is busy.
   */
  private Future<FhirHttp.Reply> send(ChangeSet changes, Instant lookSince) {
    String requestId = org.clientregistry.calls.TransactionIds.current();
    List<String> relinked = changes.sources().stream().filter(s -> s.content() == null)
        .map(ChangeSet.SourceWrite::id).toList();
    Future<Map<String, Patient>> current = relinked.isEmpty() ? Future.succeededFuture(Map.of())
        : store.byIds("FHIR: read re-linked source records", relinked);
    List<String> resolved = changes.admin().resolutions().stream().map(ChangeSet.Resolution::itemId).toList();
    Future<Map<String, Basic>> items = resolved.isEmpty() ? Future.succeededFuture(Map.of())
        : admin.reviewBasics(resolved);
    return Future.all(current, items).compose(read -> {
      TransactionGroups.Ready ready = new TransactionGroups.Ready(changes,
          transaction(changes, current.result(), items.result()), lookSince, store, requestId);
      // Administration and audit alone keep their own transaction (their own read-back rules, below).
      return !changes.admin().isEmpty() || auditOnly(changes) ? alone(ready) : store.groups().add(ready);
    }).compose(reply -> {
      if (reply.ok()) {
        return Future.succeededFuture(reply);
      }
      // HAPI-1094: a link to a record the server does not have, though the index does (the server lost the commit
      // that made it): like a lost race, the records are re-read and the change planned again.
      if (reply.status() == 409 || reply.status() == 412 || (reply.status() == 400
          && reply.body().contains("HAPI-1094"))) {
        return Future.failedFuture(new StoreConflictException("A record changed concurrently (FHIR server answered "
            + reply.status() + ")"));
      }
      if (reply.status() >= 400 && reply.status() < 500) {
        // A refused transaction is a registry bug or a server setting: its reason (no demographics) is logged.
        LOG.warn("The FHIR server refused a transaction with HTTP {}: {}", reply.status(),
            reply.body().substring(0, Math.min(400, reply.body().length())));
      }
      return Future.failedFuture(store.unavailable("transaction", reply));
    });
  }

  /** One change in a transaction of its own; no answer: read back (audit alone: sent once more). */
  Future<FhirHttp.Reply> alone(TransactionGroups.Ready r) {
    String body = Fhir.encode(r.bundle());
    String what = "FHIR: commit transaction (" + summary(r.changes()) + ")";
    FhirServerStore view = r.view();
    return view.send(what, HttpMethod.POST, "", HEADERS, body)
        .recover(e -> !(e instanceof StoreUnavailableException) ? Future.failedFuture(e)
            // Audit entries alone (a lookup's) cannot be read back: sent once more, at worst recorded twice.
            : auditOnly(r.changes()) ? view.send(what, HttpMethod.POST, "", HEADERS, body)
            : written(view, r.changes()));
  }

  private Bundle transaction(ChangeSet changes, Map<String, Patient> stored, Map<String, Basic> items) {
    BundleBuilder builder = new BundleBuilder(Fhir.context());
    Map<String, String> ifMatch = new LinkedHashMap<>();
    for (ChangeSet.GoldenWrite g : changes.goldens()) {
      builder.addTransactionUpdateEntry(store.resources().goldenPatient(g, changes.at()));
      ifMatch.put("Patient/" + g.id(), version(g.expectedVersion()));
    }
    for (ChangeSet.SourceWrite s : changes.sources()) {
      Patient p;
      if (s.content() != null) {
        p = store.resources().sourcePatient(s, changes.at());
      } else {
        Patient current = stored.get(s.id());
        if (current == null || RegistryResources.version(current) != s.expectedVersion()) {
          throw new StoreConflictException("Source record changed concurrently");
        }
        p = store.resources().relinked(current, s, changes.at());
      }
      builder.addTransactionUpdateEntry(p);
      ifMatch.put("Patient/" + s.id(), version(s.expectedVersion()));
    }
    for (ReviewItem r : changes.reviews()) {
      // A question asked once: created only when no open item of the same pair exists.
      builder.addTransactionCreateEntry(store.resources().reviewBasic(r))
          .conditional("Basic?identifier=" + FhirServerStore.enc(RegistryResources.REVIEW_PAIR + "|" + r.pair()));
    }
    changes.audit().forEach(a -> builder.addTransactionCreateEntry(store.resources().auditEvent(a)));
    Bundle bundle = builder.getBundleTyped();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      String v = ifMatch.get(e.getRequest().getUrl());
      if (v != null) {
        e.getRequest().setIfMatch(v);
      }
    }
    AdminResources.entries(changes, items, store.resources()).forEach(bundle::addEntry);
    return bundle;
  }

  /**
   * The If-Match value for an expected version. Version 0 ("must not exist yet") is sent as W/"0": HAPI then
   * creates the resource if absent and refuses (409/412) when another writer created it first.
   */
  private static String version(int expected) {
    return "W/\"" + expected + "\"";
  }

  static boolean auditOnly(ChangeSet c) {
    return c.sources().isEmpty() && c.goldens().isEmpty() && c.reviews().isEmpty() && c.events().isEmpty()
        && c.admin().isEmpty() && !c.audit().isEmpty();
  }

  private static String summary(ChangeSet c) {
    return c.sources().size() + " source, " + c.goldens().size() + " golden, " + c.reviews().size() + " review, "
        + c.events().size() + " link event, " + c.audit().size() + " audit"
        + (c.admin().isEmpty() ? "" : ", administration");
  }
}
