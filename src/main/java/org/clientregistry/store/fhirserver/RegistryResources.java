package org.clientregistry.store.fhirserver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.CodeType;

/**
 * How the registry's records look as FHIR resources on the server (docs/storage.md): source and golden records as
 * Patients, link facts as extensions on {@code Patient.link}, review items and not-the-same-person marks as
 * {@code Basic}, audit entries as {@code AuditEvent}. Pure mapping, no I/O.
 */
final class RegistryResources {
  static final String BASE = "http://openclientregistry.org/fhir/";
  static final String EXT = BASE + "StructureDefinition/";
  static final String CLIENT_TAG = BASE + "clientid";
  static final String TAG = BASE + "tag";
  /**
   * The registry process (replica) that wrote a Patient, and when: the code is {@code <random id per start>.<number
   * of the 10-second span of the write>}. Others' writes are found by leaving out this process's codes of the spans
   * looked at: a search leaving out one code of all the process's writes would read all of them (HAPI FHIR's
   * {@code _tag:not} is a NOT IN over every resource with the tag) at every transaction.
   */
  static final String REPLICA_TAG = BASE + "replica";
  static final long REPLICA_SPAN_SECONDS = 10;
  /** Codes one look names at most (the newest spans); older own writes it returns are skipped ({@link #ownWrite}). */
  static final int MAX_REPLICA_CODES = 32;
  static final String GOLDEN = "golden-record";
  static final String KIND = BASE + "CodeSystem/registry-resource";
  static final String REVIEW_ITEM = "review-item";
  static final String NOT_SAME_PERSON = "not-same-person";
  /** A mark removed (unbreak): kept as a version of the mark so that other replicas following the server see it. */
  static final String NOT_SAME_PERSON_REMOVED = "not-same-person-removed";
  static final String REVIEW_ID = BASE + "review-item";
  static final String REVIEW_PAIR = BASE + "review-pair";
  static final String ACTION = BASE + "CodeSystem/registry-action";

  private static final String INTERNAL_ID = EXT + "internal-id";
  private static final String RULE_VALUES = EXT + "rule-values";
  private static final String CHANGED = EXT + "registry-change";
  private static final String VERSION = EXT + "registry-version";
  private static final String LINK_METHOD = EXT + "link-method";
  private static final String LINK_SCORE = EXT + "link-score";
  private static final String LINK_GRADE = EXT + "link-grade";
  private static final String LINK_RULE = EXT + "link-rule";
  private static final String LINK_TIME = EXT + "link-time";
  private static final String LINK_EXPLANATION = EXT + "link-explanation";

  private final String cruidSystem;
  private final String replica = java.util.UUID.randomUUID().toString();

  RegistryResources(String cruidSystem) {
    this.cruidSystem = cruidSystem;
  }

  /** This process's replica tag code for a write at this time. */
  String replicaCode(Instant at) {
    return replica + "." + span(at);
  }

  private static long span(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), REPLICA_SPAN_SECONDS);
  }

  /** This process's codes of the writes made from {@code from} to {@code to}: the newest MAX_REPLICA_CODES. */
  List<String> replicaCodes(Instant from, Instant to) {
    long last = span(to);
    long first = Math.max(span(from), last - MAX_REPLICA_CODES + 1);
    List<String> codes = new ArrayList<>();
    for (long span = first; span <= last; span++) {
      codes.add(replica + "." + span);
    }
    return codes;
  }

  /** Whether this process wrote the Patient last (whatever the span of its code). */
  boolean ownWrite(Patient p) {
    return p.getMeta().getTag().stream().anyMatch(t -> REPLICA_TAG.equals(t.getSystem()) && t.getCode() != null
        && t.getCode().startsWith(replica + "."));
  }

  // ---- source records

  /** The stored form of a submitted record: its content plus owner tag, internal id, rule values and link. */
  Patient sourcePatient(ChangeSet.SourceWrite write, Instant at) {
    ChangeSet.Content content = write.content();
    Patient p = (Patient) Fhir.parse(content.resourceJson());
    p.setId(write.id());
    p.getMeta().addTag(CLIENT_TAG, content.clientId(), null);
    p.getMeta().addTag(REPLICA_TAG, replicaCode(at), null);
    p.addExtension(INTERNAL_ID, new Identifier().setSystem(content.idSystem()).setValue(content.idValue()));
    p.addExtension(RULE_VALUES, new StringType(content.fieldsJson()));
    stamp(p, write.newVersion(), at);
    link(p, write.goldenId(), write.link());
    return p;
  }

  /** A stored source record re-linked: its current form with the new link (content unchanged). */
  Patient relinked(Patient stored, ChangeSet.SourceWrite write, Instant at) {
    Patient p = stored.copy();
    p.setLink(null);
    p.setMeta(null);
    p.getMeta().addTag(CLIENT_TAG, clientOf(stored), null);
    p.getMeta().addTag(REPLICA_TAG, replicaCode(at), null);
    p.setId(write.id());
    stamp(p, write.newVersion(), at);
    link(p, write.goldenId(), write.link());
    return p;
  }

  /**
   * Every registry write changes the resource (HAPI keeps no new version for an identical body), so that the
   * server's version numbers and the registry's stay in step.
   */
  private static void stamp(Patient p, int version, Instant at) {
    p.getExtension().removeIf(e -> e.getUrl().equals(VERSION) || e.getUrl().equals(CHANGED));
    p.addExtension(VERSION, new IntegerType(version));
    p.addExtension(CHANGED, new InstantType(Date.from(at)));
  }

  private static void link(Patient p, String goldenId, LinkFacts facts) {
    Patient.PatientLinkComponent link = p.addLink().setType(Patient.LinkType.REFER)
        .setOther(new Reference("Patient/" + goldenId));
    link.addExtension(LINK_METHOD, new CodeType(facts.method()));
    if (facts.score() != null) {
      link.addExtension(LINK_SCORE, new DecimalType(facts.score()));
    }
    optional(link.getExtension(), LINK_GRADE, facts.grade());
    optional(link.getExtension(), LINK_RULE, facts.rule());
    link.addExtension(LINK_TIME, new InstantType(Date.from(facts.at())));
    optional(link.getExtension(), LINK_EXPLANATION, facts.explanationJson());
  }

  private static void optional(List<Extension> list, String url, String value) {
    if (value != null) {
      list.add(new Extension(url, new StringType(value)));
    }
  }

  static boolean isGolden(Patient p) {
    return p.getMeta().getTag(TAG, GOLDEN) != null;
  }

  /** Golden records carry one identifier, the CRUID: a search by any other system cannot find one. */
  boolean goldenIdentifier(String system) {
    return cruidSystem.equals(system);
  }

  static String clientOf(Patient p) {
    return p.getMeta().getTag().stream().filter(t -> CLIENT_TAG.equals(t.getSystem())).map(Coding::getCode)
        .findFirst().orElse(null);
  }

  /** Linked by a registry: carries the internal id and a refer link. */
  static boolean isLinkedSource(Patient p) {
    return !isGolden(p) && p.hasExtension(INTERNAL_ID) && referLink(p) != null;
  }

  private static Patient.PatientLinkComponent referLink(Patient p) {
    return p.getLink().stream().filter(l -> l.getType() == Patient.LinkType.REFER).findFirst().orElse(null);
  }

  static int version(Patient p) {
    String v = p.getMeta().getVersionId();
    return v == null ? 0 : Integer.parseInt(v);
  }

  SourceRecord source(Patient p) {
    Identifier internal = (Identifier) p.getExtensionByUrl(INTERNAL_ID).getValue();
    Patient.PatientLinkComponent link = referLink(p);
    Extension fields = p.getExtensionByUrl(RULE_VALUES);
    return new SourceRecord(p.getIdElement().getIdPart(), version(p), clientOf(p), internal.getSystem(),
        internal.getValue(), link.getOther().getReferenceElement().getIdPart(), facts(link), content(p),
        fields == null ? "{}" : fields.getValue().primitiveValue(), lastUpdated(p));
  }

  /** A patient nobody linked yet, as a source record without golden record (the registry adopts it). */
  SourceRecord unlinkedSource(Patient p, String system, String value) {
    return new SourceRecord(p.getIdElement().getIdPart(), version(p), clientOf(p), system, value, null, null,
        content(p), "{}", lastUpdated(p));
  }

  PatientStore.UnlinkedPatient unlinked(Patient p) {
    return new PatientStore.UnlinkedPatient(p.getIdElement().getIdPart(), version(p), clientOf(p), content(p));
  }

  /** The record as the client submitted it: without id, meta, links and the registry's extensions. */
  static String content(Patient stored) {
    Patient p = stored.copy();
    p.setId((String) null);
    p.setMeta(null);
    p.setLink(null);
    p.getExtension().removeIf(e -> e.getUrl() != null && e.getUrl().startsWith(EXT));
    return Fhir.encode(p);
  }

  private static LinkFacts facts(Patient.PatientLinkComponent link) {
    Extension score = link.getExtensionByUrl(LINK_SCORE);
    Extension time = link.getExtensionByUrl(LINK_TIME);
    return new LinkFacts(text(link.getExtensionByUrl(LINK_METHOD)),
        score == null ? null : ((DecimalType) score.getValue()).getValue().doubleValue(),
        text(link.getExtensionByUrl(LINK_GRADE)), text(link.getExtensionByUrl(LINK_RULE)),
        time == null ? Instant.EPOCH : ((InstantType) time.getValue()).getValue().toInstant(),
        text(link.getExtensionByUrl(LINK_EXPLANATION)));
  }

  private static String text(Extension e) {
    return e == null || e.getValue() == null ? null : e.getValue().primitiveValue();
  }

  private static Instant lastUpdated(org.hl7.fhir.r4.model.Resource r) {
    Date d = r.getMeta().getLastUpdated();
    return d == null ? Instant.now() : d.toInstant();
  }

  // ---- golden records

  Patient goldenPatient(ChangeSet.GoldenWrite write, Instant at) {
    Patient p = new Patient();
    p.setId(write.id());
    p.getMeta().addTag(TAG, GOLDEN, null);
    p.getMeta().addTag(REPLICA_TAG, replicaCode(at), null);
    p.addIdentifier().setSystem(cruidSystem).setValue(write.id());
    write.memberIds().stream().sorted().forEach(m -> p.addLink().setType(Patient.LinkType.SEEALSO)
        .setOther(new Reference("Patient/" + m)));
    if (write.replacedBy() != null) {
      p.addLink().setType(Patient.LinkType.REPLACEDBY).setOther(new Reference("Patient/" + write.replacedBy()));
    }
    stamp(p, write.newVersion(), at);
    return p;
  }

  GoldenRecord golden(Patient p) {
    List<String> members = new ArrayList<>();
    String replacedBy = null;
    for (Patient.PatientLinkComponent l : p.getLink()) {
      String target = l.getOther().getReferenceElement().getIdPart();
      if (l.getType() == Patient.LinkType.SEEALSO) {
        members.add(target);
      } else if (l.getType() == Patient.LinkType.REPLACEDBY) {
        replacedBy = target;
      }
    }
    members.sort(null);
    return new GoldenRecord(p.getIdElement().getIdPart(), version(p), replacedBy, members, lastUpdated(p));
  }

  static boolean replaced(Patient golden) {
    return golden.getLink().stream().anyMatch(l -> l.getType() == Patient.LinkType.REPLACEDBY);
  }

  // ---- review items, marks, audit

  Basic reviewBasic(ReviewItem r) {
    Basic b = new Basic();
    b.setCode(new CodeableConcept(new Coding(KIND, REVIEW_ITEM, null)));
    b.addIdentifier().setSystem(REVIEW_ID).setValue(r.id());
    b.addIdentifier().setSystem(REVIEW_PAIR).setValue(r.pair());
    b.setSubject(new Reference("Patient/" + r.sourceId()));
    if (r.goldenId() != null) {
      b.addExtension(EXT + "review-golden", new Reference("Patient/" + r.goldenId()));
    }
    if (r.candidateId() != null) {
      b.addExtension(EXT + "review-candidate", new Reference("Patient/" + r.candidateId()));
    }
    b.addExtension(EXT + "review-score", new DecimalType(r.score()));
    optional(b.getExtension(), EXT + "review-grade", r.grade());
    optional(b.getExtension(), EXT + "review-rule", r.rule());
    optional(b.getExtension(), EXT + "review-reason", r.reason());
    optional(b.getExtension(), EXT + "review-explanation", r.explanationJson());
    b.addExtension(EXT + "review-status", new CodeType(ReviewItem.OPEN));
    b.addExtension(EXT + "review-created", new InstantType(Date.from(r.created())));
    return b;
  }

  static boolean open(Basic b) {
    return ReviewItem.OPEN.equals(text(b.getExtensionByUrl(EXT + "review-status")));
  }

  /**
   * A stored review item decided. It loses its pair identifier, so that a later question about the same pair is
   * queued again (one open item per pair, as in the embedded store).
   */
  Basic resolved(Basic stored, ChangeSet.Resolution r, Instant at) {
    Basic b = stored.copy();
    b.setMeta(null);
    b.getIdentifier().removeIf(i -> REVIEW_PAIR.equals(i.getSystem()));
    b.getExtension().removeIf(e -> e.getUrl().equals(EXT + "review-status"));
    b.addExtension(EXT + "review-status", new CodeType(ReviewItem.RESOLVED));
    b.addExtension(EXT + "review-decision", new CodeType(r.decision()));
    optional(b.getExtension(), EXT + "review-resolved-by", r.by());
    b.addExtension(EXT + "review-resolved-at", new InstantType(Date.from(at)));
    optional(b.getExtension(), EXT + "review-comment", r.comment());
    return b;
  }

  ReviewItem review(Basic b) {
    String id = b.getIdentifier().stream().filter(i -> REVIEW_ID.equals(i.getSystem())).map(Identifier::getValue)
        .findFirst().orElse(b.getIdElement().getIdPart());
    Extension created = b.getExtensionByUrl(EXT + "review-created");
    Extension resolvedAt = b.getExtensionByUrl(EXT + "review-resolved-at");
    String status = text(b.getExtensionByUrl(EXT + "review-status"));
    return new ReviewItem(id, b.getSubject().getReferenceElement().getIdPart(), patient(b, "review-golden"),
        patient(b, "review-candidate"),
        ((DecimalType) b.getExtensionByUrl(EXT + "review-score").getValue()).getValue().doubleValue(),
        text(b.getExtensionByUrl(EXT + "review-grade")), text(b.getExtensionByUrl(EXT + "review-rule")),
        text(b.getExtensionByUrl(EXT + "review-reason")), text(b.getExtensionByUrl(EXT + "review-explanation")),
        created == null ? lastUpdated(b) : ((InstantType) created.getValue()).getValue().toInstant(),
        status == null ? ReviewItem.OPEN : status, text(b.getExtensionByUrl(EXT + "review-decision")),
        text(b.getExtensionByUrl(EXT + "review-resolved-by")),
        resolvedAt == null ? null : ((InstantType) resolvedAt.getValue()).getValue().toInstant(),
        text(b.getExtensionByUrl(EXT + "review-comment")));
  }

  private static String patient(Basic b, String extension) {
    Extension e = b.getExtensionByUrl(EXT + extension);
    return e == null ? null : ((Reference) e.getValue()).getReferenceElement().getIdPart();
  }

  /** Who did what to which record, with what outcome; never demographics. */
  AuditEvent auditEvent(AuditEntry a) {
    AuditEvent e = new AuditEvent();
    e.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    e.addSubtype(new Coding(ACTION, a.action(), null));
    e.setRecorded(Date.from(a.at()));
    e.setOutcome(AuditEvent.AuditEventOutcome._0);
    e.setOutcomeDesc(a.detail() == null ? a.outcome() : a.outcome() + "; " + a.detail());
    AuditEvent.AuditEventAgentComponent agent = e.addAgent().setRequestor(true);
    if (a.clientId() != null) {
      agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_TAG).setValue(a.clientId())));
    }
    e.getSource().setObserver(new Reference().setDisplay("client-registry"));
    if (a.sourceId() != null) {
      e.addEntity().setWhat(new Reference("Patient/" + a.sourceId()))
          .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
    }
    if (a.goldenId() != null) {
      e.addEntity().setWhat(new Reference("Patient/" + a.goldenId()))
          .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
    }
    return e;
  }
}
