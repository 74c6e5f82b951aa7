package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.PatientStore;

/**
 * Re-evaluates every golden record's automatic links under the rules in force ({@link RematchPlanner}). A dry run
 * decides everything on one workspace and writes nothing; an apply walks the golden records in id order in
 * batches, each written atomically with the job's position, so a crash resumes after the last written batch.
 * Submissions go on meanwhile: a batch that loses a race with one is decided again.
 */
public final class Rematch {
  public static final String JOB = "rematch";
  private static final int BATCH = 200;
  private static final int SAMPLE = 20;

  private final WorkerExecutor worker;
  private final PatientStore store;
  private final Supplier<MatchingState> matching;
  private final DecidedWrites writes;
  private final int maxCandidates;
  private final AtomicBoolean running = new AtomicBoolean();

  public Rematch(Vertx vertx, WorkerExecutor worker, PatientStore store, Supplier<MatchingState> matching,
                 SubmissionService writer, int maxCandidates) {
    this.worker = worker;
    this.store = store;
    this.matching = matching;
    this.writes = new DecidedWrites(vertx, worker, matching, writer, maxCandidates);
    this.maxCandidates = maxCandidates;
  }

  /** What re-matching changes (or would): golden records looked at, records moved, review items, a sample. */
  public record Report(long goldens, long moved, long split, long joined, long goldensEmptied, long reviewItems,
                       List<LinkEvent> sample, String resumedAfter, boolean done) {
    Report plus(Report batch) {
      List<LinkEvent> s = new ArrayList<>(sample);
      batch.sample().stream().limit(Math.max(0, SAMPLE - s.size())).forEach(s::add);
      return new Report(goldens + batch.goldens(), moved + batch.moved(), split + batch.split(),
          joined + batch.joined(), goldensEmptied + batch.goldensEmptied(), reviewItems + batch.reviewItems(), s,
          resumedAfter, batch.done());
    }
  }

  public boolean running() {
    return running.get();
  }

  /** Decides everything, writes nothing. */
  public Future<Report> dryRun() {
    MatchingState state = matching.get();
    int[] goldens = {0};
    return worker.executeBlocking(() -> {
      Workspace ws = new Workspace(state.index(), state.index().emptyLike()).by("registry", "re-match");
      RematchPlanner planner = new RematchPlanner(new Linker(state.index(), state.matcher(), maxCandidates).planner());
      List<String> ids = state.index().goldenIdsSorted();
      ids.forEach(id -> planner.recheck(ws, id));
      goldens[0] = ids.size();
      return new Linker.Planned(List.of(), ws.toCommit());
    }, false).compose(planned -> AskedPairs.dropAsked(store, worker, state.index(), planned)) // as apply does
        .map(planned -> report(planned.commit(), goldens[0], null, true));
  }

  /**
   * Applies in batches, from where an unfinished run stopped; {@code progress} hears each written batch. Fails at
   * once when a run is already under way in this process.
   */
  public Future<Report> apply(String actor, Consumer<Report> progress) {
    if (!running.compareAndSet(false, true)) {
      return Future.failedFuture(new IllegalStateException("a re-match is already running"));
    }
    return store.jobCursor(JOB).compose(cursor -> {
      List<String> ids = matching.get().index().goldenIdsSorted();
      List<String> todo = cursor.isEmpty() ? ids : ids.stream().filter(id -> id.compareTo(cursor.get()) > 0).toList();
      Report start = new Report(0, 0, 0, 0, 0, 0, List.of(), cursor.orElse(null), todo.isEmpty());
      return batches(actor, todo, 0, start, progress);
    }).eventually(() -> {
      running.set(false);
      return Future.succeededFuture();
    });
  }

  private Future<Report> batches(String actor, List<String> ids, int from, Report sofar, Consumer<Report> progress) {
    int to = Math.min(ids.size(), from + BATCH);
    List<String> batch = ids.subList(from, to);
    return batch(actor, batch, to == ids.size()).compose(r -> {
      Report total = sofar.plus(r);
      progress.accept(total);
      // Each batch is its own worker turn and write: submissions interleave between batches.
      return to == ids.size() ? Future.succeededFuture(total) : batches(actor, ids, to, total, progress);
    });
  }

  private Future<Report> batch(String actor, List<String> ids, boolean last) {
    return writes.run(() -> Future.succeededFuture((ws, planner) -> {
      ws.by(actor, "re-match");
      RematchPlanner rematch = new RematchPlanner(planner);
      ids.forEach(id -> rematch.recheck(ws, id));
      ws.progress(new ChangeSet.JobProgress(JOB, last || ids.isEmpty() ? null : ids.get(ids.size() - 1)));
      if (ws.changesAnything()) {
        ws.audit(new AuditEntry(ws.at(), actor, "link.rematch", null, null, "batch", ids.size() + " golden records"));
      }
    })).map(commit -> report(commit, ids.size(), null, last));
  }

  private static Report report(Workspace.Commit commit, long goldens, String resumedAfter, boolean done) {
    ChangeSet c = commit.changes();
    long emptied = c.goldens().stream().filter(g -> g.replacedBy() != null || g.memberIds().isEmpty()).count();
    // A record moved to a golden record this change created was split off (links broken); else it joined one.
    java.util.Set<String> created = new java.util.HashSet<>();
    c.goldens().stream().filter(g -> g.expectedVersion() == 0).forEach(g -> created.add(g.id()));
    long split = c.events().stream().filter(e -> created.contains(e.goldenId())).count();
    return new Report(goldens, c.events().size(), split, c.events().size() - split, emptied, c.reviews().size(),
        c.events().stream().limit(SAMPLE).toList(), resumedAfter, done);
  }
}
