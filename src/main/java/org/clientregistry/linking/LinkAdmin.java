package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
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
  private final PatientStore store;
  private final DecidedWrites writes;

  public LinkAdmin(Vertx vertx, WorkerExecutor worker, PatientStore store, Supplier<MatchingState> matching,
                   SubmissionService writer, int maxCandidates) {
    this.store = store;
    this.writes = new DecidedWrites(vertx, worker, matching, writer, maxCandidates);
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

  /** A client's merge of two of its own records (PMIR {@code replaced-by}); see {@link ManualLinks#replacedBy}. */
  public Future<Void> replacedBy(Actor who, String victimId, String survivorId) {
    return run(who, () -> Future.succeededFuture(m -> m.replacedBy(who.id(), victimId, survivorId)));
  }

  /** Resolves a review item: {@code match}, {@code no-match} or {@code new-golden}. */
  public Future<Void> decide(Actor who, String itemId, String decision) {
    return run(who, () -> store.reviewItem(itemId).map(found -> {
      var item = found.orElseThrow(() -> FhirException.notFound("No review item " + itemId));
      return m -> m.decide(item, decision);
    }));
  }

  private Future<Void> run(Actor who, Supplier<Future<Consumer<ManualLinks>>> action) {
    return writes.run(() -> action.get().map(manual -> (DecidedWrites.Decision) (ws, planner) ->
            manual.accept(new ManualLinks(ws, planner, who.id(), who.comment()))))
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(e instanceof StoreConflictException
            ? ManualLinks.conflict("The records kept changing concurrently; try again") : e));
  }
}
