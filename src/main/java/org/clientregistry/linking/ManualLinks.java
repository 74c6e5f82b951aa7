package org.clientregistry.linking;

import java.util.List;
import java.util.Optional;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.ReviewItem;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * An administrator's link decisions (api.md, "Link management and review") on a {@link Workspace}, without I/O:
 * each is recorded as manual, so automatic matching never undoes it, and each writes an audit entry. Refusals are
 * FhirExceptions with the status the route answers (404 unknown record, 409 stale version or state).
 */
final class ManualLinks {
  private final Workspace ws;
  private final LinkPlanner planner;
  private final String actor;
  private final String comment;

  ManualLinks(Workspace ws, LinkPlanner planner, String actor, String comment) {
    this.ws = ws.by(actor, comment);
    this.planner = planner;
    this.actor = actor;
    this.comment = comment;
  }

  /** Detaches a record into a golden record of its own, marked as a different person from its former peers. */
  String breakOff(String sourceId, Integer expectedVersion) {
    MatchRecord r = source(sourceId, expectedVersion);
    List<MatchRecord> peers = peers(r);
    if (peers.isEmpty()) {
      throw conflict("Patient/" + sourceId + " is the only record of its golden record: there is no link to break");
    }
    String golden = ws.newGolden();
    ws.link(r, golden, manual(null));
    peers.forEach(p -> ws.markNotSame(r.sourceId(), p.sourceId()));
    audit("link.break", sourceId, golden, "broken from Patient/" + r.goldenId());
    return golden;
  }

  /** Removes a not-the-same-person mark and re-runs automatic matching for both records. */
  void unbreak(String sourceId, String otherId, Integer expectedVersion) {
    MatchRecord a = source(sourceId, expectedVersion);
    MatchRecord b = source(otherId, null);
    if (!ws.notSamePerson(a.sourceId(), b.sourceId())) {
      throw conflict("Patient/" + sourceId + " and Patient/" + otherId + " are not marked as different people");
    }
    ws.unmarkNotSame(a.sourceId(), b.sourceId());
    for (String id : List.of(a.sourceId(), b.sourceId())) {
      MatchRecord now = ws.record(id).orElseThrow();
      planner.placeUpdated(ws, now.withLink(now.goldenId(), false), automatic());
    }
    audit("link.unbreak", sourceId, null, "mark with Patient/" + otherId + " removed; both re-matched");
  }

  /** Moves every member of one golden record into another; the emptied one is replaced by the survivor. */
  void merge(String fromGolden, String intoGolden, Integer expectedVersion) {
    if (fromGolden.equals(intoGolden)) {
      throw FhirException.badRequest("A golden record cannot be merged into itself");
    }
    List<MatchRecord> moving = golden(fromGolden, expectedVersion);
    List<MatchRecord> staying = golden(intoGolden, null);
    for (MatchRecord m : moving) {
      for (MatchRecord s : staying) {
        if (ws.notSamePerson(m.sourceId(), s.sourceId())) {
          throw conflict("Patient/" + m.sourceId() + " and Patient/" + s.sourceId() + " are marked as different"
              + " people; unbreak them first");
        }
      }
    }
    moving.forEach(m -> ws.link(m, intoGolden, manual(null)));
    ws.replaced(fromGolden, intoGolden);
    audit("link.merge", null, intoGolden, "Patient/" + fromGolden + " merged into Patient/" + intoGolden + " ("
        + moving.size() + " records)");
  }

  /** Attaches a record to a chosen golden record, whatever the rules say (not across a mark). */
  void link(String sourceId, String goldenId, Integer expectedVersion, Double score, String grade) {
    MatchRecord r = source(sourceId, expectedVersion);
    List<MatchRecord> target = golden(goldenId, null);
    target.stream().filter(t -> ws.notSamePerson(sourceId, t.sourceId())).findFirst().ifPresent(t -> {
      throw conflict("Patient/" + sourceId + " and Patient/" + t.sourceId() + " are marked as different people;"
          + " unbreak them first");
    });
    String former = r.goldenId();
    boolean leavesEmpty = !former.equals(goldenId) && peers(r).isEmpty();
    ws.link(r, goldenId, manual(score, grade));
    if (leavesEmpty) {
      ws.replaced(former, goldenId); // the old CRUID keeps resolving, to the record's new golden record
    }
    audit("link.link", sourceId, goldenId, "linked by hand (was Patient/" + former + ")");
  }

  /**
   * A client's merge (PMIR {@code replaced-by}): its record {@code victimId} is the same person as its record
   * {@code survivorId}, so the victim joins the survivor's golden record. Only a client's own records: another
   * client's record, like a golden-into-golden merge, is an administrator's decision.
   */
  void replacedBy(String clientId, String victimId, String survivorId) {
    MatchRecord victim = source(victimId, null);
    MatchRecord survivor = source(survivorId, null);
    if (!victim.clientId().equals(clientId) || !survivor.clientId().equals(clientId)) {
      throw FhirException.forbidden("A client may merge only its own records: Patient/"
          + (victim.clientId().equals(clientId) ? survivorId : victimId) + " belongs to another client");
    }
    if (victimId.equals(survivorId)) {
      throw FhirException.badRequest("A record cannot be replaced by itself");
    }
    if (!victim.goldenId().equals(survivor.goldenId())) {
      link(victimId, survivor.goldenId(), null, null, null);
    }
    audit("link.replaced-by", victimId, survivor.goldenId(), "replaced by Patient/" + survivorId);
  }

  /** Marks a record as a different person from every member of a golden record; its own link becomes manual. */
  void keepApart(String sourceId, String goldenId) {
    MatchRecord r = source(sourceId, null);
    if (r.goldenId().equals(goldenId) && !peers(r).isEmpty()) {
      breakOff(sourceId, null); // inside the golden record it is said not to belong to: take it out first
      r = ws.record(sourceId).orElseThrow();
    }
    ws.members(goldenId).stream().filter(m -> !m.sourceId().equals(sourceId))
        .forEach(m -> ws.markNotSame(sourceId, m.sourceId()));
    if (!r.manualLink()) {
      ws.link(r, r.goldenId(), manual(null));
    }
    audit("link.no-match", sourceId, goldenId, "marked as a different person from Patient/" + goldenId);
  }

  /** Resolves a review item with a decision; the item must still be open (the store checks again on write). */
  void decide(ReviewItem item, String decision) {
    if (!item.open()) {
      throw conflict("Review item " + item.id() + " was already resolved (" + item.decision() + " by "
          + item.resolvedBy() + ")");
    }
    switch (decision) {
      case "match" -> link(item.sourceId(), item.goldenId(), null, item.score(), item.grade());
      case "no-match" -> keepApart(item.sourceId(), item.goldenId());
      case "new-golden" -> {
        MatchRecord r = source(item.sourceId(), null);
        if (!peers(r).isEmpty()) {
          breakOff(item.sourceId(), null);
        }
        keepApart(item.sourceId(), item.goldenId());
      }
      default -> throw FhirException.badRequest("decision must be match, no-match or new-golden");
    }
    ws.resolve(new ChangeSet.Resolution(item.id(), decision, actor, comment));
  }

  private MatchRecord source(String id, Integer expectedVersion) {
    MatchRecord r = ws.record(id).orElseThrow(() -> FhirException.notFound("No source record Patient/" + id));
    if (expectedVersion != null && expectedVersion != r.version()) {
      throw conflict("Patient/" + id + " is at version " + r.version() + ", not " + expectedVersion
          + ": it changed since you read it");
    }
    return r;
  }

  private List<MatchRecord> golden(String id, Integer expectedVersion) {
    List<MatchRecord> members = ws.members(id);
    if (members.isEmpty()) {
      throw FhirException.notFound("No golden record Patient/" + id + " with members (it may have been merged)");
    }
    int version = ws.goldenVersion(id);
    if (expectedVersion != null && expectedVersion != version) {
      throw conflict("Patient/" + id + " is at version " + version + ", not " + expectedVersion
          + ": it changed since you read it");
    }
    return members;
  }

  private List<MatchRecord> peers(MatchRecord r) {
    return ws.members(r.goldenId()).stream().filter(m -> !m.sourceId().equals(r.sourceId())).toList();
  }

  private void audit(String action, String sourceId, String goldenId, String detail) {
    ws.audit(new AuditEntry(ws.at(), actor, action, sourceId, goldenId, "done",
        comment == null ? detail : detail + "; comment: " + comment));
  }

  private LinkFacts manual(Double score) {
    return manual(score, null);
  }

  private LinkFacts manual(Double score, String grade) {
    return new LinkFacts(LinkFacts.MANUAL, score, grade, null, ws.at(), null);
  }

  private LinkFacts automatic() {
    return new LinkFacts(LinkFacts.AUTO, null, null, null, ws.at(), null);
  }

  static FhirException conflict(String message) {
    return new FhirException(409, IssueType.CONFLICT, message);
  }

  static Optional<Integer> version(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      return Optional.empty();
    }
    String v = ifMatch.trim().replaceFirst("^W/", "").replace("\"", "");
    try {
      return Optional.of(Integer.parseInt(v));
    } catch (NumberFormatException e) {
      throw FhirException.badRequest("If-Match must be a version such as W/\"3\"");
    }
  }

}
