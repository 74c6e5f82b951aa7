package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.clientregistry.calls.CallLog;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.clientregistry.store.StoreConflictException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submission workflow (linking.md): prepare off the event loop, take the per-key locks, look the record up,
 * decide links, write everything in one atomic step, update the index, release. A lost optimistic race is retried
 * from the look-up.
 */
public final class SubmissionService {
  private static final Logger LOG = LoggerFactory.getLogger(SubmissionService.class);
  private static final int MAX_ATTEMPTS = 8;

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final PatientStore store;
  private final Supplier<MatchingState> matching;
  private final int maxCandidates;
  private final Consumer<String> outcomes;
  private final KeyLocks locks;
  private final WriteGate gate = new WriteGate();
  /** The store has no other writer: a first attempt need not look up records the index does not know. */
  private final boolean onlyWriter;
  private volatile Supplier<Future<?>> catchUp = Future::succeededFuture;
  /** Other replicas' writes are known to the index up to about this time (see commitAndLook). */
  private volatile java.time.Instant othersSince = java.time.Instant.now().minusSeconds(60);
  /** The identity domains in force (none checked until the registry sets them: tools and tests that need none). */
  private volatile Supplier<IdentityDomains> domains = () -> null;
  private volatile WorkLimits limits = WorkLimits.NONE;
  private volatile RecordIds recordIds = RecordIds.ephemeral();
  /** With other writers: this replica's recent creations, placed again when another's records turn up late. */
  private final RecentCreations recent = new RecentCreations();
  private final LateJoins lateJoins;

  public SubmissionService(Vertx vertx, WorkerExecutor worker, PatientStore store, Supplier<MatchingState> matching,
                           int maxCandidates, Consumer<String> outcomes) {
    this.outcomes = outcomes;
    this.vertx = vertx;
    this.worker = worker;
    this.store = store;
    this.matching = matching;
    this.maxCandidates = maxCandidates;
    this.locks = new KeyLocks(vertx, 30_000);
    this.onlyWriter = store.onlyWriter();
    this.lateJoins = new LateJoins(worker, store, matching, this::linker, locks, this::write, () -> limits, recent);
  }

  private Linker linker() {
    MatchingState state = matching.get();
    return new Linker(state.index(), state.matcher(), maxCandidates, limits, recordIds);
  }

  /**
   * After history following (reading the server from {@code followedFrom}) indexed other replicas' new records
   * (their golden ids): this replica's recent creations that now belong with them are joined to them, or get one
   * review item (LateJoins).
   */
  public Future<Integer> placeRecentAgain(Set<String> othersNewGoldens, java.time.Instant followedFrom) {
    return onlyWriter ? Future.succeededFuture(0) : lateJoins.after(othersNewGoldens, followedFrom);
  }

  /**
   * What to do before retrying a lost race: with other writers (replicas sharing a FHIR server) the index must
   * first learn what they wrote, or the retry would plan on the same stale versions again.
   */
  public void catchUpBeforeRetry(Supplier<Future<?>> catchUp, java.time.Instant othersSince) {
    this.catchUp = catchUp;
    this.othersSince = othersSince;
  }

  /**
   * A round of following indexed the others' writes up to this time: later looks start there (a submission's look
   * starts where the index stood when it began planning, so a round that ends meanwhile hides nothing from it).
   */
  public void othersFollowedUntil(java.time.Instant until) {
    synchronized (this) {
      othersSince = until.isAfter(othersSince) ? until : othersSince;
    }
  }

  /** False once a committed write failed to reach the index (then /ready says so until a restart). */
  public boolean indexInStep() {
    return gate.indexInStep();
  }

  /** How new records' ids are made: the installation's key (a key of this process until set). */
  public void recordIds(RecordIds ids) {
    this.recordIds = ids;
  }

  /** The most work one request may cause (comparisons, review items); none until set. */
  public void limitWork(WorkLimits limits) {
    this.limits = limits;
  }

  /**
   * Stops taking writes (a submission that reaches its write from now on is answered 503) and completes once the
   * writes under way have reached the store and the index: true when they all did within {@code waitMillis} and
   * none ever failed to reach the index, i.e. the index holds exactly what the store holds.
   */
  public Future<Boolean> stopWriting(long waitMillis) {
    return gate.close(vertx, waitMillis).map(emptied -> emptied && gate.indexInStep());
  }

  /** Submitted identifiers are checked against, and their OID systems rewritten to, these identity domains. */
  public void identityDomains(Supplier<IdentityDomains> domains) {
    this.domains = domains;
  }

  /** One entry of a transaction: a Patient, and the source id when it is a PUT. */
  public record Entry(Patient patient, String targetId) {}

  /** POST /fhir/Patient (targetId null) or PUT /fhir/Patient/{targetId}. */
  public Future<SubmissionResult> submit(ClientConfig client, Patient patient, String targetId, CallLog log) {
    return submitAll(client, List.of(new Entry(patient, targetId)), log).map(results -> results.get(0));
  }

  /**
   * POST (targetId null) or PUT of one Patient that {@code parse} reads from the request body: parsed on the same
   * worker turn that prepares it, one thread hop instead of two.
   */
  public Future<SubmissionResult> submit(ClientConfig client, java.util.concurrent.Callable<Patient> parse,
                                         String targetId, CallLog log) {
    return submitAll(client, () -> List.of(new Entry(parse.call(), targetId)), log).map(results -> results.get(0));
  }

  /** All entries or none, matched against each other in order; store calls are recorded in {@code log}. */
  public Future<List<SubmissionResult>> submitAll(ClientConfig client, List<Entry> entries, CallLog log) {
    return submitAll(client, () -> entries, log);
  }

  private Future<List<SubmissionResult>> submitAll(ClientConfig client,
                                                   java.util.concurrent.Callable<List<Entry>> entries, CallLog log) {
    PatientStore store = this.store.observed(log);
    // One matching state for the whole submission, even if the rules are replaced meanwhile.
    MatchingState state = matching.get();
    SubmissionPreparer preparer = new SubmissionPreparer(state.extractor(), state.rules(), state.index());
    Linker linker = new Linker(state.index(), state.matcher(), maxCandidates, limits, recordIds);
    IdentityDomains domains = this.domains.get();
    return worker.executeBlocking(() -> prepareAll(preparer, domains, client, entries.call()), false)
        .compose(prepared -> attempt(store, state, linker, client, prepared, 1))
        .compose(results -> domains == null ? Future.succeededFuture(results)
            : new UniqueIdentifierReview(store, domains).after(results).map(results));
  }

  private static List<PreparedSubmission> prepareAll(SubmissionPreparer preparer, IdentityDomains domains,
                                                     ClientConfig client, List<Entry> entries) {
    List<PreparedSubmission> prepared = new ArrayList<>(entries.size());
    Set<String> identifiers = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      PreparedSubmission p;
      try {
        if (domains != null && domains.admit(client, e.patient())) {
          // OID systems became URLs: the body as sent is no longer what is stored.
          e.patient().setUserData(SubmissionPreparer.SUBMITTED_JSON, null);
        }
        p = preparer.prepare(client, e.patient(), e.targetId());
      } catch (FhirException ex) {
        throw entries.size() == 1 ? ex : new FhirException(ex.status(), ex.issueType(),
            "Bundle entry " + i + ": " + ex.getMessage());
      }
      if (!identifiers.add(p.identifierKey())) {
        throw FhirException.badRequest("Bundle entry " + i + " repeats the internal identifier of an earlier entry");
      }
      prepared.add(p);
    }
    return prepared;
  }

  private Future<List<SubmissionResult>> attempt(PatientStore store, MatchingState state, Linker linker,
                                                 ClientConfig client, List<PreparedSubmission> subs, int attempt) {
    Set<String> keys = new LinkedHashSet<>();
    subs.forEach(s -> keys.addAll(s.lockKeys()));
    // A retry always looks up: its conflict may be a record the index did not know (see Linker.mayBeIndexed).
    boolean trustIndex = onlyWriter && attempt == 1;
    Workspace.Commit[] tried = {null};
    long mark = state.lost().mark(); // before the look-up reads (see LostRecords)
    java.time.Instant othersFrom = othersSince; // before planning (see othersFollowedUntil)
    return locks.acquire(keys).compose(held -> lookUp(store, subs, s -> !trustIndex || linker.mayBeIndexed(s))
            .compose(existing -> onlyWriter ? Future.succeededFuture(existing)
                : IndexRepair.forgetUnstored(store, worker, state, unstored(state, linker, subs, existing))
                    .map(existing))
            .compose(existing -> worker.executeBlocking(() -> {
              // Found at another version than the index holds (another replica wrote it): index what is stored.
              IndexRepair.fromFound(state, existing, mark);
              return linker.plan(client.id(), subs, existing);
            }, false))
            .compose(planned -> AskedPairs.dropAsked(store, worker, state.index(), planned))
            .compose(planned -> {
              tried[0] = planned.commit();
              return writeAndLook(store, state, linker, client, planned, othersFrom);
            })
            .onSuccess(results -> {
              if (!onlyWriter) {
                recent.add(results, System.currentTimeMillis());
              }
            })
            .eventually(() -> {
              held.release();
              return Future.succeededFuture();
            }))
        .recover(e -> {
          if (e instanceof StoreConflictException && attempt < MAX_ATTEMPTS) {
            LOG.debug("Concurrent change, retrying (attempt {})", attempt + 1);
            // The records of the lost race are re-read and indexed as stored (behind or ahead of the index).
            Future<?> repaired = tried[0] == null ? Future.succeededFuture()
                : IndexRepair.reload(store, worker, state, tried[0].changes());
            return pause(attempt)
                .compose(v -> repaired.otherwiseEmpty())
                .compose(v -> catchUp.get().<Void>mapEmpty().otherwiseEmpty())
                .compose(v -> attempt(store, state, linker, client, subs, attempt + 1));
          }
          if (e instanceof StoreConflictException) {
            // Ids and versions only (no demographics): which records kept the submission from committing.
            LOG.warn("A submission gave up after {} lost races; the last: {}; it tried to write {}", attempt,
                e.getMessage(), tried[0] == null ? "nothing" : versions(tried[0].changes()));
            return Future.failedFuture(new FhirException(409, IssueType.CONFLICT,
                "The record kept changing concurrently; try again"));
          }
          return Future.failedFuture(e);
        });
  }

  private static String versions(org.clientregistry.store.ChangeSet c) {
    List<String> out = new ArrayList<>();
    c.goldens().forEach(g -> out.add("golden " + g.id() + "@" + g.expectedVersion()));
    c.sources().forEach(w -> out.add("source " + w.id() + "@" + w.expectedVersion()));
    return out.toString();
  }

  /** Ids of new submissions the look-up did not find but the index holds (a record since renamed, or lost). */
  private static List<String> unstored(MatchingState state, Linker linker, List<PreparedSubmission> subs,
                                       List<Optional<SourceRecord>> existing) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < subs.size(); i++) {
      String id = subs.get(i).targetId() == null ? linker.sourceId(subs.get(i)) : null;
      if (id != null && existing.get(i).isEmpty() && state.index().contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private Future<Void> pause(int attempt) {
    Promise<Void> p = Promise.promise();
    long delay = 1 + ThreadLocalRandom.current().nextLong(5L * attempt);
    vertx.setTimer(delay, t -> p.complete());
    return p.future();
  }

  /**
   * Existing source record per submission (under the locks, so no one else creates it meanwhile); only those that
   * {@code ask} says may exist are read from the store, the others are new.
   */
  private Future<List<Optional<SourceRecord>>> lookUp(PatientStore store, List<PreparedSubmission> subs,
                                                      java.util.function.Predicate<PreparedSubmission> ask) {
    List<Future<Optional<SourceRecord>>> lookups = new ArrayList<>(subs.size());
    for (PreparedSubmission s : subs) {
      lookups.add(!ask.test(s) ? Future.succeededFuture(Optional.empty()) : s.targetId() == null
          ? store.sourceByInternalId(s.clientId(), s.idSystem(), s.idValue())
          : byTargetId(store, s));
    }
    return Future.all(lookups).map(all -> {
      List<Optional<SourceRecord>> out = new ArrayList<>(subs.size());
      for (int i = 0; i < subs.size(); i++) {
        out.add(all.resultAt(i));
      }
      return out;
    });
  }

  /** PUT: the record must exist, belong to the caller, and not take another record's internal identifier. */
  private Future<Optional<SourceRecord>> byTargetId(PatientStore store, PreparedSubmission s) {
    return store.source(s.targetId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(FhirException.notFound("No source record Patient/" + s.targetId()));
      }
      if (!found.get().clientId().equals(s.clientId())) {
        return Future.failedFuture(FhirException.forbidden("Patient/" + s.targetId()
            + " belongs to another client and cannot be updated by '" + s.clientId() + "'"));
      }
      return store.sourceByInternalId(s.clientId(), s.idSystem(), s.idValue()).compose(other -> {
        if (other.isPresent() && !other.get().id().equals(s.targetId())) {
          return Future.failedFuture(new FhirException(409, IssueType.CONFLICT, "The internal identifier "
              + s.idSystem() + "|" + s.idValue() + " already belongs to Patient/" + other.get().id()));
        }
        return Future.succeededFuture(found);
      });
    });
  }

  /**
   * Writes a submission's change. With other writers (replicas) and new records among it, the same transaction
   * reads what the others wrote since the index last learnt it; those records are indexed and the new records
   * placed again, so that a person another replica has just created is joined (or reviewed), not created twice.
   */
  private Future<List<SubmissionResult>> writeAndLook(PatientStore store, MatchingState state, Linker linker,
                                                      ClientConfig client, Linker.Planned planned,
                                                      java.time.Instant since) {
    if (onlyWriter || planned.results().stream().noneMatch(SubmissionResult::created)) {
      return write(store, linker, planned);
    }
    long mark = state.lost().mark();
    PatientStore.OthersSeen[] seen = {null};
    return write(store, linker, planned, c -> store.commitAndLook(c, since).map(o -> {
      seen[0] = o;
      return null;
    })).compose(results -> {
      PatientStore.OthersSeen others = seen[0];
      if (others == null) {
        return Future.succeededFuture(results);
      }
      if (others.complete()) {
        othersFollowedUntil(others.next());
      } else {
        catchUp.get(); // more than one page: the follower reads the rest (not awaited: it may need these locks)
      }
      // Their records new to the index may be a person this replica created meanwhile: the follower checks.
      others.sources().stream().filter(o -> o.goldenId() != null && !state.index().contains(o.id()))
          .forEach(o -> lateJoins.note(o.goldenId()));
      return worker.executeBlocking(() -> IndexRepair.newer(state, others.sources(), others.goldens(), mark)
              .map(n -> linker.recheck(client.id(), results)).orElse(java.util.Optional.empty()), false)
          .compose(again -> again.isEmpty() ? Future.succeededFuture(results)
              : write(store, linker, new Linker.Planned(List.of(), again.get().commit()))
                  .map(v -> again.get().results())
                  .otherwise(e -> {
                    LOG.warn("Placing new records again after another registry's write failed ({})",
                        e.getClass().getSimpleName());
                    return results;
                  }));
    });
  }

  /** A change decided outside a submission without the review items an open item already asks (AskedPairs). */
  Future<Workspace.Commit> withoutAsked(org.clientregistry.matching.MatchIndex index, Workspace.Commit commit) {
    return AskedPairs.dropAsked(store, worker, index, new Linker.Planned(List.of(), commit))
        .map(Linker.Planned::commit);
  }

  /** Writes a change decided outside a submission (administration), through the same gate, then indexes it. */
  Future<Void> write(Linker linker, Workspace.Commit commit) {
    return write(store, linker, new Linker.Planned(List.of(), commit)).mapEmpty();
  }

  private Future<List<SubmissionResult>> write(PatientStore store, Linker linker, Linker.Planned planned) {
    return write(store, linker, planned, store::commit);
  }

  private Future<List<SubmissionResult>> write(PatientStore store, Linker linker, Linker.Planned planned,
                                               java.util.function.Function<org.clientregistry.store.ChangeSet,
                                                   Future<Void>> commitWith) {
    if (!gate.enter()) {
      return Future.failedFuture(new FhirException(503, IssueType.TRANSIENT,
          "The registry is stopping and takes no more writes; send the request again shortly",
          java.util.Map.of("Retry-After", "10")));
    }
    Workspace.Commit commit = planned.commit();
    return commitWith.apply(commit.changes()).map(v -> {
      try {
        linker.apply(commit);
      } catch (RuntimeException e) {
        gate.indexMissedWrite(); // committed but not indexed: this index is no longer the store's
        throw e;
      }
      planned.results().forEach(r -> outcomes.accept(r.outcome()));
      return planned.results();
    }).eventually(() -> {
      gate.exit();
      return Future.succeededFuture();
    });
  }
}
