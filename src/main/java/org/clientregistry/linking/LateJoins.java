package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the window the in-transaction search of replicas leaves (docs/storage.md, replicas): two replicas whose
 * transactions create one person's records at the same moment each search before the other commits, so both keep
 * a golden record of their own. When history following later brings the other replica's new records, this
 * replica places its own recent creations again: a record that now belongs with the other's golden record moves
 * there (its own is {@code replaced-by} it); both replicas may try the same join from opposite ends, and the
 * versions every write carries let only one of them commit. An uncertain pair gets one review item: raised by the
 * replica whose golden id sorts higher, unless an open item for the pair (from either side) is already stored.
 */
final class LateJoins {
  private static final Logger LOG = LoggerFactory.getLogger(LateJoins.class);
  static final String WHY = "placed again after another registry's write";

  private final WorkerExecutor worker;
  private final PatientStore store;
  private final Supplier<MatchingState> matching;
  private final Supplier<Linker> linkers;
  private final KeyLocks locks;
  private final BiFunction<Linker, Workspace.Commit, Future<Void>> write;
  private final Supplier<WorkLimits> limits;
  private final RecentCreations recent;
  private final Set<String> noted = new HashSet<>();
  /**
   * The previous round's fresh golden ids, looked at once more: a record this replica created while that round ran
   * (committed, not yet indexed or recorded as recent) was not among its own recent creations then.
   */
  private Set<String> previous = Set.of();

  LateJoins(WorkerExecutor worker, PatientStore store, Supplier<MatchingState> matching, Supplier<Linker> linkers,
            KeyLocks locks, BiFunction<Linker, Workspace.Commit, Future<Void>> write, Supplier<WorkLimits> limits,
            RecentCreations recent) {
    this.worker = worker;
    this.store = store;
    this.matching = matching;
    this.linkers = linkers;
    this.locks = locks;
    this.write = write;
    this.limits = limits;
    this.recent = recent;
  }

  /** Other replicas' new golden ids a submission's own look indexed: checked in the follower's next round. */
  void note(String goldenId) {
    synchronized (noted) {
      if (noted.size() < 100_000) {
        noted.add(goldenId);
      }
    }
  }

  /** What one round decided: the work to write and the review pairs to look for first. */
  private record Plan(Workspace ws, Linker linker, boolean moves, Set<String> pairsToCheck) {}

  /**
   * Places this replica's recent creations again after the index learnt other replicas' new records (their
   * golden ids: {@code fresh}) in a following round that read the server from {@code followedFrom}; completes with
   * the number of records moved or reviewed.
   */
  Future<Integer> after(Set<String> freshNow, java.time.Instant followedFrom) {
    Set<String> fresh = new HashSet<>(freshNow);
    synchronized (noted) {
      fresh.addAll(noted);
      fresh.addAll(previous);
      noted.clear();
      previous = Set.copyOf(freshNow);
    }
    List<RecentCreations.Created> own = recent.since(followedFrom.toEpochMilli());
    if (fresh.isEmpty() || own.isEmpty()) {
      return Future.succeededFuture(0);
    }
    MatchingState state = matching.get();
    return worker.executeBlocking(() -> {
      dropOwn(state.index(), own, fresh);
      return candidates(state.index(), own, fresh);
    }, false).compose(found -> {
      // One record at a time, under its own keys' locks, like a submission: never a long hold on many keys.
      Future<Integer> chain = Future.succeededFuture(0);
      for (RecentCreations.Created c : found) {
        chain = chain.compose(n -> one(state, c, fresh).map(m -> n + m));
      }
      return chain;
    });
  }

  private Future<Integer> one(MatchingState state, RecentCreations.Created c, Set<String> fresh) {
    Optional<MatchRecord> now = state.index().record(c.sourceId());
    if (now.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return locks.acquire(state.index().keysOf(now.get().values()))
        .compose(held -> worker.executeBlocking(() -> plan(state, c, fresh), false)
            .compose(plan -> plan == null ? Future.succeededFuture(0) : checkAndWrite(plan))
            .eventually(() -> {
              held.release();
              return Future.succeededFuture();
            }))
        .otherwise(0); // a lock not had in time: the next round tries again
  }

  /**
   * Leaves out of {@code fresh} golden records holding only this replica's own recent records: a round that read
   * the server between one of its submissions' commit and its index update took that record for another writer's.
   * Left in, the record would never be placed again (records already in a fresh golden record are not).
   */
  private static void dropOwn(MatchIndex index, List<RecentCreations.Created> own, Set<String> fresh) {
    Set<String> ownIds = new HashSet<>();
    own.forEach(c -> ownIds.add(c.sourceId()));
    fresh.removeIf(g -> {
      List<MatchRecord> members = index.members(g);
      return !members.isEmpty() && members.stream().allMatch(m -> ownIds.contains(m.sourceId()));
    });
  }

  /** Own recent records still where they were put that share a blocking key with another replica's new record. */
  private static List<RecentCreations.Created> candidates(MatchIndex index, List<RecentCreations.Created> own,
                                                          Set<String> fresh) {
    Set<String> freshKeys = new HashSet<>();
    fresh.forEach(g -> index.members(g).forEach(m -> freshKeys.addAll(index.keysOf(m.values()))));
    List<RecentCreations.Created> out = new ArrayList<>();
    for (RecentCreations.Created c : own) {
      Optional<MatchRecord> now = index.record(c.sourceId()).filter(r -> r.version() == c.version()
          && r.goldenId().equals(c.goldenId()) && !r.manualLink() && !fresh.contains(r.goldenId()));
      if (now.isPresent() && index.keysOf(now.get().values()).stream().anyMatch(freshKeys::contains)) {
        out.add(c);
      }
    }
    return out;
  }

  /** Under the locks: the record placed again; null when it neither moves nor needs a review item. */
  private Plan plan(MatchingState state, RecentCreations.Created c, Set<String> fresh) {
    MatchIndex index = state.index();
    Optional<MatchRecord> now = index.record(c.sourceId()).filter(r -> r.version() == c.version());
    if (now.isEmpty()) {
      return null;
    }
    Linker linker = linkers.get();
    Workspace ws = workspace(index);
    Decision d = linker.planner().placeUpdated(ws, now.get(), c.link());
    boolean moved = !d.goldenId().equals(c.goldenId());
    // Only items about the other replica's new golden records: the rest were raised when the record was made.
    ws.keepReviews(r -> r.sourceId().equals(c.sourceId()) && fresh.contains(r.goldenId())
        // Of a pair neither replica saw, one raises the item: the one whose golden id sorts higher.
        && (moved || c.goldenId().compareTo(r.goldenId()) > 0));
    if (!moved && ws.reviews().isEmpty()) {
      return null;
    }
    ws.audit(new AuditEntry(ws.at(), now.get().clientId(), "submit", c.sourceId(), d.goldenId(), d.describe(), WHY));
    Set<String> pairs = new LinkedHashSet<>();
    for (ReviewItem r : ws.reviews()) {
      pairs.add(r.pair());
      index.members(r.goldenId()).forEach(m -> pairs.add(ReviewItem.pair(m.sourceId(), c.goldenId())));
    }
    return new Plan(ws, linker, moved, pairs);
  }

  private Future<Integer> checkAndWrite(Plan plan) {
    Future<Set<String>> open = plan.pairsToCheck().isEmpty() ? Future.succeededFuture(Set.of())
        : store.openReviewPairs(plan.pairsToCheck());
    return open.compose(stored -> {
      plan.ws().keepReviews(r -> !stored.contains(r.pair()) && !answered(plan, r, stored));
      Workspace.Commit commit = plan.ws().toCommit();
      if (!plan.moves() && commit.changes().reviews().isEmpty()) {
        return Future.succeededFuture(0);
      }
      int n = commit.changes().sources().size();
      return write.apply(plan.linker(), commit).map(v -> {
        LOG.info("Another registry's new records: a record of this registry placed again ({} written)", n);
        return n;
      });
    }).recover(e -> {
      // A lost race here means the other replica made the join: the next round sees it.
      LOG.debug("Placing a record again after another registry's write did not commit ({})",
          e.getClass().getSimpleName());
      return Future.succeededFuture(0);
    });
  }

  /** Whether the other replica already raised the pair from its side (its record against this one's golden). */
  private static boolean answered(Plan plan, ReviewItem r, Set<String> stored) {
    String own = plan.ws().record(r.sourceId()).map(MatchRecord::goldenId).orElse("");
    return plan.ws().members(r.goldenId()).stream().anyMatch(m -> stored.contains(ReviewItem.pair(m.sourceId(), own)));
  }

  private Workspace workspace(MatchIndex index) {
    return new Workspace(index, index.emptyLike(), limits.get()).by("registry", WHY);
  }
}
