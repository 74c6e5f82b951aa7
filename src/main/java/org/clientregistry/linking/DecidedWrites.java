package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.clientregistry.store.StoreConflictException;

/**
 * Changes decided outside a submission (an administrator's decision, a re-match batch): decided on a worker on a
 * fresh workspace over the rules in force, written through the submissions' write gate with version checks, then
 * indexed. A lost optimistic race with a submission decides again on the fresh state; after the last attempt the
 * StoreConflictException is passed on.
 */
final class DecidedWrites {
  private static final int MAX_ATTEMPTS = 8;

  /** What to decide on the workspace; may throw to refuse (a FhirException with the status to answer). */
  interface Decision {
    void decide(Workspace ws, LinkPlanner planner);
  }

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final Supplier<MatchingState> matching;
  private final SubmissionService writer;
  private final int maxCandidates;

  DecidedWrites(Vertx vertx, WorkerExecutor worker, Supplier<MatchingState> matching, SubmissionService writer,
                int maxCandidates) {
    this.vertx = vertx;
    this.worker = worker;
    this.matching = matching;
    this.writer = writer;
    this.maxCandidates = maxCandidates;
  }

  /** Decides (the supplier is asked again on every attempt, so it may re-read what it needs) and writes. */
  Future<Workspace.Commit> run(Supplier<Future<Decision>> decision) {
    return attempt(decision, 1);
  }

  private Future<Workspace.Commit> attempt(Supplier<Future<Decision>> decision, int attempt) {
    MatchingState state = matching.get();
    Linker linker = new Linker(state.index(), state.matcher(), maxCandidates);
    return decision.get().compose(d -> worker.executeBlocking(() -> {
      Workspace ws = new Workspace(state.index(), state.index().emptyLike());
      d.decide(ws, linker.planner());
      return ws.toCommit();
    }, false)).compose(commit -> writer.withoutAsked(state.index(), commit))
        .compose(commit -> writer.write(linker, commit).map(commit)).recover(e ->
        e instanceof StoreConflictException && attempt < MAX_ATTEMPTS
            ? pause(attempt).compose(v -> attempt(decision, attempt + 1)) : Future.failedFuture(e));
  }

  private Future<Void> pause(int attempt) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(10L * attempt), t -> p.complete());
    return p.future();
  }
}
