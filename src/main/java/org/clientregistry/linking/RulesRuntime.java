package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.Nicknames;
import org.clientregistry.store.PatientStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision rules in force, and their replacement at run time. A new rules text is validated first (a bad one
 * is refused with a log line and the old rules stay); then a new index is built from the store beside the old one,
 * swapped in, and caught up with records written while it was being built. Requests in flight finish on the state
 * they started with.
 */
public final class RulesRuntime implements Supplier<MatchingState> {
  private static final Logger LOG = LoggerFactory.getLogger(RulesRuntime.class);
  /** Records written this long before a rebuild started are read again, so clock granularity loses nothing. */
  private static final Duration CATCH_UP_MARGIN = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final PatientStore store;
  private final int maxCandidates;
  private final Nicknames nicknames;
  private final AtomicReference<MatchingState> current;
  private final AtomicBoolean loaded = new AtomicBoolean(false);
  private final AtomicBoolean reloading = new AtomicBoolean(false);
  /** From a rebuild's start until its last catch-up: the index may lack writes planned on the state before. */
  private final AtomicBoolean settling = new AtomicBoolean(false);
  private final IndexSnapshots snapshots;
  private volatile boolean restored;
  private long lastModified = -1;

  public RulesRuntime(Vertx vertx, WorkerExecutor worker, PatientStore store, MatchingState initial,
                      int maxCandidates, Nicknames nicknames, IndexSnapshots snapshots) {
    this.nicknames = nicknames;
    this.snapshots = snapshots;
    this.vertx = vertx;
    this.worker = worker;
    this.store = store;
    this.maxCandidates = maxCandidates;
    this.current = new AtomicReference<>(initial);
  }

  @Override
  public MatchingState get() {
    return current.get();
  }

  public boolean loaded() {
    return loaded.get();
  }

  /** Whether the index in force was read from the snapshot the last clean stop kept (not rebuilt from the store). */
  public boolean restoredFromSnapshot() {
    return restored;
  }

  /** The first load at start: the snapshot the last clean stop kept, if it may be used; else from the store. */
  public Future<Long> load() {
    MatchingState kept = current.get();
    return snapshots.restore(kept).compose(restored -> {
      if (restored) {
        this.restored = true;
        return Future.succeededFuture((long) kept.index().size());
      }
      // A fresh state: a snapshot that failed part-way through leaves its index unusable.
      MatchingState state = MatchingState.of(kept.rules(), maxCandidates);
      current.set(state);
      return new IndexLoader(store, state.rules(), state.extractor()).load(state.index());
    }).onSuccess(n -> loaded.set(true));
  }

  /**
   * At a clean stop, once the store takes no more writes: keeps the index on disk for the next start, when it is
   * known to hold exactly what the store holds ({@code inStep}: every committed write reached it).
   */
  public Future<Void> keepIndex(boolean inStep) {
    String notKept = !loaded.get() || reloading.get() || settling.get() ? "it was still being built"
        : !inStep ? "writes were still under way, or one missed the index" : null;
    if (notKept != null) {
      LOG.info("Matching index not kept on disk: {}", notKept);
      return Future.succeededFuture();
    }
    return snapshots.keep(current.get());
  }

  private final java.util.concurrent.atomic.AtomicLong refusedReloads = new java.util.concurrent.atomic.AtomicLong();

  /** Changed rules files refused since start (the metric cr_config_refused_total). */
  public long refusedReloads() {
    return refusedReloads.get();
  }

  /** Checks the rules file every {@code interval} and reloads when its modification time changes. */
  public void watch(Path rulesFile, Duration interval) {
    vertx.fileSystem().props(rulesFile.toString()).onSuccess(p -> lastModified = p.lastModifiedTime());
    vertx.setPeriodic(interval.toMillis(), id -> vertx.fileSystem().props(rulesFile.toString())
        .onSuccess(props -> {
          if (lastModified >= 0 && props.lastModifiedTime() != lastModified) {
            lastModified = props.lastModifiedTime();
            LOG.info("Decision rules file {} changed; reloading", rulesFile);
            vertx.fileSystem().readFile(rulesFile.toString())
                .compose(text -> replace(text.toString()))
                .onFailure(e -> {
                  refusedReloads.incrementAndGet();
                  LOG.error("Decision rules not reloaded, the previous rules stay: {}", e.getMessage());
                });
          } else {
            lastModified = props.lastModifiedTime();
          }
        })
        .onFailure(e -> LOG.warn("Cannot read the decision rules file {}: {}", rulesFile, e.getMessage())));
  }

  /** Validates and applies a new rules text; fails (and changes nothing) when it is invalid. */
  public Future<MatchingState> replace(String rulesJson) {
    return rebuild(worker.executeBlocking(
        () -> DecisionRulesParser.parse(rulesJson, FieldExtractor::validate, nicknames), false));
  }

  /** Builds the index again from the store, with the rules in force (after the store itself was replaced). */
  public Future<MatchingState> reindex() {
    return rebuild(Future.succeededFuture(current.get().rules()));
  }

  private Future<MatchingState> rebuild(Future<org.clientregistry.matching.DecisionRules> newRules) {
    if (!reloading.compareAndSet(false, true)) {
      return Future.failedFuture(new IllegalStateException("a rules reload is already running"));
    }
    Instant started = Instant.now().minus(CATCH_UP_MARGIN);
    settling.set(true);
    MatchingState before = current.get();
    return newRules
        .compose(rules -> {
          MatchingState next = MatchingState.of(rules, maxCandidates);
          return new IndexLoader(store, rules, next.extractor()).load(next.index()).map(n -> next);
        })
        .compose(next -> {
          current.set(next);
          // Writes planned on the old state may still land in the old index: read them again, now and shortly.
          return catchUp(next, started).onSuccess(v -> vertx.setTimer(5_000, t -> catchUp(next, started)
                  .onSuccess(done -> settling.set(false))))
              .map(next);
        })
        .onSuccess(next -> LOG.info("Decision rules replaced: {} rule set(s), {} records indexed",
            next.rules().ruleSets().size(), next.index().size()))
        .onFailure(e -> {
          if (current.get() == before) {
            settling.set(false); // the old state stays, whole
          }
        })
        .eventually(() -> {
          reloading.set(false);
          return Future.succeededFuture();
        });
  }

  private Future<Void> catchUp(MatchingState state, Instant since) {
    return new IndexLoader(store, state.rules(), state.extractor()).loadChangedSince(state.index(), since)
        .mapEmpty();
  }
}
