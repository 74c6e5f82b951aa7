package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.StoreConflictException;

/**
 * Runs administrators' link decisions: each is decided on a worker against the index ({@link ManualLinks}),
 * written in one atomic step with version checks, then indexed. A concurrent change by a submission (a lost
 * optimistic race) re-decides on the fresh state; a stale {@code If-Match} or an already-resolved review item is a
 * 409, never a silent overwrite.
 */
public final class LinkAdmin {
  private static final int MAX_ATTEMPTS = 6;

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final PatientStore store;
  private final Supplier<MatchingState> matching;
  private final SubmissionService writer;
  private final int maxCandidates;

  public LinkAdmin(Vertx vertx, WorkerExecutor worker, PatientStore store, Supplier<MatchingState> matching,
                   SubmissionService writer, int maxCandidates) {
    this.vertx = vertx;
    this.worker = worker;
    this.store = store;
    this.matching = matching;
    this.writer = writer;
    this.maxCandidates = maxCandidates;
  }

  /** Who decides, the version they saw ({@code If-Match}, may be null) and their optional comment. */
  public record Actor(String id, String ifMatch, String comment) {
    Integer version() {
      return ManualLinks.version(ifMatch).orElse(null);
    }
  }

  /** Detaches a source record; completes with its new golden record's id. */
  public Future<String> breakOff(Actor who, String sourceId) {
    String[] golden = new String[1];
    return run(who, () -> Future.succeededFuture(m -> golden[0] = m.breakOff(sourceId, who.version())))
        .map(v -> golden[0]);
  }

  public Future<Void> unbreak(Actor who, String sourceId, String otherId) {
    return run(who, () -> Future.succeededFuture(m -> m.unbreak(sourceId, otherId, who.version())));
  }

  public Future<Void> merge(Actor who, String fromGolden, String intoGolden) {
    return run(who, () -> Future.succeededFuture(m -> m.merge(fromGolden, intoGolden, who.version())));
  }

  public Future<Void> link(Actor who, String sourceId, String goldenId) {
    return run(who, () -> Future.succeededFuture(m -> m.link(sourceId, goldenId, who.version(), null, null)));
  }

  /** Resolves a review item: {@code match}, {@code no-match} or {@code new-golden}. */
  public Future<Void> decide(Actor who, String itemId, String decision) {
    return run(who, () -> store.reviewItem(itemId).map(found -> {
      var item = found.orElseThrow(() -> FhirException.notFound("No review item " + itemId));
      return m -> m.decide(item, decision);
    }));
  }

  private Future<Void> run(Actor who, Supplier<Future<Consumer<ManualLinks>>> action) {
    return attempt(who, action, 1);
  }

  private Future<Void> attempt(Actor who, Supplier<Future<Consumer<ManualLinks>>> action, int attempt) {
    MatchingState state = matching.get();
    Linker linker = new Linker(state.index(), state.matcher(), maxCandidates);
    return action.get().compose(decision -> worker.executeBlocking(() -> {
      Workspace ws = new Workspace(state.index(), state.index().emptyLike());
      decision.accept(new ManualLinks(ws, linker.planner(), who.id(), who.comment()));
      return ws.toCommit();
    }, false)).compose(commit -> writer.write(linker, commit)).recover(e -> {
      if (e instanceof StoreConflictException && attempt < MAX_ATTEMPTS) {
        return pause(attempt).compose(v -> attempt(who, action, attempt + 1));
      }
      if (e instanceof StoreConflictException) {
        return Future.failedFuture(ManualLinks.conflict("The records kept changing concurrently; try again"));
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Void> pause(int attempt) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(10L * attempt), t -> p.complete());
    return p.future();
  }
}
