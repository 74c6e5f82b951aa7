package org.clientregistry.store;

import java.time.Instant;
import java.util.List;

/**
 * Everything one submission (or one transaction bundle) changes, written atomically. Versions make the write
 * optimistic: a source or golden record whose stored version differs from {@code expectedVersion} fails the whole
 * change with {@link StoreConflictException}. Expected version 0 means "must not exist yet".
 */
public record ChangeSet(Instant at, List<SourceWrite> sources, List<GoldenWrite> goldens, List<ReviewItem> reviews,
                        List<AuditEntry> audit, List<LinkEvent> events, AdminChanges admin) {

  /** A change with no link events and nothing decided by an administrator. */
  public ChangeSet(Instant at, List<SourceWrite> sources, List<GoldenWrite> goldens, List<ReviewItem> reviews,
                   List<AuditEntry> audit) {
    this(at, sources, goldens, reviews, audit, List.of(), AdminChanges.NONE);
  }

  /** A change that only records audit entries (lookups). */
  public static ChangeSet auditOnly(AuditEntry entry) {
    return auditOnly(List.of(entry));
  }

  /** A change that only records audit entries (lookups), each with its own time. */
  public static ChangeSet auditOnly(List<AuditEntry> entries) {
    return new ChangeSet(entries.get(0).at(), List.of(), List.of(), List.of(), List.copyOf(entries));
  }

  /** A source record written in full (content present) or only re-linked (content null). */
  public record SourceWrite(String id, int expectedVersion, int newVersion, String goldenId, LinkFacts link,
                            Content content) {}

  /** The submitted record: owner, internal id, every identifier (for PIX), the resource and its rule values. */
  public record Content(String clientId, String idSystem, String idValue, List<Identifier> identifiers,
                        String resourceJson, String fieldsJson) {}

  public record Identifier(String system, String value) {}

  /**
   * A golden record created (expected 0), changed in membership (version bump), or emptied (replacedBy set), with
   * its members after the change (a FHIR server keeps them as links on the golden Patient).
   */
  public record GoldenWrite(String id, int expectedVersion, int newVersion, String replacedBy,
                            List<String> memberIds) {}

  /**
   * What administration adds to a change: not-the-same-person marks made and removed, review items resolved (each
   * must still be open, or the whole change fails with StoreConflictException), and a long job's progress (written
   * with the batch it follows, so a resumed job starts exactly after the last committed batch; cursor null ends it).
   */
  public record AdminChanges(List<PatientStore.NotSamePerson> marksAdded, List<PatientStore.NotSamePerson> marksRemoved,
                             List<Resolution> resolutions, JobProgress progress) {
    public static final AdminChanges NONE = new AdminChanges(List.of(), List.of(), List.of(), null);

    public boolean isEmpty() {
      return marksAdded.isEmpty() && marksRemoved.isEmpty() && resolutions.isEmpty() && progress == null;
    }
  }

  /** A review item decided: {@code match}, {@code no-match} or {@code new-golden}, by whom, why. */
  public record Resolution(String itemId, String decision, String by, String comment) {}

  public record JobProgress(String job, String cursor) {}
}
