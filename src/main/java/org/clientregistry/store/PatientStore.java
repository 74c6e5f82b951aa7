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
public interface PatientStore extends AdminReads {

  Future<Optional<SourceRecord>> sourceByInternalId(String clientId, String system, String value);

  Future<Optional<SourceRecord>> source(String id);

  /** Ids of source records carrying the identifier (any system, not only internal ids). */
  Future<List<String>> sourceIdsByIdentifier(String system, String value);

  /** The linked source records carrying an identifier, in id order. Stores whose search has the records override. */
  default Future<List<SourceRecord>> sourcesByIdentifier(String system, String value) {
    return sourceIdsByIdentifier(system, value).compose(ids -> current(ids, List.of())).map(found -> found.sources()
        .stream().sorted(java.util.Comparator.comparing(SourceRecord::id)).toList());
  }

  /** Identifiers per source record, for PIX answers. */
  Future<List<SourceIdentifier>> identifiersOf(List<String> sourceIds);

  Future<Optional<GoldenRecord>> golden(String id);

  /**
   * Everything a PIX answer needs: the golden record {@code system|value} belongs to (for the CRUID system, the
   * golden record of that id; for any other, the person of the first source record carrying it), replaced-by links
   * followed up to {@code maxHops}, and its members' identifiers. Empty when no record carries the identifier or the
   * golden record does not exist. Stores that can answer in one step (one read transaction) override this.
   */
  default Future<Optional<Person>> person(String system, String value, String cruidSystem, int maxHops) {
    Future<Optional<String>> goldenId = system.equals(cruidSystem) ? Future.succeededFuture(Optional.of(value))
        : sourceIdsByIdentifier(system, value).compose(ids -> ids.isEmpty()
            ? Future.succeededFuture(Optional.<String>empty())
            : source(ids.get(0)).map(found -> found.map(SourceRecord::goldenId)));
    return goldenId.compose(id -> id.isEmpty() ? Future.succeededFuture(Optional.<GoldenRecord>empty())
            : resolve(id.get(), maxHops))
        .compose(golden -> golden.isEmpty() ? Future.succeededFuture(Optional.<Person>empty())
            : identifiersOf(golden.get().memberIds()).map(ids -> Optional.of(new Person(golden.get(), ids))));
  }

  /** A golden record, following replaced-by links (at most {@code hops} of them). */
  private Future<Optional<GoldenRecord>> resolve(String goldenId, int hops) {
    return golden(goldenId).compose(found -> found.isPresent() && found.get().replacedBy() != null && hops > 0
        ? resolve(found.get().replacedBy(), hops - 1) : Future.succeededFuture(found));
  }

  /**
   * The stored state of particular records (to repair the matching index after a lost race): the linked source
   * records and the golden records among these ids that exist. Stores that can read them in one request override.
   */
  default Future<Current> current(List<String> sourceIds, List<String> goldenIds) {
    List<Future<Optional<SourceRecord>>> sources = sourceIds.stream().map(this::source).toList();
    List<Future<Optional<GoldenRecord>>> goldens = goldenIds.stream().map(this::golden).toList();
    return Future.all(Future.all(sources), Future.all(goldens)).map(v -> new Current(
        sources.stream().map(Future::result).flatMap(Optional::stream).toList(),
        goldens.stream().map(Future::result).flatMap(Optional::stream).toList()));
  }

  /** Records as stored now. */
  record Current(List<SourceRecord> sources, List<GoldenRecord> goldens) {}

  /** Whether any stored record carries an identifier of this system. */
  Future<Boolean> knowsSystem(String system);

  /** Writes all of it or nothing. Fails with StoreConflictException when a version check fails. */
  Future<Void> commit(ChangeSet changes);

  /**
   * Commits, and in the same step looks for what other writers (replicas) wrote at or after {@code since}, as seen
   * once this change is written: with a store others write to, a new record is checked against their latest
   * records before it is answered (docs/storage.md). Null when the store has no other writers to report.
   */
  default Future<OthersSeen> commitAndLook(ChangeSet changes, java.time.Instant since) {
    return commit(changes).map(v -> null);
  }

  /**
   * Other writers' records seen by {@link #commitAndLook}; {@code complete} false when there were more than one
   * look returns (the caller then catches up by other means); {@code next} where the next look starts.
   */
  record OthersSeen(List<SourceRecord> sources, List<GoldenVersion> goldens, java.time.Instant next,
                    boolean complete) {}

  /**
   * Streams every source record (for the matching index) and golden version; returns the record count. A store may
   * leave out what the index does not read (the resource, identifiers, link details other than the method, times):
   * whoever needs a record's resource reads it with {@link #source}.
   */
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

  /**
   * Not-the-same-person marks made or removed at or after a time (by any writer: another replica's administrator
   * too), each as it stands now. A store only this process writes has none it does not know.
   */
  default Future<MarkChanges> marksSince(java.time.Instant since) {
    return Future.succeededFuture(new MarkChanges(List.of(), List.of()));
  }

  /**
   * Whether this process is the store's only writer (the embedded store). The matching index, updated after every
   * commit, then knows every stored record, so a new record the index does not know need not be looked up first.
   * Stores others write too (a FHIR server shared by replicas or loaded directly) say false.
   */
  default boolean onlyWriter() {
    return false;
  }

  /** Open review items, oldest first. */
  default Future<List<ReviewItem>> openReviewItems(int offset, int count) {
    return reviewItems(ReviewQuery.open(offset, count)).map(Page::items);
  }

  /**
   * Which of these (source id "/" golden id) pairs have an open review item. This default reads the whole open
   * queue; stores that can search by pair override it.
   */
  default Future<java.util.Set<String>> openReviewPairs(java.util.Collection<String> pairs) {
    return openReviewItems(0, Integer.MAX_VALUE).map(items -> {
      java.util.Set<String> open = new java.util.HashSet<>();
      items.forEach(r -> open.add(r.pair()));
      open.retainAll(pairs);
      return open;
    });
  }

  /** How many review items are open (the review backlog metric); stores that can count without reading override. */
  default Future<Integer> openReviewItemCount() {
    return openReviewItems(0, Integer.MAX_VALUE).map(List::size);
  }

  Future<Void> ping();

  /** Why writes fail, while they do (known after a failed write); null while they work or the store cannot tell. */
  default String writeFault() {
    return null;
  }

  Future<Void> close();

  /**
   * This store as seen by one request: each call it makes is recorded in {@code log} (OpenHIM orchestrations).
   * Adapters that call out over HTTP override this to record each HTTP exchange instead.
   */
  default PatientStore observed(org.clientregistry.calls.CallLog log) {
    return log == org.clientregistry.calls.CallLog.NONE ? this : new ObservedStore(this, log);
  }

  record SourceIdentifier(String sourceId, String system, String value) {}

  /** A person as PIX sees it: the golden record and every identifier of its members. */
  record Person(GoldenRecord golden, List<SourceIdentifier> identifiers) {}

  record GoldenVersion(String id, int version) {}

  record NotSamePerson(String sourceA, String sourceB) {}

  /** Marks as they stand now: made, or removed since they were made. */
  record MarkChanges(List<NotSamePerson> made, List<NotSamePerson> removed) {}

  /** A patient written into the store without the registry (no golden link yet), and the client it is tagged with. */
  record UnlinkedPatient(String id, int version, String clientId, String resourceJson) {}
}
