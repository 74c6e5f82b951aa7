package org.clientregistry.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The storage port: where source records, golden records, links, review items, marks and audit live. Kept narrow
 * so that a FHIR-server adapter can implement it with searches and transaction bundles. Every method is
 * non-blocking; adapters that block do so on their own worker threads.
 */
public interface PatientStore {

  Future<Optional<SourceRecord>> sourceByInternalId(String clientId, String system, String value);

  Future<Optional<SourceRecord>> source(String id);

  /** Ids of source records carrying the identifier (any system, not only internal ids). */
  Future<List<String>> sourceIdsByIdentifier(String system, String value);

  /** Identifiers per source record, for PIX answers. */
  Future<List<SourceIdentifier>> identifiersOf(List<String> sourceIds);

  Future<Optional<GoldenRecord>> golden(String id);

  /** Whether any stored record carries an identifier of this system. */
  Future<Boolean> knowsSystem(String system);

  /** Writes all of it or nothing. Fails with StoreConflictException when a version check fails. */
  Future<Void> commit(ChangeSet changes);

  /** Streams every source record (for the matching index) and golden version; returns the record count. */
  Future<Long> load(Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                    Consumer<NotSamePerson> marks);

  /** Streams the source records and golden versions written at or after a time (to catch an index up). */
  Future<Long> loadChangedSince(java.time.Instant since, Consumer<SourceRecord> sources,
                                Consumer<GoldenVersion> goldens);

  /**
   * What other writers (another registry replica, a bulk load straight into a FHIR server) wrote at or after a
   * time: linked source records and golden versions to index, and patients nobody has linked yet. Completes with
   * the time to ask from next. A store only this process writes has nothing to report.
   */
  default Future<java.time.Instant> otherWrites(java.time.Instant since, Consumer<SourceRecord> sources,
                                                Consumer<GoldenVersion> goldens, Consumer<UnlinkedPatient> unlinked) {
    return Future.succeededFuture(since);
  }

  /** Review items, oldest first. */
  Future<List<ReviewItem>> openReviewItems(int offset, int count);

  Future<Void> ping();

  Future<Void> close();

  /**
   * This store as seen by one request: each call it makes is recorded in {@code log} (OpenHIM orchestrations).
   * Adapters that call out over HTTP override this to record each HTTP exchange instead.
   */
  default PatientStore observed(org.clientregistry.calls.CallLog log) {
    return log == org.clientregistry.calls.CallLog.NONE ? this : new ObservedStore(this, log);
  }

  record SourceIdentifier(String sourceId, String system, String value) {}

  record GoldenVersion(String id, int version) {}

  record NotSamePerson(String sourceA, String sourceB) {}

  /** A patient written into the store without the registry (no golden link yet), and the client it is tagged with. */
  record UnlinkedPatient(String id, int version, String clientId, String resourceJson) {}
}
