package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.Outcome;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;

/**
 * Review items ask whether two golden records are one person. A record joining golden record A that is uncertain
 * about golden record B asks what an open item raised from another member of A about B (or of B about A) already
 * asks: such an item is not raised again, so the administrator meets each question once. A record that matches a
 * member of B certainly is still raised (it says more: possible duplicate golden records). Within one request the
 * workspace sees to this; across requests (submissions, administrators' decisions, re-match batches) the store is
 * asked, only when a change would raise such items.
 */
final class AskedPairs {
  /** Members looked at per golden record: two large golden records are compared through their first members. */
  private static final int MEMBERS = 25;

  private AskedPairs() {}

  /** The plan without the review items an open item already asks (one store read when it raises any). */
  static Future<Linker.Planned> dropAsked(PatientStore store, WorkerExecutor worker, MatchIndex index,
                                          Linker.Planned planned) {
    ChangeSet changes = planned.commit().changes();
    if (changes.reviews().isEmpty()) {
      return Future.succeededFuture(planned);
    }
    return worker.executeBlocking(() -> asking(index, changes), false).compose(asking -> {
      Set<String> all = new LinkedHashSet<>();
      asking.forEach(all::addAll);
      return all.isEmpty() ? Future.succeededFuture(planned) : store.openReviewPairs(all).map(open -> {
        List<ReviewItem> kept = new ArrayList<>();
        for (int i = 0; i < changes.reviews().size(); i++) {
          if (asking.get(i).stream().noneMatch(open::contains)) {
            kept.add(changes.reviews().get(i));
          }
        }
        return kept.size() == changes.reviews().size() ? planned : without(planned, kept);
      });
    });
  }

  /** Per review item of the change, the (source, golden) pairs whose open item asks the same question. */
  static List<Set<String>> asking(MatchIndex index, ChangeSet changes) {
    List<Set<String>> out = new ArrayList<>();
    for (ReviewItem r : changes.reviews()) {
      Set<String> pairs = new LinkedHashSet<>();
      // The record's golden record after this change (a re-match may raise an item for a record it leaves alone).
      java.util.Optional<ChangeSet.SourceWrite> write = changes.sources().stream()
          .filter(s -> s.id().equals(r.sourceId())).findFirst();
      String own = write.map(ChangeSet.SourceWrite::goldenId)
          .orElseGet(() -> index.record(r.sourceId()).map(MatchRecord::goldenId).orElse(null));
      if (write.isEmpty() || write.get().expectedVersion() > 0) {
        pairs.add(r.pair()); // a stored record may have this very item open (the store would not add it again)
      }
      // A golden record this change creates has no other members, and no item names it yet.
      boolean created = changes.goldens().stream().anyMatch(g -> g.id().equals(own) && g.expectedVersion() == 0);
      // A certain match with a member of another golden record says more (two golden records of one person): kept.
      boolean uncertain = !Outcome.AUTO.grade().equals(r.grade());
      if (uncertain && own != null && !created && r.goldenId() != null && !own.equals(r.goldenId())) {
        members(index, changes, own).stream().filter(m -> !m.equals(r.sourceId()))
            .forEach(m -> pairs.add(ReviewItem.pair(m, r.goldenId())));
        members(index, changes, r.goldenId()).forEach(m -> pairs.add(ReviewItem.pair(m, own)));
      }
      out.add(pairs);
    }
    return out;
  }

  /** A golden record's members as this change leaves them (else as the index holds them), the first few. */
  private static List<String> members(MatchIndex index, ChangeSet changes, String goldenId) {
    List<String> ids = changes.goldens().stream().filter(g -> g.id().equals(goldenId)).findFirst()
        .map(ChangeSet.GoldenWrite::memberIds).filter(m -> m != null)
        .orElseGet(() -> index.members(goldenId).stream().map(MatchRecord::sourceId).toList());
    return ids.subList(0, Math.min(MEMBERS, ids.size()));
  }

  private static Linker.Planned without(Linker.Planned planned, List<ReviewItem> kept) {
    Workspace.Commit c = planned.commit();
    ChangeSet s = c.changes();
    return new Linker.Planned(planned.results(), new Workspace.Commit(new ChangeSet(s.at(), s.sources(), s.goldens(),
        kept, s.audit(), s.events(), s.admin()), c.indexRecords(), c.goldenVersions()));
  }
}
