package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.clientregistry.calls.CallLog;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the matching index in step with what other writers put in the store (another replica, a bulk load into
 * the FHIR server): their linked records are indexed when newer than the index's, and patients nobody linked yet
 * are submitted on behalf of the client they are tagged with, so they are matched and linked like any other.
 */
public final class OtherWriters {
  private static final Logger LOG = LoggerFactory.getLogger(OtherWriters.class);

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final PatientStore store;
  private final RulesRuntime matching;
  private final SubmissionService submissions;
  private final Function<String, Optional<ClientConfig>> clients;
  /** A round is under way; {@code queued}: the one round that will run after it, for whoever asked meanwhile. */
  private boolean running;
  private Promise<Integer> queued;
  private Instant since;
  private long timer = -1;

  public OtherWriters(Vertx vertx, WorkerExecutor worker, PatientStore store, RulesRuntime matching,
                      SubmissionService submissions, Function<String, Optional<ClientConfig>> clients,
                      Instant since) {
    this.vertx = vertx;
    this.worker = worker;
    this.store = store;
    this.matching = matching;
    this.submissions = submissions;
    this.clients = clients;
    this.since = since;
  }

  public void start(Duration every) {
    timer = vertx.setPeriodic(every.toMillis(), id -> followOnce()
        .onFailure(e -> LOG.warn("Following other writers failed (will retry): {}", e.getMessage())));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * One look at the store that starts after this call; completes with the number of records indexed or linked. While
   * a round is under way, callers wait for one more round after it (shared by all of them): a round that began before
   * their call may have read the server before the write they need to learn about (a lost race's catch-up).
   */
  public Future<Integer> followOnce() {
    synchronized (this) {
      if (running) {
        if (queued == null) {
          queued = Promise.promise();
        }
        return queued.future();
      }
      running = true;
    }
    return rounds();
  }

  /** Runs a round, then the queued one if any (still running), else stops. */
  private Future<Integer> rounds() {
    return round().eventually(() -> {
      Promise<Integer> next;
      synchronized (this) {
        next = queued;
        queued = null;
        running = next != null;
      }
      if (next != null) {
        rounds().onComplete(next);
      }
      return Future.succeededFuture();
    });
  }

  private Future<Integer> round() {
    List<SourceRecord> sources = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> goldens = Collections.synchronizedMap(new HashMap<>());
    List<PatientStore.UnlinkedPatient> unlinked = Collections.synchronizedList(new ArrayList<>());
    java.util.Set<String> fresh = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // Marks first: an administrator's "not the same person" made through another replica must hold before any
    // record of theirs is placed again here.
    Instant from = since;
    long mark = matching.get().lost().mark(); // what is taken out as lost after this was read before the loss
    return store.marksSince(from).map(this::mark)
        .compose(marked -> store.otherWrites(from, sources::add, g -> goldens.merge(g.id(), g.version(), Math::max),
            unlinked::add))
        .compose(next -> worker.executeBlocking(() -> index(sources, goldens, fresh, mark), false)
            .compose(indexed -> submissions.placeRecentAgain(fresh, from).map(indexed))
            .compose(indexed -> adopt(unlinked).map(adopted -> {
              since = next;
              submissions.othersFollowedUntil(next);
              if (indexed + adopted > 0) {
                LOG.info("Other writers: {} records indexed, {} new patients linked", indexed, adopted);
              }
              return indexed + adopted;
            })));
  }

  /**
   * Indexes records and golden versions newer than the index's (older ones are this registry's own past), but not
   * records taken out as lost since the round began; the golden ids of records new to the index go to
   * {@code fresh}.
   */
  private int index(List<SourceRecord> sources, Map<String, Integer> goldens, java.util.Set<String> fresh,
                    long mark) {
    MatchingState state = matching.get();
    MatchIndex index = state.index();
    List<MatchRecord> newer = new ArrayList<>();
    for (SourceRecord s : sources) {
      if (state.lost().since(mark, s.id(), s.version())) {
        continue;
      }
      Optional<MatchRecord> held = index.record(s.id());
      if (held.isEmpty() && s.goldenId() != null) {
        fresh.add(s.goldenId());
      }
      if (held.map(r -> r.version() < s.version()).orElse(true)) {
        newer.add(new MatchRecord(s.id(), s.version(), s.clientId(), s.goldenId(), s.link().manual(),
            IndexLoader.valuesOf(s, state.rules(), state.extractor())));
      }
    }
    Map<String, Integer> newerGoldens = new HashMap<>();
    goldens.forEach((id, v) -> {
      if (index.goldenVersion(id) < v) {
        newerGoldens.put(id, v);
      }
    });
    index.apply(newer, newerGoldens);
    return newer.size();
  }

  /**
   * Marks made or removed through another replica that the index does not reflect yet (this registry's own
   * changes are there already).
   */
  private int mark(PatientStore.MarkChanges marks) {
    MatchIndex index = matching.get().index();
    int made = 0;
    int removed = 0;
    for (PatientStore.NotSamePerson m : marks.made()) {
      if (!index.notSamePerson(m.sourceA(), m.sourceB())) {
        index.markNotSame(m.sourceA(), m.sourceB());
        made++;
      }
    }
    for (PatientStore.NotSamePerson m : marks.removed()) {
      if (index.notSamePerson(m.sourceA(), m.sourceB())) {
        index.unmarkNotSame(m.sourceA(), m.sourceB());
        removed++;
      }
    }
    if (made + removed > 0) {
      LOG.info("Other writers: {} not-the-same-person marks learnt, {} removed", made, removed);
    }
    return made + removed;
  }

  /** Submits patients nobody linked yet, one after another, as the client they are tagged with. */
  private Future<Integer> adopt(List<PatientStore.UnlinkedPatient> patients) {
    int[] done = {0};
    Future<Void> chain = Future.succeededFuture();
    for (PatientStore.UnlinkedPatient p : patients) {
      Optional<ClientConfig> client = p.clientId() == null ? Optional.empty() : clients.apply(p.clientId());
      if (client.isEmpty()) {
        LOG.warn("Patient/{} was written into the store without a known client tag; not linked", p.id());
        continue;
      }
      chain = chain.compose(v -> submissions.submit(client.get(), (Patient) Fhir.parse(p.resourceJson()), null,
              CallLog.NONE)
          .map(result -> {
            done[0]++;
            return (Void) null;
          })
          .recover(e -> {
            // The reason's class only: messages may quote identifiers.
            LOG.warn("Patient/{} written into the store could not be linked ({})", p.id(),
                e.getClass().getSimpleName());
            return Future.succeededFuture();
          }));
    }
    return chain.map(v -> done[0]);
  }
}
