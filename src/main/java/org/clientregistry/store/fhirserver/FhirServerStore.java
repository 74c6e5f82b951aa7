package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.clientregistry.calls.CallLog;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.store.AdminReads;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;
import org.clientregistry.store.StoreUnavailableException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fhirserver adapter: every record lives in a FHIR R4 server (HAPI FHIR JPA in production), reached with the
 * Vert.x web client. Lookups are searches with {@code Cache-Control: no-cache}; writes are transactions
 * (StoreTransactions); the index loads and follows other writers through IndexFollowing; administration reads are
 * AdminSearches. Large bodies are parsed on this store's worker threads, never on an event loop.
 */
public final class FhirServerStore implements PatientStore, org.clientregistry.store.DemographicSearch,
    org.clientregistry.store.SubscriptionStore {
  private static final Logger LOG = LoggerFactory.getLogger(FhirServerStore.class);
  /** Bodies above this size are parsed on a worker thread. */
  private static final int INLINE_PARSE_LIMIT = 32 * 1024;
  private static final int IDS_PER_SEARCH = 100;
  private static final Map<String, String> NO_CACHE = Map.of("Cache-Control", "no-cache");
  /**
   * For searches read one page only: no-store asks HAPI FHIR to answer at once without keeping the search and its
   * results in its database (HFJ_SEARCH, one row and large object per search, that the next pages would need).
   */
  static final Map<String, String> ONE_PAGE = Map.of("Cache-Control", "no-cache, no-store");
  /** What a FHIR resource id may be; anything else is never sent in a URL. */
  static final String ID = "[A-Za-z0-9\\-.]{1,64}";
  static final String NOT_GOLDEN = "&_tag:not=" + enc(RegistryResources.TAG + "|" + RegistryResources.GOLDEN);

  private final Shared shared;
  private final CallLog log;
  private final AdminSearches admin = new AdminSearches(this);
  private final IndexFollowing following = new IndexFollowing(this);
  private final PixSearch pix = new PixSearch(this);
  private final DemographicSearches demographics = new DemographicSearches(this);
  private final StoreTransactions transactions = new StoreTransactions(this, admin);
  private final FhirSubscriptions subscriptions = new FhirSubscriptions(this);

  /**
   * What every per-request view shares: the one HTTP client, the parse workers, the mapping, the config. The client
   * and config change together when the console points the registry at other server settings.
   */
  private static final class Shared {
    private volatile FhirHttp http;
    private volatile RegistryConfig.FhirServer config;
    private final WorkerExecutor parsers;
    private final RegistryResources resources;
    private final Queue<String> unlinkedAtLoad;
    private volatile AuditBatches audits;
    private volatile TransactionGroups groups;
    private volatile SourceLookups lookups;
    private final ServerSearchParameters searchParameters;

    Shared(FhirHttp http, WorkerExecutor parsers, RegistryResources resources, RegistryConfig.FhirServer config,
           Queue<String> unlinkedAtLoad, ServerSearchParameters searchParameters) {
      this.http = http;
      this.searchParameters = searchParameters;
      this.parsers = parsers;
      this.resources = resources;
      this.config = config;
      this.unlinkedAtLoad = unlinkedAtLoad;
    }
  }

  private FhirServerStore(Shared shared, CallLog log) {
    this.shared = shared;
    this.log = log;
  }

  public static FhirServerStore open(Vertx vertx, RegistryConfig.FhirServer config, String cruidSystem) {
    LOG.info("FHIR server store at {}", config.baseUrl());
    FhirServerStore store = new FhirServerStore(new Shared(new FhirHttp(vertx, config),
        vertx.createSharedWorkerExecutor("cr-fhir-parse", 2), new RegistryResources(cruidSystem), config,
        new ConcurrentLinkedQueue<>(), new ServerSearchParameters(vertx)),
        CallLog.NONE);
    store.shared.audits = new AuditBatches(store.transactions::commit);
    store.shared.groups = new TransactionGroups(store, store.transactions, config.transactionsInFlight());
    store.shared.lookups = new SourceLookups(store, config.transactionsInFlight());
    return store;
  }

  /**
   * Defines on the server, in the background, the Patient search parameters PDQm needs that it lacks; they are
   * searched once the server has them in force (ServerSearchParameters).
   */
  public void defineSearchParameters() {
    shared.searchParameters.ensure(shared.http);
  }

  /** This store recording each of its HTTP exchanges in {@code log}. */
  @Override
  public PatientStore observed(CallLog log) {
    return log == CallLog.NONE ? this : new FhirServerStore(shared, log);
  }

  // ---- reads

  @Override
  public Future<Optional<SourceRecord>> sourceByInternalId(String clientId, String system, String value) {
    return shared.lookups.find(new SourceLookups.Wanted(clientId, system, value, this)).map(patients -> {
      Optional<Patient> linked = patients.stream().filter(RegistryResources::isLinkedSource).findFirst();
      if (linked.isPresent()) {
        return Optional.of(resources().source(linked.get()));
      }
      // Written straight into the server by another writer: the registry adopts it (links it as new).
      return patients.stream().findFirst().map(p -> resources().unlinkedSource(p, system, value));
    });
  }

  @Override
  public Future<Optional<SourceRecord>> source(String id) {
    return readPatient("FHIR: read source record", id)
        .map(p -> p.filter(RegistryResources::isLinkedSource).map(resources()::source));
  }

  @Override
  public Future<List<String>> sourceIdsByIdentifier(String system, String value) {
    return linkedSourcesWith(system, value).map(patients -> patients.stream().map(p -> p.getIdElement().getIdPart())
        .toList());
  }

  /** One search: the records come with it (no read of each afterwards). */
  @Override
  public Future<List<SourceRecord>> sourcesByIdentifier(String system, String value) {
    return linkedSourcesWith(system, value).map(patients -> patients.stream().map(resources()::source).toList());
  }

  /** The linked source records carrying an identifier, in id order. */
  private Future<List<Patient>> linkedSourcesWith(String system, String value) {
    return search("FHIR: find source records by identifier", "/Patient?identifier=" + token(system, value)
        + notGolden(system) + "&_count=" + shared.config.pageSize())
        .map(patients -> patients.stream().filter(RegistryResources::isLinkedSource)
            .sorted(java.util.Comparator.comparing(p -> p.getIdElement().getIdPart())).toList());
  }

  /** The common parameters and {@code active}; mothersMaidenName and mother-identifier once in force there. */
  @Override
  public List<String> parameters() {
    Set<String> extra = shared.searchParameters.inForce();
    return extra.isEmpty() ? DemographicSearches.PARAMETERS : java.util.stream.Stream.concat(
        DemographicSearches.PARAMETERS.stream(), ServerSearchParameters.DEFINITIONS.stream()
            .map(ServerSearchParameters.Definition::code).filter(extra::contains)).toList();
  }

  /** A search by these of the registry's search parameters failed: whether the server still has them is checked. */
  void searchParametersFailed(List<String> codes) {
    shared.searchParameters.recheck(shared.http, codes);
  }

  /** PDQm: the FHIR server's own Patient search, restricted to linked source records (DemographicSearches). */
  @Override
  public Future<List<String>> searchSources(List<Clause> clauses, int limit) {
    return demographics.searchSources(clauses, limit);
  }

  @Override
  public Future<List<SourceIdentifier>> identifiersOf(List<String> sourceIds) {
    if (sourceIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return byIds("FHIR: read identifiers", sourceIds).map(found -> identifiers(sourceIds, found));
  }

  /** The identifiers of these records, in their order, each record's sorted by system and value. */
  static List<SourceIdentifier> identifiers(List<String> sourceIds, Map<String, Patient> found) {
    List<SourceIdentifier> out = new ArrayList<>();
    for (String id : sourceIds) {
      Patient p = found.get(id);
      if (p == null) {
        continue;
      }
      p.getIdentifier().stream().filter(i -> i.hasSystem() && i.hasValue())
          .map(i -> new SourceIdentifier(id, i.getSystem(), i.getValue())).distinct()
          .sorted((a, b) -> a.system().equals(b.system()) ? a.value().compareTo(b.value())
              : a.system().compareTo(b.system()))
          .forEach(out::add);
    }
    return out;
  }

  /** PIX in one search (PixSearch); what it could not bring is read the store-independent way. */
  @Override
  public Future<Optional<Person>> person(String system, String value, String cruidSystem, int maxHops) {
    return pix.person(system, value, system.equals(cruidSystem), maxHops,
        () -> PatientStore.super.person(system, value, cruidSystem, maxHops));
  }

  /** Source and golden records by id in one search (two when over {@value #IDS_PER_SEARCH} ids). */
  @Override
  public Future<Current> current(List<String> sourceIds, List<String> goldenIds) {
    List<String> ids = new ArrayList<>(sourceIds);
    goldenIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    if (ids.isEmpty()) {
      return Future.succeededFuture(new Current(List.of(), List.of()));
    }
    return byIds("FHIR: re-read records for the index", ids).map(found -> new Current(
        found.values().stream().filter(RegistryResources::isLinkedSource).map(resources()::source).toList(),
        found.values().stream().filter(RegistryResources::isGolden).map(resources()::golden).toList()));
  }

  @Override
  public Future<Optional<GoldenRecord>> golden(String id) {
    return readPatient("FHIR: read golden record", id)
        .map(p -> p.filter(RegistryResources::isGolden).map(resources()::golden));
  }

  @Override
  public Future<Boolean> knowsSystem(String system) {
    return search("FHIR: check identifier system", "/Patient?identifier=" + token(system, "") + notGolden(system)
        + "&_count=1&_elements=identifier").map(patients -> !patients.isEmpty());
  }

  /**
   * _tag:not is a NOT IN over every golden record on the server (HAPI FHIR), at every query: sent only where a
   * golden record could match, a search by the CRUID system (submissions check unique identifiers this way).
   */
  private String notGolden(String identifierSystem) {
    return resources().goldenIdentifier(identifierSystem) ? NOT_GOLDEN : "";
  }

  // ---- administration reads (AdminSearches)

  @Override
  public Future<Set<String>> openReviewPairs(java.util.Collection<String> pairs) {
    return admin.openReviewPairs(pairs);
  }

  @Override
  public Future<Integer> openReviewItemCount() {
    return admin.openReviewItemCount();
  }

  @Override
  public Future<AdminReads.Page<ReviewItem>> reviewItems(ReviewQuery query) {
    return admin.reviewItems(query);
  }

  @Override
  public Future<Optional<ReviewItem>> reviewItem(String id) {
    return admin.reviewItem(id);
  }

  @Override
  public Future<AdminReads.Page<SourceRecord>> links(LinkQuery query) {
    return admin.links(query);
  }

  @Override
  public Future<List<LinkEvent>> linkHistory(String sourceId, String goldenId, int count) {
    return admin.linkHistory(sourceId, goldenId, count);
  }

  @Override
  public Future<List<LinkEvent>> linkChanges(String after, int count) {
    return admin.linkChanges(after, count);
  }

  @Override
  public Future<Optional<String>> jobCursor(String job) {
    return admin.jobCursor(job);
  }

  @Override
  public Future<Activity> activity(java.time.Instant since) {
    return admin.activity(since);
  }

  @Override
  public Future<List<DayCount>> decisionsPerDay(java.time.Instant since) {
    return admin.decisionsPerDay(since);
  }

  /** The server settings in use. */
  public RegistryConfig.FhirServer settings() {
    return shared.config;
  }

  /**
   * Uses other server settings from now on (new credentials, another base URL): the new ones must answer a ping
   * first, else nothing changes; requests already sent finish on the old client, closed a minute later.
   */
  public Future<Void> reconnect(Vertx vertx, RegistryConfig.FhirServer next) {
    FhirHttp candidate = new FhirHttp(vertx, next);
    return candidate.send("FHIR: ping", HttpMethod.GET, "/Patient?_id=registry-ping&_elements=id", NO_CACHE, null,
        CallLog.NONE).transform(ar -> {
          if (ar.failed() || !ar.result().ok()) {
            candidate.close();
            return Future.failedFuture(ar.failed() ? ar.cause() : unavailable("ping", ar.result()));
          }
          FhirHttp old;
          synchronized (shared) {
            old = shared.http;
            shared.http = candidate;
            shared.config = next;
          }
          vertx.setTimer(60_000, t -> old.close());
          LOG.info("FHIR server store now at {}", next.baseUrl());
          shared.searchParameters.restart(candidate);
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Void> ping() {
    // A search by an id that never exists: cheap, and it reaches the server's database (/metadata may not).
    return shared.http.send("FHIR: ping", HttpMethod.GET, "/Patient?_id=registry-ping&_elements=id", NO_CACHE, null,
        log).compose(reply -> reply.ok() ? Future.succeededFuture() : Future.failedFuture(unavailable("ping", reply)));
  }

  @Override
  public Future<Void> close() {
    return shared.http.close().eventually(shared.parsers::close);
  }

  // ---- the index (IndexFollowing)

  @Override
  public Future<Long> load(Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                           Consumer<NotSamePerson> marks) {
    return following.load(sources, goldens, marks);
  }

  @Override
  public Future<Long> loadChangedSince(Instant since, Consumer<SourceRecord> sources,
                                       Consumer<GoldenVersion> goldens) {
    return following.loadChangedSince(since, sources, goldens);
  }

  @Override
  public Future<Instant> otherWrites(Instant since, Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                                     Consumer<UnlinkedPatient> unlinked) {
    return following.otherWrites(since, sources, goldens, unlinked);
  }

  @Override
  public Future<MarkChanges> marksSince(Instant since) {
    return following.marksSince(since);
  }

  // ---- writes (StoreTransactions)

  /**
   * Audit entries alone (lookups) sent through the shared store wait for one another (AuditBatches); a request's
   * own view sends its change at once, so that its orchestrations show its own transaction.
   */
  @Override
  public Future<Void> commit(ChangeSet changes) {
    return log == CallLog.NONE && StoreTransactions.auditOnly(changes) ? shared.audits.write(changes.audit())
        : transactions.commit(changes);
  }

  @Override
  public Future<OthersSeen> commitAndLook(ChangeSet changes, Instant since) {
    return transactions.commitAndLook(changes, since);
  }

  // ---- HTTP helpers

  RegistryResources resources() {
    return shared.resources;
  }

  int pageSize() {
    return shared.config.pageSize();
  }

  int requestTimeoutMs() {
    return shared.config.requestTimeoutMs();
  }

  Future<Optional<Patient>> readPatient(String name, String id) {
    if (!id.matches(ID)) {
      return Future.succeededFuture(Optional.empty());
    }
    return shared.http.send(name, HttpMethod.GET, "/Patient/" + id, NO_CACHE, null, log).compose(reply -> {
      if (reply.status() == 404 || reply.status() == 410) {
        return Future.succeededFuture(Optional.<Patient>empty());
      }
      if (!reply.ok()) {
        return Future.failedFuture(unavailable("read", reply));
      }
      return parse(reply.body()).map(r -> Optional.of((Patient) r));
    });
  }

  /** Patients by id, {@value #IDS_PER_SEARCH} ids per search so that URLs stay short. */
  Future<Map<String, Patient>> byIds(String name, List<String> ids) {
    Map<String, Patient> out = new java.util.concurrent.ConcurrentHashMap<>();
    Future<Long> chain = Future.succeededFuture(0L);
    for (int from = 0; from < ids.size(); from += IDS_PER_SEARCH) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_SEARCH));
      String query = "/Patient?_id=" + enc(String.join(",", chunk)) + "&_count=" + chunk.size();
      chain = chain.compose(n -> pages(name, query, r -> {
        if (r instanceof Patient p) {
          out.put(p.getIdElement().getIdPart(), p);
        }
      }));
    }
    return chain.map(n -> out);
  }

  @Override
  public Future<List<GoldenChange>> goldenChanges(long after, int count) {
    return subscriptions.goldenChanges(after, count);
  }

  @Override
  public Future<Long> latestChange() {
    return subscriptions.latestChange();
  }

  @Override
  public Future<List<StoredSubscription>> subscriptions() {
    return subscriptions.subscriptions();
  }

  @Override
  public Future<Void> saveSubscription(StoredSubscription subscription) {
    return subscriptions.save(subscription);
  }

  @Override
  public Future<Boolean> deleteSubscription(String id) {
    return subscriptions.delete(id);
  }

  /** A search's Bundle, parsed. */
  Future<Bundle> searchBundle(String name, String query) {
    return shared.http.send(name, HttpMethod.GET, query, NO_CACHE, null, log).compose(reply -> reply.ok()
        ? parse(reply.body()).map(r -> (Bundle) r) : Future.failedFuture(unavailable("search", reply)));
  }

  /** One request (a delete up to 3 times on a 409); null when the resource is not there (404, 410), else a failure. */
  Future<FhirHttp.Reply> call(String name, HttpMethod method, String path, String body) {
    return call(name, method, path, body, 3);
  }

  private Future<FhirHttp.Reply> call(String name, HttpMethod method, String path, String body, int tries) {
    return shared.http.send(name, method, path, NO_CACHE, body, log).compose(reply -> reply.ok()
        ? Future.succeededFuture(reply) : reply.status() == 404 || reply.status() == 410
        ? Future.succeededFuture(null)
        // A delete meeting a write of the same resource in flight (a delivery saving its cursor): HAPI answers 409.
        // Only deletes are sent again: a save sent again after a delete would bring the resource back.
        : reply.status() == 409 && method == HttpMethod.DELETE && tries > 1 ? call(name, method, path, body, tries - 1)
        : Future.failedFuture(unavailable(method.name().toLowerCase(), reply)));
  }

  Future<List<Patient>> search(String name, String query) {
    return onePage(name, query).map(bundle -> bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Patient.class::isInstance).map(Patient.class::cast).toList());
  }

  /** A search of which only the first page is read (HAPI FHIR keeps nothing of it). */
  Future<Bundle> onePage(String name, String query) {
    return shared.http.send(name, HttpMethod.GET, query, ONE_PAGE, null, log).compose(reply -> reply.ok()
        ? parse(reply.body()).map(r -> (Bundle) r) : Future.failedFuture(unavailable("search", reply)));
  }

  Future<Long> pages(String name, String first, Consumer<Resource> each) {
    return pages(name, first, each, reply -> {}, () -> false);
  }

  /** Reads a search and its next pages until {@code enough} says so after a page (checked on the worker). */
  Future<Long> pages(String name, String first, Consumer<Resource> each, BooleanSupplier enough) {
    return pages(name, first, each, reply -> {}, enough);
  }

  Future<Long> pages(String name, String pathAndQuery, Consumer<Resource> each, Consumer<FhirHttp.Reply> replies,
                     BooleanSupplier enough) {
    return pages(name, pathAndQuery, each, replies, enough, new PagesAhead(0, page -> get(name, page)));
  }

  /** Reads a search and every next page; each page is parsed and handed over on a worker thread, in order. */
  Future<Long> pages(String name, String pathAndQuery, Consumer<Resource> each, Consumer<FhirHttp.Reply> replies,
                     BooleanSupplier enough, PagesAhead ahead) {
    return ahead.get(pathAndQuery).compose(reply -> {
      if (!reply.ok()) {
        return Future.failedFuture(unavailable("search", reply));
      }
      replies.accept(reply);
      return onWorker(() -> {
        Bundle page = (Bundle) Fhir.parse(reply.body());
        long n = 0;
        for (Bundle.BundleEntryComponent e : page.getEntry()) {
          if (e.hasResource()) {
            each.accept(e.getResource());
            n++;
          }
        }
        Bundle.BundleLinkComponent next = page.getLink(Bundle.LINK_NEXT);
        return new Page(n, next == null || enough.getAsBoolean() ? null : relative(next.getUrl()));
      }).compose(page -> page.next() == null || page.count() == 0 ? Future.succeededFuture(page.count())
          : pages(name, page.next(), each, replies, enough, ahead).map(more -> more + page.count()));
    });
  }

  Future<FhirHttp.Reply> get(String name, String pathAndQuery) {
    return send(name, HttpMethod.GET, pathAndQuery, NO_CACHE, null);
  }

  /** One HTTP exchange with the server, recorded in this view's call log. */
  Future<FhirHttp.Reply> send(String name, HttpMethod method, String path, Map<String, String> headers, String body) {
    return send(name, method, path, headers, body, log);
  }

  /** One HTTP exchange with the server, recorded in {@code calls}. */
  Future<FhirHttp.Reply> send(String name, HttpMethod method, String path, Map<String, String> headers, String body,
                              CallLog calls) {
    return shared.http.send(name, method, path, headers, body, calls);
  }

  /** This view's call log. */
  CallLog log() {
    return log;
  }

  /** Where submissions' changes wait to go together. */
  TransactionGroups groups() {
    return shared.groups;
  }

  /** Patients found unlinked at load, for the first look for other writers. */
  Queue<String> unlinkedAtLoad() {
    return shared.unlinkedAtLoad;
  }

  private record Page(long count, String next) {}

  /** A next-page link as a path relative to the base URL (servers answer with absolute URLs). */
  private String relative(String link) {
    URI uri = URI.create(link);
    String basePath = URI.create(shared.config.baseUrl()).getRawPath();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (basePath != null && path.startsWith(basePath)) {
      path = path.substring(basePath.length());
    }
    return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private Future<Resource> parse(String body) {
    return body.length() <= INLINE_PARSE_LIMIT ? Future.succeededFuture(Fhir.parse(body))
        : onWorker(() -> Fhir.parse(body));
  }

  <T> Future<T> onWorker(Callable<T> task) {
    return shared.parsers.executeBlocking(task, false);
  }

  StoreUnavailableException unavailable(String what, FhirHttp.Reply reply) {
    return new StoreUnavailableException("FHIR server " + what + " failed with HTTP " + reply.status(), null,
        shared.config.retryAfterSeconds());
  }

  /** A token search value, system|value, with FHIR's escapes (a comma would OR, a bar split), URL-encoded. */
  static String token(String system, String value) {
    return enc(escape(system) + "|" + escape(value));
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace(",", "\\,").replace("|", "\\|").replace("$", "\\$");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
