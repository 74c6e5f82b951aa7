package org.clientregistry.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;

/**
 * Records every call to an in-process store (the embedded one) as an upstream call, so that an OpenHIM transaction
 * shows what the registry read and wrote. Bodies are short summaries without demographics.
 */
final class ObservedStore implements PatientStore {
  private final PatientStore store;
  private final CallLog log;

  ObservedStore(PatientStore store, CallLog log) {
    this.store = store;
    this.log = log;
  }

  private <T> Future<T> call(String name, String method, String path, String query, Supplier<Future<T>> action,
                             java.util.function.Function<T, String> summary) {
    Instant at = Instant.now();
    Future<T> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(ar -> {
      int status = ar.succeeded() ? 200 : ar.cause() instanceof StoreConflictException ? 409 : 500;
      String body = ar.succeeded() ? summary.apply(ar.result()) : ar.cause().getClass().getSimpleName();
      log.record(new UpstreamCall("Store: " + name,
          new UpstreamCall.Request("embedded-store", 0, method, path, query, Map.of(), null, at),
          new UpstreamCall.Response(status, Map.of("content-type", "text/plain"), body, Instant.now())));
    });
  }

  private static String found(Optional<?> o) {
    return o.isPresent() ? "found" : "not found";
  }

  @Override
  public Future<Optional<SourceRecord>> sourceByInternalId(String clientId, String system, String value) {
    return call("find source record by internal id", "GET", "/source-records", "client=" + clientId,
        () -> store.sourceByInternalId(clientId, system, value), ObservedStore::found);
  }

  @Override
  public Future<Optional<SourceRecord>> source(String id) {
    return call("read source record", "GET", "/source-records/" + id, null, () -> store.source(id),
        ObservedStore::found);
  }

  @Override
  public Future<List<String>> sourceIdsByIdentifier(String system, String value) {
    return call("find source records by identifier", "GET", "/source-records", null,
        () -> store.sourceIdsByIdentifier(system, value), ids -> ids.size() + " found");
  }

  @Override
  public Future<List<SourceIdentifier>> identifiersOf(List<String> sourceIds) {
    return call("read identifiers", "GET", "/identifiers", null, () -> store.identifiersOf(sourceIds),
        ids -> ids.size() + " identifiers");
  }

  @Override
  public Future<Optional<GoldenRecord>> golden(String id) {
    return call("read golden record", "GET", "/golden-records/" + id, null, () -> store.golden(id),
        ObservedStore::found);
  }

  @Override
  public Future<Optional<Person>> person(String system, String value, String cruidSystem, int maxHops) {
    return call("read person by identifier", "GET", "/persons", null,
        () -> store.person(system, value, cruidSystem, maxHops), ObservedStore::found);
  }

  @Override
  public Future<Boolean> knowsSystem(String system) {
    return call("check identifier system", "GET", "/identifier-systems", null, () -> store.knowsSystem(system),
        known -> known ? "known" : "unknown");
  }

  @Override
  public Future<Void> commit(ChangeSet changes) {
    return call("commit", "POST", "/commit", null, () -> store.commit(changes),
        v -> changes.sources().size() + " source, " + changes.goldens().size() + " golden, "
            + changes.reviews().size() + " review writes");
  }

  @Override
  public Future<Long> load(Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                           Consumer<NotSamePerson> marks) {
    return store.load(sources, goldens, marks);
  }

  @Override
  public Future<Long> loadChangedSince(Instant since, Consumer<SourceRecord> sources,
                                       Consumer<GoldenVersion> goldens) {
    return store.loadChangedSince(since, sources, goldens);
  }

  @Override
  public Future<Instant> otherWrites(Instant since, Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                                     Consumer<UnlinkedPatient> unlinked) {
    return store.otherWrites(since, sources, goldens, unlinked);
  }

  @Override
  public Future<java.util.Set<String>> openReviewPairs(java.util.Collection<String> pairs) {
    return call("find open review items of these pairs", "GET", "/review-items", "pairs=" + pairs.size(),
        () -> store.openReviewPairs(pairs), open -> open.size() + " open");
  }

  // Administration reads are not made on behalf of point-of-service requests: passed through unrecorded.
  @Override
  public Future<Page<ReviewItem>> reviewItems(ReviewQuery query) {
    return store.reviewItems(query);
  }

  @Override
  public Future<Optional<ReviewItem>> reviewItem(String id) {
    return store.reviewItem(id);
  }

  @Override
  public Future<Page<SourceRecord>> links(LinkQuery query) {
    return store.links(query);
  }

  @Override
  public Future<List<LinkEvent>> linkHistory(String sourceId, String goldenId, int count) {
    return store.linkHistory(sourceId, goldenId, count);
  }

  @Override
  public Future<List<LinkEvent>> linkChanges(String after, int count) {
    return store.linkChanges(after, count);
  }

  @Override
  public Future<Optional<String>> jobCursor(String job) {
    return store.jobCursor(job);
  }

  @Override
  public Future<Activity> activity(Instant since) {
    return store.activity(since);
  }

  @Override
  public Future<List<DayCount>> decisionsPerDay(Instant since) {
    return store.decisionsPerDay(since);
  }

  @Override
  public String writeFault() {
    return store.writeFault();
  }

  @Override
  public Future<Void> ping() {
    return store.ping();
  }

  @Override
  public boolean onlyWriter() {
    return store.onlyWriter();
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }
}
