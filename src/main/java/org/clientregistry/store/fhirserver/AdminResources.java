package org.clientregistry.store.fhirserver;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.StoreConflictException;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * How administration's records look on the server (docs/storage.md): link events, not-the-same-person marks and
 * job progress as {@code Basic}, and the transaction entries that write them with a ChangeSet. Pure mapping, no I/O.
 */
final class AdminResources {
  static final String LINK_EVENT = "link-event";
  static final String JOB_PROGRESS = "job-progress";
  /** Searchable with the built-in {@code identifier} parameter: the golden record joined and the one left. */
  static final String EVENT_GOLDEN = RegistryResources.BASE + "link-event-golden";
  static final String EVENT_PREVIOUS = RegistryResources.BASE + "link-event-previous-golden";
  /** One mark per pair (smaller id first): the key its id derives from and its conditional delete. */
  static final String MARK = RegistryResources.BASE + "not-same-person";
  static final String JOB = RegistryResources.BASE + "job";

  private static final String EXT = RegistryResources.EXT;
  private static final String OTHER_SOURCE = EXT + "other-source";

  private AdminResources() {}

  // ---- the transaction entries

  /**
   * The entries that write a change's link events, marks, resolutions and job progress. {@code items} are the
   * review items to resolve as read just before: one no longer open fails the change before anything is sent, one
   * resolved meanwhile fails the transaction through its {@code If-Match}.
   */
  static List<Bundle.BundleEntryComponent> entries(ChangeSet changes, Map<String, Basic> items,
                                                   RegistryResources resources) {
    List<Bundle.BundleEntryComponent> out = new ArrayList<>();
    changes.events().forEach(e -> out.add(create(eventBasic(e))));
    ChangeSet.AdminChanges admin = changes.admin();
    // Marks and job progress have ids derived from their key: two writers racing cannot make two of one.
    for (PatientStore.NotSamePerson m : admin.marksAdded()) {
      out.add(request(markBasic(m, changes.at()), Bundle.HTTPVerb.PUT, "Basic/" + markId(m)));
    }
    for (PatientStore.NotSamePerson m : admin.marksRemoved()) {
      // Not a delete: a removed mark stays as a version other replicas find by _lastUpdated (deletes are not found).
      out.add(request(removedMarkBasic(m, changes.at()), Bundle.HTTPVerb.PUT, "Basic/" + markId(m)));
    }
    for (ChangeSet.Resolution r : admin.resolutions()) {
      Basic stored = items.get(r.itemId());
      if (stored == null || !RegistryResources.open(stored)) {
        throw new StoreConflictException("Review item " + r.itemId() + " is not open");
      }
      Bundle.BundleEntryComponent put = request(resources.resolved(stored, r, changes.at()), Bundle.HTTPVerb.PUT,
          "Basic/" + stored.getIdElement().getIdPart());
      put.getRequest().setIfMatch("W/\"" + stored.getMeta().getVersionId() + "\"");
      out.add(put);
    }
    ChangeSet.JobProgress progress = admin.progress();
    if (progress != null) {
      out.add(progress.cursor() == null
          ? request(null, Bundle.HTTPVerb.DELETE, "Basic?identifier=" + FhirServerStore.token(JOB, progress.job()))
          : request(jobBasic(progress), Bundle.HTTPVerb.PUT, "Basic/" + jobId(progress.job())));
    }
    return out;
  }

  private static Bundle.BundleEntryComponent create(Basic b) {
    return request(b, Bundle.HTTPVerb.POST, "Basic").setFullUrl("urn:uuid:" + UUID.randomUUID());
  }

  private static Bundle.BundleEntryComponent request(Basic b, Bundle.HTTPVerb verb, String url) {
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent().setResource(b);
    e.getRequest().setMethod(verb).setUrl(url);
    return e;
  }

  private static Basic basic(String kind) {
    Basic b = new Basic();
    b.setCode(new CodeableConcept(new Coding(RegistryResources.KIND, kind, null)));
    return b;
  }

  // ---- link events

  static Basic eventBasic(LinkEvent e) {
    Basic b = basic(LINK_EVENT);
    b.setSubject(new Reference("Patient/" + e.sourceId()));
    b.addIdentifier().setSystem(EVENT_GOLDEN).setValue(e.goldenId());
    if (e.previousGoldenId() != null) {
      b.addIdentifier().setSystem(EVENT_PREVIOUS).setValue(e.previousGoldenId());
    }
    // Basic.created is a date (day precision): the event's instant is an extension.
    b.addExtension(EXT + "event-time", new InstantType(Date.from(e.at())));
    LinkFacts f = e.facts();
    b.addExtension(EXT + "link-method", new CodeType(f.method()));
    if (f.score() != null) {
      b.addExtension(EXT + "link-score", new DecimalType(f.score()));
    }
    optional(b, "link-grade", f.grade());
    optional(b, "link-rule", f.rule());
    optional(b, "link-explanation", f.explanationJson());
    optional(b, "event-actor", e.actor());
    optional(b, "event-comment", e.comment());
    return b;
  }

  static LinkEvent linkEvent(Basic b) {
    Instant at = ((InstantType) b.getExtensionByUrl(EXT + "event-time").getValue()).getValue().toInstant();
    Extension score = b.getExtensionByUrl(EXT + "link-score");
    LinkFacts facts = new LinkFacts(text(b, "link-method"),
        score == null ? null : ((DecimalType) score.getValue()).getValue().doubleValue(), text(b, "link-grade"),
        text(b, "link-rule"), at, text(b, "link-explanation"));
    return new LinkEvent(position(b).toString(), at, b.getSubject().getReferenceElement().getIdPart(),
        identifier(b, EVENT_GOLDEN), identifier(b, EVENT_PREVIOUS), facts, text(b, "event-actor"),
        text(b, "event-comment"));
  }

  static boolean isLinkEvent(Basic b) {
    return b.getCode().hasCoding(RegistryResources.KIND, LINK_EVENT);
  }

  /**
   * An event's place in the feed: when the server stored it (its transaction's time, to the millisecond), then its
   * id. Ids compare by length first, so the server's sequential numeric ids keep their numeric order.
   */
  record Position(long millis, String id) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Long.compare(millis, o.millis);
      if (c == 0) {
        c = Integer.compare(id.length(), o.id.length());
      }
      return c != 0 ? c : id.compareTo(o.id);
    }

    @Override
    public String toString() {
      return millis + "." + id;
    }

    /** A position as written by {@link #toString}; anything else is an IllegalArgumentException. */
    static Position parse(String text) {
      int dot = text.indexOf('.');
      try {
        if (dot > 0 && dot < text.length() - 1) {
          return new Position(Long.parseLong(text.substring(0, dot)), text.substring(dot + 1));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("Unknown change-feed position '" + text + "'");
    }
  }

  static Position position(Basic b) {
    return new Position(b.getMeta().getLastUpdated().getTime(), b.getIdElement().getIdPart());
  }

  // ---- not-the-same-person marks

  static Basic markBasic(PatientStore.NotSamePerson m, Instant at) {
    Basic b = basic(RegistryResources.NOT_SAME_PERSON);
    b.setId(markId(m));
    b.addIdentifier().setSystem(MARK).setValue(markKey(m));
    b.setSubject(new Reference("Patient/" + first(m)));
    b.addExtension(OTHER_SOURCE, new Reference("Patient/" + second(m)));
    b.addExtension(EXT + "mark-time", new InstantType(Date.from(at)));
    return b;
  }

  static Basic removedMarkBasic(PatientStore.NotSamePerson m, Instant at) {
    Basic b = markBasic(m, at);
    b.getCode().getCodingFirstRep().setCode(RegistryResources.NOT_SAME_PERSON_REMOVED);
    return b;
  }

  static boolean removedMark(Basic b) {
    return RegistryResources.NOT_SAME_PERSON_REMOVED.equals(b.getCode().getCodingFirstRep().getCode());
  }

  static PatientStore.NotSamePerson notSamePerson(Basic b) {
    return new PatientStore.NotSamePerson(b.getSubject().getReferenceElement().getIdPart(),
        ((Reference) b.getExtensionByUrl(OTHER_SOURCE).getValue()).getReferenceElement().getIdPart());
  }

  static String markKey(PatientStore.NotSamePerson m) {
    return first(m) + "/" + second(m);
  }

  static String markId(PatientStore.NotSamePerson m) {
    return "nsp-" + UUID.nameUUIDFromBytes(markKey(m).getBytes(StandardCharsets.UTF_8));
  }

  private static String first(PatientStore.NotSamePerson m) {
    return m.sourceA().compareTo(m.sourceB()) <= 0 ? m.sourceA() : m.sourceB();
  }

  private static String second(PatientStore.NotSamePerson m) {
    return m.sourceA().compareTo(m.sourceB()) <= 0 ? m.sourceB() : m.sourceA();
  }

  // ---- job progress

  static Basic jobBasic(ChangeSet.JobProgress p) {
    Basic b = basic(JOB_PROGRESS);
    b.setId(jobId(p.job()));
    b.addIdentifier().setSystem(JOB).setValue(p.job());
    b.addExtension(EXT + "job-cursor", new StringType(p.cursor()));
    return b;
  }

  static String jobId(String job) {
    return "job-" + UUID.nameUUIDFromBytes(job.getBytes(StandardCharsets.UTF_8));
  }

  static Optional<String> cursor(Basic b) {
    return Optional.ofNullable(text(b, "job-cursor"));
  }

  // ---- helpers

  private static void optional(Basic b, String name, String value) {
    if (value != null) {
      b.addExtension(EXT + name, new StringType(value));
    }
  }

  private static String text(Basic b, String name) {
    Extension e = b.getExtensionByUrl(EXT + name);
    return e == null || e.getValue() == null ? null : e.getValue().primitiveValue();
  }

  private static String identifier(Basic b, String system) {
    return b.getIdentifier().stream().filter(i -> system.equals(i.getSystem())).map(Identifier::getValue)
        .findFirst().orElse(null);
  }
}
