package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;

/**
 * Brings the matching index back to what the store holds for particular records, when a look-up or a lost race
 * shows that it differs: another replica wrote them (index behind), or the store lost a commit the index applied
 * (index ahead). The store is the truth; the index takes its versions, lower ones too.
 */
final class IndexRepair {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IndexRepair.class);
  private IndexRepair() {}

  /**
   * Indexes the linked records a look-up found at another version than the index holds (written by another
   * replica, or lost by the store): the plan then works on the stored record instead of failing on a missing one.
   * Not those taken out as lost after {@code mark} (taken before the look-up read). CPU work: on a worker.
   */
  static int fromFound(MatchingState state, List<Optional<SourceRecord>> found, long mark) {
    List<SourceRecord> differ = new ArrayList<>();
    for (Optional<SourceRecord> f : found) {
      if (f.isPresent() && f.get().goldenId() != null && state.index().record(f.get().id())
          .map(r -> r.version() != f.get().version() || !r.goldenId().equals(f.get().goldenId())).orElse(true)) {
        differ.add(f.get());
      }
    }
    return index(state, differ, Map.of(), true, mark);
  }

  /**
   * Reads from the store the source and golden records a failed change wrote, and the members of those golden
   * records the index does not hold as such, and indexes them at their stored versions (one or two reads).
   */
  static Future<Integer> reload(PatientStore store, WorkerExecutor worker, MatchingState state, ChangeSet failed) {
    long mark = state.lost().mark();
    List<String> sources = failed.sources().stream().map(ChangeSet.SourceWrite::id).toList();
    List<String> goldens = failed.goldens().stream().map(ChangeSet.GoldenWrite::id).toList();
    return store.current(sources, goldens).compose(first -> {
      MatchIndex index = state.index();
      Set<String> known = new java.util.HashSet<>();
      first.sources().forEach(s -> known.add(s.id()));
      first.goldens().forEach(g -> known.add(g.id()));
      Set<String> members = new LinkedHashSet<>();
      for (GoldenRecord g : first.goldens()) {
        for (String m : g.memberIds()) {
          boolean held = index.record(m).map(r -> r.goldenId().equals(g.id())).orElse(false);
          if (!held && !known.contains(m)) {
            members.add(m);
          }
        }
      }
      // Records the index holds that the store does not (it lost their creation): taken out of the index; the
      // index's members of a lost golden record are read too, and gone unless stored.
      Set<String> lost = new LinkedHashSet<>();
      failed.sources().stream().filter(w -> w.expectedVersion() > 0 && !known.contains(w.id()))
          .forEach(w -> lost.add(w.id()));
      failed.goldens().stream().filter(w -> w.expectedVersion() > 0 && !known.contains(w.id()))
          .forEach(w -> index.members(w.id()).forEach(m -> {
            lost.add(m.sourceId());
            members.add(m.sourceId());
          }));
      members.removeAll(known);
      Future<PatientStore.Current> second = members.isEmpty()
          ? Future.succeededFuture(new PatientStore.Current(List.of(), List.of()))
          : store.current(new ArrayList<>(members), List.of());
      return second.compose(more -> worker.executeBlocking(() -> {
        List<SourceRecord> all = new ArrayList<>(first.sources());
        all.addAll(more.sources());
        all.forEach(r -> lost.remove(r.id()));
        forgetLost(state, lost);
        Map<String, Integer> versions = new HashMap<>();
        first.goldens().forEach(g -> versions.put(g.id(), g.version()));
        return index(state, all, versions, false, mark);
      }, false));
    });
  }

  /**
   * The index's records for submissions whose look-up found nothing although the index holds a record of the id
   * they would get: read from the store, and taken out of the index when it does not have them either (a creation
   * the store lost), so that the record is made again under its own id.
   */
  static Future<Void> forgetUnstored(PatientStore store, WorkerExecutor worker, MatchingState state,
                                     List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.current(ids, List.of()).compose(found -> worker.executeBlocking(() -> {
      Set<String> lost = new LinkedHashSet<>(ids);
      found.sources().forEach(s -> lost.remove(s.id()));
      forgetLost(state, lost);
      return null;
    }, false));
  }

  private static void forgetLost(MatchingState state, Set<String> lost) {
    if (!lost.isEmpty()) {
      LOG.warn("{} records the matching index held are not in the store (it lost their creation): taken out",
          lost.size());
      state.lost().forget(state.index(), lost);
    }
  }

  /**
   * Indexes other writers' records and golden versions newer than the index's, read from the store after
   * {@code mark}; present when anything was newer. CPU work: on a worker.
   */
  static Optional<Integer> newer(MatchingState state, List<SourceRecord> sources,
                                 List<PatientStore.GoldenVersion> goldens, long mark) {
    MatchIndex index = state.index();
    List<SourceRecord> newer = sources.stream()
        .filter(s -> index.record(s.id()).map(r -> r.version() < s.version()).orElse(true)).toList();
    Map<String, Integer> versions = new HashMap<>();
    goldens.stream().filter(g -> index.goldenVersion(g.id()) < g.version())
        .forEach(g -> versions.merge(g.id(), g.version(), Math::max));
    int n = index(state, newer, versions, false, mark);
    return n == 0 ? Optional.empty() : Optional.of(n);
  }

  /**
   * Indexes records at their stored versions, except those taken out as lost since the read began
   * ({@code mark}); golden versions too (equal ones are left alone).
   */
  private static int index(MatchingState state, List<SourceRecord> sources, Map<String, Integer> goldens,
                           boolean onlyDiffering, long mark) {
    MatchIndex index = state.index();
    List<MatchRecord> records = new ArrayList<>();
    for (SourceRecord s : sources) {
      if (s.goldenId() == null || state.lost().since(mark, s.id(), s.version())) {
        continue;
      }
      Optional<MatchRecord> held = index.record(s.id());
      if (!onlyDiffering || held.isEmpty() || held.get().version() != s.version()) {
        String[][] values = IndexLoader.valuesOf(s, state.rules(), state.extractor());
        if (values != null) {
          records.add(new MatchRecord(s.id(), s.version(), s.clientId(), s.goldenId(), s.link().manual(), values));
        }
      }
    }
    Map<String, Integer> versions = new HashMap<>();
    goldens.forEach((id, v) -> {
      if (index.goldenVersion(id) != v) {
        versions.put(id, v);
      }
    });
    if (!records.isEmpty() || !versions.isEmpty()) {
      index.apply(records, versions);
    }
    // Versions that took: a golden record without members (emptied by a merge) is not held, and counting it made
    // every later look that saw it count as news (and re-place the submission's new records for nothing).
    return records.size() + (int) versions.entrySet().stream()
        .filter(e -> index.goldenVersion(e.getKey()) == e.getValue()).count();
  }
}
