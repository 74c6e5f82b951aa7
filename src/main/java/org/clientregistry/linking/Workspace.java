package org.clientregistry.linking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clientregistry.matching.Candidates;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.MatchView;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;

/**
 * The registry as one piece of work sees it while deciding: the committed index plus the changes decided so far
 * (new and re-linked records, new golden records, review items). Several submissions of one transaction bundle
 * share a workspace, so later entries match earlier ones; nothing reaches the store or the index until
 * {@link #toCommit()} is written.
 */
final class Workspace implements MatchView {
  private final MatchIndex base;
  private final MatchIndex pending;
  private final Map<String, MatchRecord> changed = new LinkedHashMap<>();
  private final Map<String, LinkFacts> links = new HashMap<>();
  /** Records stored but not yet linked by any registry (written straight into a FHIR server), by stored version. */
  private final Map<String, Integer> adopted = new HashMap<>();
  private final Map<String, ChangeSet.Content> contents = new HashMap<>();
  /** Goldens whose membership this work changes, with the version it read them at (0: created here). */
  private final Map<String, Integer> touchedGoldens = new LinkedHashMap<>();
  private final Map<String, String> replacedBy = new HashMap<>();
  private final List<ReviewItem> reviews = new ArrayList<>();
  private final java.util.Set<String> reviewedPairs = new java.util.HashSet<>();
  private final List<AuditEntry> audit = new ArrayList<>();
  private final Instant at = Instant.now();
  private final List<PatientStore.NotSamePerson> marksAdded = new ArrayList<>();
  private final List<PatientStore.NotSamePerson> marksRemoved = new ArrayList<>();
  private final List<ChangeSet.Resolution> resolutions = new ArrayList<>();
  private ChangeSet.JobProgress progress;
  /** Who the link events of this work name, and the administrator's comment. */
  private String actor;
  private String comment;

  private final WorkLimits limits;
  private long compared;

  Workspace(MatchIndex base, MatchIndex emptyOverlay) {
    this(base, emptyOverlay, WorkLimits.NONE);
  }

  Workspace(MatchIndex base, MatchIndex emptyOverlay, WorkLimits limits) {
    this.base = base;
    this.pending = emptyOverlay;
    this.limits = limits;
  }

  @Override
  public Candidates candidates(String[][] values, String excludeSourceId) {
    Candidates committed = base.candidates(values, excludeSourceId);
    Candidates recent = pending.candidates(values, excludeSourceId);
    Map<String, MatchRecord> found = new LinkedHashMap<>();
    committed.records().forEach(r -> found.put(r.sourceId(), changed.getOrDefault(r.sourceId(), r)));
    recent.records().forEach(r -> found.put(r.sourceId(), changed.get(r.sourceId())));
    compared += found.size(); // each candidate found is compared once
    limits.checkComparisons(compared);
    return new Candidates(new ArrayList<>(found.values()), committed.capped() || recent.capped());
  }

  @Override
  public Optional<MatchRecord> record(String sourceId) {
    MatchRecord r = changed.get(sourceId);
    return r != null ? Optional.of(r) : base.record(sourceId);
  }

  @Override
  public List<MatchRecord> members(String goldenId) {
    readGolden(goldenId);
    Set<String> seen = new LinkedHashSet<>();
    List<MatchRecord> out = new ArrayList<>();
    for (MatchRecord r : base.members(goldenId)) {
      MatchRecord now = changed.getOrDefault(r.sourceId(), r);
      if (now.goldenId().equals(goldenId) && seen.add(now.sourceId())) {
        out.add(now);
      }
    }
    for (MatchRecord r : changed.values()) {
      if (r.goldenId().equals(goldenId) && seen.add(r.sourceId())) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public int goldenVersion(String goldenId) {
    Integer v = touchedGoldens.get(goldenId);
    return v != null ? v : base.goldenVersion(goldenId);
  }

  @Override
  public boolean notSamePerson(String sourceA, String sourceB) {
    if (marksAdded.isEmpty() && marksRemoved.isEmpty()) {
      return base.notSamePerson(sourceA, sourceB); // every submission: no marks of its own, nothing to allocate
    }
    PatientStore.NotSamePerson pair = new PatientStore.NotSamePerson(sourceA, sourceB);
    PatientStore.NotSamePerson reversed = new PatientStore.NotSamePerson(sourceB, sourceA);
    if (marksRemoved.contains(pair) || marksRemoved.contains(reversed)) {
      return false;
    }
    return marksAdded.contains(pair) || marksAdded.contains(reversed) || base.notSamePerson(sourceA, sourceB);
  }

  /** Names who does this work (a client id, an administrator, or the registry itself) for the link events. */
  Workspace by(String actor, String comment) {
    this.actor = actor;
    this.comment = comment;
    return this;
  }

  void markNotSame(String a, String b) {
    if (!a.equals(b) && !notSamePerson(a, b)) {
      marksAdded.add(new PatientStore.NotSamePerson(a, b));
    }
  }

  void unmarkNotSame(String a, String b) {
    marksAdded.removeIf(m -> m.equals(new PatientStore.NotSamePerson(a, b))
        || m.equals(new PatientStore.NotSamePerson(b, a)));
    if (base.notSamePerson(a, b)) {
      marksRemoved.add(new PatientStore.NotSamePerson(a, b));
    }
  }

  void resolve(ChangeSet.Resolution resolution) {
    resolutions.add(resolution);
  }

  void progress(ChangeSet.JobProgress progress) {
    this.progress = progress;
  }

  /** Whether this work changes anything at all (a re-match batch may find nothing to do). */
  boolean changesAnything() {
    return !changed.isEmpty() || !reviews.isEmpty() || !marksAdded.isEmpty() || !marksRemoved.isEmpty()
        || !resolutions.isEmpty();
  }

  String newGolden() {
    String id = TimeOrderedIds.next();
    touchedGoldens.put(id, 0);
    return id;
  }

  /** Links a record to a golden record; both the old and the new golden record change. */
  void link(MatchRecord record, String goldenId, LinkFacts facts) {
    record(record.sourceId()).ifPresent(previous -> readGolden(previous.goldenId()));
    readGolden(goldenId);
    MatchRecord linked = record.withLink(goldenId, facts.manual());
    changed.put(linked.sourceId(), linked);
    links.put(linked.sourceId(), facts);
    pending.put(linked);
  }

  /** The submitted content of a record this work writes in full. */
  void content(String sourceId, ChangeSet.Content content) {
    contents.put(sourceId, content);
  }

  /** A stored record nobody linked yet is linked by this work as if new, but written over its stored version. */
  void adopt(String sourceId, int storedVersion) {
    adopted.put(sourceId, storedVersion);
  }

  void replaced(String goldenId, String by) {
    replacedBy.put(goldenId, by);
  }

  void review(ReviewItem item) {
    reviews.add(item);
    limits.checkReviewItems(reviews.size());
  }

  /** @param sourceGolden the golden record the item's source record is placed in */
  void review(ReviewItem item, String sourceGolden) {
    review(item);
    if (item.goldenId() != null && sourceGolden != null) {
      reviewedPairs.add(pairKey(sourceGolden, item.goldenId()));
    }
  }

  /** The review items this work raises so far. */
  List<ReviewItem> reviews() {
    return List.copyOf(reviews);
  }

  /** Drops the review items this work would raise that {@code keep} refuses. */
  void keepReviews(java.util.function.Predicate<ReviewItem> keep) {
    reviews.removeIf(keep.negate());
  }

  /** Whether this change already raises an item between these two golden records, in either direction. */
  boolean reviewsBetween(String goldenA, String goldenB) {
    return goldenA != null && goldenB != null && reviewedPairs.contains(pairKey(goldenA, goldenB));
  }

  private static String pairKey(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  void audit(AuditEntry entry) {
    audit.add(entry);
  }

  /** Remembers a golden record's version the first time this work reads it, before any change of its own. */
  private void readGolden(String goldenId) {
    touchedGoldens.computeIfAbsent(goldenId, base::goldenVersion);
  }

  /** The change to write and, once written, what the index takes from it. */
  Commit toCommit() {
    List<ChangeSet.SourceWrite> sources = new ArrayList<>();
    List<MatchRecord> indexed = new ArrayList<>();
    List<LinkEvent> events = new ArrayList<>();
    for (MatchRecord r : changed.values()) {
      Optional<MatchRecord> before = base.record(r.sourceId());
      if (before.isEmpty() || !before.get().goldenId().equals(r.goldenId())
          || before.get().manualLink() != r.manualLink()) {
        events.add(new LinkEvent(null, at, r.sourceId(), r.goldenId(), before.map(MatchRecord::goldenId).orElse(null),
            links.get(r.sourceId()), actor, comment));
      }
      int stored = before.map(MatchRecord::version)
          .orElse(adopted.getOrDefault(r.sourceId(), 0));
      int version = stored + 1;
      sources.add(new ChangeSet.SourceWrite(r.sourceId(), stored, version, r.goldenId(), links.get(r.sourceId()),
          contents.get(r.sourceId())));
      indexed.add(new MatchRecord(r.sourceId(), version, r.clientId(), r.goldenId(), r.manualLink(), r.values()));
    }
    List<ChangeSet.GoldenWrite> goldens = new ArrayList<>();
    Map<String, Integer> goldenVersions = new HashMap<>();
    touchedGoldens.forEach((id, read) -> {
      // Only goldens whose membership really changed are written (a golden read but left alone is not).
      if (read == 0 || membershipChanged(id)) {
        goldens.add(new ChangeSet.GoldenWrite(id, read, read + 1, replacedBy.get(id),
            members(id).stream().map(MatchRecord::sourceId).toList()));
        goldenVersions.put(id, read + 1);
      }
    });
    ChangeSet.AdminChanges admin = new ChangeSet.AdminChanges(List.copyOf(marksAdded), List.copyOf(marksRemoved),
        List.copyOf(resolutions), progress);
    return new Commit(new ChangeSet(at, sources, goldens, List.copyOf(reviews), List.copyOf(audit), events, admin),
        indexed, goldenVersions);
  }

  private boolean membershipChanged(String goldenId) {
    for (MatchRecord r : changed.values()) {
      Optional<MatchRecord> before = base.record(r.sourceId());
      boolean wasMember = before.isPresent() && before.get().goldenId().equals(goldenId);
      boolean isMember = r.goldenId().equals(goldenId);
      if (wasMember != isMember || (isMember && contents.containsKey(r.sourceId()))) {
        return true;
      }
    }
    return replacedBy.containsKey(goldenId);
  }

  /** A decided change: what to write, then what the index applies. */
  record Commit(ChangeSet changes, List<MatchRecord> indexRecords, Map<String, Integer> goldenVersions) {}

  /** The one time stamp of this work: link facts, lastUpdated and audit entries all carry it. */
  Instant at() {
    return at;
  }
}
