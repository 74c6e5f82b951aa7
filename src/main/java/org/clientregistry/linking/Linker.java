package org.clientregistry.linking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clientregistry.fhir.SourceRecordJson;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.Matcher;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.SourceRecord;

/**
 * The linking decisions for a list of submissions (linking.md, steps 4 to 6), without I/O: the server writes the
 * resulting change to its store before applying it to the index; {@code evaluate} applies it to the index directly.
 * Both run exactly this code.
 */
public final class Linker {
  private final MatchIndex index;
  private final LinkPlanner planner;
  private final Matcher matcher;
  private final int maxCandidates;

  private final WorkLimits limits;
  private final RecordIds ids;

  public Linker(MatchIndex index, Matcher matcher, int maxCandidates) {
    this(index, matcher, maxCandidates, WorkLimits.NONE, TOOLS);
  }

  /**
   * Ids for linkers that store nothing under an identifier's id (evaluation, decisions): a fixed key, since ties
   * are broken by source id and {@code evaluate} must give the same links in every run; nothing is kept secret.
   */
  private static final RecordIds TOOLS = RecordIds.keyed(
      "client-registry tools: ids kept nowhere".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  /**
   * @param limits the most work one call of {@code plan} may do (a request's), past which it fails with a 422
   * @param ids how new records' ids are made (the installation's key)
   */
  public Linker(MatchIndex index, Matcher matcher, int maxCandidates, WorkLimits limits, RecordIds ids) {
    this.ids = ids;
    this.limits = limits;
    this.index = index;
    this.matcher = matcher;
    this.planner = new LinkPlanner(matcher);
    this.maxCandidates = maxCandidates;
  }

  LinkPlanner planner() {
    return planner;
  }

  /** What one attempt decided: the results to answer with, and the change to write. */
  record Planned(List<SubmissionResult> results, Workspace.Commit commit) {}

  /** New records only, linked in order and applied to the index at once (no store): for evaluation. */
  public List<SubmissionResult> linkInMemory(String clientId, List<PreparedSubmission> subs) {
    List<Optional<SourceRecord>> none = new ArrayList<>();
    subs.forEach(s -> none.add(Optional.empty()));
    Planned planned = plan(clientId, subs, none);
    apply(planned.commit());
    return planned.results();
  }

  /**
   * Whether the index may hold a record for this submission: it does not when the id a new record would get is
   * unknown to it (ids are made from the client's internal identifier). Not proof that none is stored: a record
   * can have been given this identifier later, by a PUT; the store's unique identifier key catches that case.
   */
  boolean mayBeIndexed(PreparedSubmission s) {
    return s.targetId() != null || index.contains(sourceId(s));
  }

  void apply(Workspace.Commit commit) {
    index.apply(commit.indexRecords(), commit.goldenVersions());
    ChangeSet.AdminChanges admin = commit.changes().admin();
    admin.marksAdded().forEach(m -> index.markNotSame(m.sourceA(), m.sourceB()));
    admin.marksRemoved().forEach(m -> index.unmarkNotSame(m.sourceA(), m.sourceB()));
  }

  Planned plan(String clientId, List<PreparedSubmission> subs, List<Optional<SourceRecord>> existing) {
    Workspace ws = new Workspace(index, index.emptyLike(), limits).by(clientId, null);
    List<String> ids = new ArrayList<>();
    List<Decision> decisions = new ArrayList<>();
    boolean anyChange = false;
    for (int i = 0; i < subs.size(); i++) {
      PreparedSubmission s = subs.get(i);
      Optional<SourceRecord> found = existing.get(i);
      if (found.isPresent() && unchanged(found.get(), s)) {
        ids.add(found.get().id());
        decisions.add(null);
        ws.audit(new AuditEntry(ws.at(), clientId, "submit", found.get().id(), found.get().goldenId(),
            "unchanged", null));
        continue;
      }
      anyChange = true;
      Decision d;
      String id;
      if (found.isEmpty() || found.get().goldenId() == null) {
        id = found.map(SourceRecord::id).orElseGet(() -> sourceId(s));
        if (found.isEmpty() && ws.record(id).isPresent()) {
          // The record first made under this identifier has since taken another one: a fresh id then.
          id = TimeOrderedIds.next();
        }
        found.ifPresent(unlinked -> ws.adopt(unlinked.id(), unlinked.version()));
        ws.content(id, s.content());
        d = planner.placeNew(ws, new MatchRecord(id, 0, s.clientId(), null, false, s.values()));
      } else {
        id = found.get().id();
        String stored = id;
        MatchRecord indexed = ws.record(id).orElseThrow(() -> new IllegalStateException(
            "Source record " + stored + " is stored but missing from the matching index"));
        ws.content(id, s.content());
        MatchRecord updated = new MatchRecord(id, indexed.version(), s.clientId(), indexed.goldenId(),
            indexed.manualLink(), s.values());
        d = planner.placeUpdated(ws, updated, found.get().link());
      }
      ids.add(id);
      decisions.add(d);
      ws.audit(new AuditEntry(ws.at(), clientId, "submit", id, d.goldenId(), d.describe(),
          d.link().rule() == null ? null : "rule=" + d.link().rule() + " score=" + d.link().score()));
    }
    Workspace.Commit commit = ws.toCommit();
    List<SubmissionResult> results = new ArrayList<>(subs.size());
    for (int i = 0; i < subs.size(); i++) {
      Decision d = decisions.get(i);
      if (d == null) {
        results.add(new SubmissionResult(false, existing.get(i).get(), "unchanged"));
        continue;
      }
      boolean created = existing.get(i).isEmpty() || existing.get(i).get().goldenId() == null;
      results.add(new SubmissionResult(created, stored(subs.get(i), ids.get(i), d, commit),
          d.describe()));
    }
    return new Planned(results, anyChange ? commit : auditOnly(commit));
  }

  /**
   * New records placed again after the index learnt other replicas' latest records (seen by the commit that wrote
   * them): a record whose person another replica has just created moves to that golden record, or gets a review
   * item. Empty when nothing changes. The answer then reports where the records are now.
   */
  java.util.Optional<Planned> recheck(String clientId, List<SubmissionResult> written) {
    Workspace ws = new Workspace(index, index.emptyLike(), limits).by(clientId, null);
    List<SubmissionResult> results = new ArrayList<>();
    List<Decision> decisions = new ArrayList<>();
    boolean changes = false;
    for (SubmissionResult r : written) {
      MatchRecord now = r.created() ? index.record(r.record().id()).orElse(null) : null;
      if (now == null || !now.goldenId().equals(r.record().goldenId())) {
        decisions.add(null);
        continue;
      }
      Decision d = planner.placeUpdated(ws, now, r.record().link());
      changes |= !d.goldenId().equals(now.goldenId()) || d.reviewItems() > 0;
      decisions.add(d);
      ws.audit(new AuditEntry(ws.at(), clientId, "submit", now.sourceId(), d.goldenId(), d.describe(),
          "placed again after another registry's write"));
    }
    if (!changes) {
      return Optional.empty();
    }
    Workspace.Commit commit = ws.toCommit();
    for (int i = 0; i < written.size(); i++) {
      SubmissionResult r = written.get(i);
      Decision d = decisions.get(i);
      if (d == null) {
        results.add(r);
        continue;
      }
      SourceRecord s = r.record();
      int version = commit.indexRecords().stream().filter(m -> m.sourceId().equals(s.id())).findFirst()
          .map(MatchRecord::version).orElse(s.version());
      results.add(new SubmissionResult(true, new SourceRecord(s.id(), version, s.clientId(), s.idSystem(),
          s.idValue(), d.goldenId(), d.link(), s.resourceJson(), s.fieldsJson(), commit.changes().at()),
          d.goldenId().equals(s.goldenId()) ? r.outcome() + (d.reviewItems() > 0 ? "+review" : "") : d.describe()));
    }
    return Optional.of(new Planned(results, commit));
  }

  private static Workspace.Commit auditOnly(Workspace.Commit commit) {
    ChangeSet c = commit.changes();
    return new Workspace.Commit(new ChangeSet(c.at(), List.of(), List.of(), List.of(), c.audit()), List.of(),
        Map.of());
  }

  /**
   * A new source record's id, derived from its owner and internal identifier under the installation's key: two
   * registries (replicas) creating the same record at once pick the same id, so the store's "must not exist yet"
   * check lets only one win; records stored under another key (an older scheme) are found by the unique key.
   */
  String sourceId(PreparedSubmission s) {
    return ids.of(s.clientId(), s.idSystem(), s.idValue());
  }

  private static boolean unchanged(SourceRecord stored, PreparedSubmission s) {
    return stored.goldenId() != null && stored.idSystem().equals(s.idSystem()) && stored.idValue().equals(s.idValue())
        && SourceRecordJson.sameContent(stored.resourceJson(), s.content().resourceJson());
  }

  private static SourceRecord stored(PreparedSubmission s, String id, Decision d, Workspace.Commit commit) {
    int version = commit.indexRecords().stream().filter(r -> r.sourceId().equals(id)).findFirst()
        .map(MatchRecord::version).orElseThrow();
    return new SourceRecord(id, version, s.clientId(), s.idSystem(), s.idValue(), d.goldenId(), d.link(),
        s.content().resourceJson(), s.content().fieldsJson(), commit.changes().at());
  }
}
