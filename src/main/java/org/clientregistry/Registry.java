package org.clientregistry;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.clientregistry.api.BundleRoutes;
import org.clientregistry.api.HttpServerVerticle;
import org.clientregistry.api.MatchRoutes;
import org.clientregistry.api.Metrics;
import org.clientregistry.api.OpsRoutes;
import org.clientregistry.api.PatientRoutes;
import org.clientregistry.api.PixRoutes;
import org.clientregistry.api.RegistryRouter;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.clientregistry.config.LiveSettings;
import org.clientregistry.openhim.ClientHeaderHandler;
import org.clientregistry.openhim.ConfigApplier;
import org.clientregistry.openhim.ConsoleConfigFile;
import org.clientregistry.openhim.MediatorSettings;
import org.clientregistry.openhim.MediatorStatus;
import org.clientregistry.openhim.CoreApi;
import org.clientregistry.openhim.CoreGateway;
import org.clientregistry.openhim.MediatorDescription;
import org.clientregistry.openhim.MediatorLink;
import org.clientregistry.openhim.OpenHimEnvelope;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.linking.IndexSnapshots;
import org.clientregistry.linking.LookupAudit;
import org.clientregistry.linking.MatchService;
import org.clientregistry.linking.MatchingState;
import org.clientregistry.linking.OtherWriters;
import org.clientregistry.linking.RulesRuntime;
import org.clientregistry.linking.PixService;
import org.clientregistry.linking.SubmissionService;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.Nicknames;
import org.clientregistry.security.CallerHandler;
import org.clientregistry.security.DevCertificateAuthority;
import org.clientregistry.security.TlsServerOptions;
import org.clientregistry.store.IndexSnapshotPlace;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.embedded.EmbeddedStore;
import org.clientregistry.store.fhirserver.FhirServerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running registry: builds the object graph from the config, loads the index, deploys the HTTP servers. */
public final class Registry {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
  public static final String VERSION = "0.2.1";

  private final Vertx vertx;
  private final RegistryConfig config;
  private final PatientStore store;
  private final WorkerExecutor worker;
  private final RulesRuntime matching;
  private final LiveSettings live;
  private final MediatorDescription mediator; // null unless in mediator mode
  private String deploymentId;
  private String healthDeploymentId;
  private MediatorLink link;
  private CoreApi core;
  private OtherWriters otherWriters;
  private SubmissionService submissions;
  private Metrics metrics;
  private RegistryRouter.Routes routes;
  private final MediatorStatus status = new MediatorStatus();
  private ConsoleConfigFile.Restored restored; // mediator mode: the saved console config started from, or null
  private org.clientregistry.linking.RecordIds recordIds; // the installation's key for new records' ids
  private org.clientregistry.console.ConsoleServer console; // null unless the console runs
  private org.clientregistry.subscriptions.Subscriptions subscriptions;
  /** How long a stop waits for writes under way before it gives up keeping the index on disk. */
  private static final long STOP_WAIT_MILLIS = 10_000;

  private Registry(Vertx vertx, RegistryConfig config, PatientStore store, WorkerExecutor worker,
                   RulesRuntime matching, MediatorDescription mediator) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.worker = worker;
    this.matching = matching;
    this.live = LiveSettings.from(config);
    this.mediator = mediator;
  }

  /** Starts a standalone registry; the returned future completes once it serves on the configured port. */
  public static Future<Registry> start(Vertx vertx, RegistryConfig config) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("cr-worker", config.workerPoolSize());
    return worker.executeBlocking(() -> prepare(vertx, config, worker), false)
        .compose(Registry::serve);
  }

  /** The blocking part of start-up: certificates, rules, store. */
  private static Registry prepare(Vertx vertx, RegistryConfig config, WorkerExecutor worker) throws Exception {
    if (config.server().tls()) { // plain HTTP behind OpenHIM core (mediator mode) needs no certificates of its own
      ensureCertificates(config);
    }
    if (!Files.isReadable(config.matching().nicknamesFile())) {
      // Rules using the nickname normaliser would silently compare raw given names.
      throw new ConfigException("matching.nicknamesFile", "cannot read " + config.matching().nicknamesFile());
    }
    Nicknames nicknames = Nicknames.read(config.matching().nicknamesFile());
    MediatorDescription mediator = config.mediator().register() ? MediatorDescription.read(config.mediator()) : null;
    // Mediator mode: the console's config accepted last time, so that the index is built once, with its rules.
    ConsoleConfigFile.Restored restored = mediator == null ? null : new ConsoleConfigFile(config.store().dataDir())
        .restore(Files.readString(config.matching().rulesFile()), LiveSettings.from(config).get(), nicknames)
        .orElse(null);
    DecisionRules rules = restored != null ? restored.rules()
        : DecisionRulesParser.parse(config.matching().rulesFile(), FieldExtractor::validate, nicknames);
    PatientStore store = openStore(vertx, config, restored == null ? null : restored.settings().fhirServer());
    int maxCandidates = config.matching().maxCandidates();
    IndexSnapshots snapshots = store instanceof IndexSnapshotPlace place && config.store().keepIndex()
        ? new IndexSnapshots(place, worker) : IndexSnapshots.NONE;
    RulesRuntime matching = new RulesRuntime(vertx, worker, store, MatchingState.of(rules, maxCandidates),
        maxCandidates, nicknames, snapshots);
    Registry registry = new Registry(vertx, config, store, worker, matching, mediator);
    registry.recordIds = org.clientregistry.linking.RecordIds.keyed(
        org.clientregistry.security.RecordIdKey.load(config));
    if (restored != null) {
      registry.restored = restored;
      registry.live.set(restored.settings().values());
      registry.status.restored(restored.saved().acceptedAt());
    }
    registry.metrics(); // here, not on the event loop: the JVM meters take seconds of class loading on a busy host
    return registry;
  }

  /** @param fromConsole the FHIR server of the saved console config, or null */
  private static PatientStore openStore(Vertx vertx, RegistryConfig config, MediatorSettings.FhirServer fromConsole) {
    if (config.store().type().equals("fhirserver")) {
      FhirServerStore store = FhirServerStore.open(vertx, ConfigApplier.merged(config.store().fhirServer(),
          fromConsole), config.cruidSystem());
      store.defineSearchParameters();
      return store;
    }
    return EmbeddedStore.open(vertx, config.store().dataDir(), config.store().synchronous());
  }

  private static void ensureCertificates(RegistryConfig config) throws Exception {
    RegistryConfig.Tls tls = config.tls();
    if (tls.createDevCertificates()) {
      DevCertificateAuthority.ensure(tls.certificatesDir(), config.clients().keySet());
    }
    org.clientregistry.security.OwnerOnly.warnIfOpen(tls.serverKey());
    org.clientregistry.config.ProductionChecks.certificates(config);
    java.nio.file.Path coreClient = config.mediator().coreClientCertificate();
    if (config.mediator().register() && coreClient != null && !Files.isReadable(coreClient)) {
      throw new ConfigException("mediator.coreClientCertificate", "cannot read " + coreClient);
    }
    for (var file : new java.nio.file.Path[] {tls.serverCertificate(), tls.serverKey(), tls.caCertificate()}) {
      if (!Files.isReadable(file)) {
        throw new ConfigException("tls", "cannot read " + file + " (set tls.createDevCertificates to make "
            + "development certificates, or point tls.* at your own)");
      }
    }
  }

  private static Future<Registry> serve(Registry r) {
    Metrics metrics = r.metrics;
    SubmissionService submissions = new SubmissionService(r.vertx, r.worker, r.store, r.matching,
        r.config.matching().maxCandidates(), metrics::outcome);
    r.submissions = submissions;
    submissions.identityDomains(r.live::domains);
    submissions.recordIds(r.recordIds);
    submissions.limitWork(new org.clientregistry.linking.WorkLimits(
        r.config.matching().maxComparisonsPerRequest(), r.config.matching().maxReviewItemsPerRequest()));
    RegistryRouter.Routes routes = r.routes(submissions, metrics);
    r.routes = routes;
    Handler<RoutingContext> gateway = r.mediator == null ? RoutingContext::next
        : new CoreGateway(r.config.mediator(), new OpenHimEnvelope(r.mediator.urn(),
            () -> r.live.get().orchestrationBodies()));
    Handler<RoutingContext> caller = r.mediator == null ? new CallerHandler(r.live::client)
        : new ClientHeaderHandler(r.live::client);
    HttpServerOptions options = TlsServerOptions.forServer(r.vertx, r.config);
    org.clientregistry.api.ConnectionGuard guard = new org.clientregistry.api.ConnectionGuard(r.vertx,
        r.config.connections());
    long bodyLimit = r.config.server().bodyLimitBytes();
    // In mediator mode the console is where rules change (config pushes); a file watch would fight it.
    if (r.mediator == null && r.config.matching().watchRulesSeconds() > 0) {
      r.matching.watch(r.config.matching().rulesFile(), Duration.ofSeconds(r.config.matching().watchRulesSeconds()));
    }
    // Other writers are followed from a little before the load began, so nothing written meanwhile is missed.
    java.time.Instant loadStarted = java.time.Instant.now().minusSeconds(60);
    return r.matching.load()
        .onSuccess(n -> r.followOtherWriters(submissions, loadStarted))
        .compose(n -> r.subscriptions.start().map(n))
        .compose(n -> r.vertx.deployVerticle(() -> new HttpServerVerticle(options,
                vertx -> RegistryRouter.create(vertx, routes, gateway, caller, bodyLimit), guard),
            new DeploymentOptions().setInstances(r.config.server().instances())))
        .onSuccess(id -> r.deploymentId = id) // before the console starts: a failed start still undeploys
        .compose(id -> org.clientregistry.console.Console.start(r.vertx, r.config, r.worker, r.store, r.matching,
            submissions).map(c -> {
              r.console = c;
              return id;
            }))
        .compose(id -> r.serveHealthPort(routes, guard).map(id))
        .map(id -> {
          r.deploymentId = id;
          LOG.info("Client registry {} serving {} on port {}{}", VERSION, r.config.server().tls()
                  ? "HTTPS (" + (io.vertx.core.net.OpenSSLEngineOptions.isAvailable() ? "BoringSSL" : "JDK TLS") + ")"
                  : "HTTP",
              r.config.server().port(), r.mediator == null ? "" : " as OpenHIM mediator " + r.mediator.urn());
          if (r.mediator != null) {
            r.connectToCore();
          }
          return r;
        });
  }

  /** server.healthPort: /health and /ready in plain HTTP on the loopback interface only (container checks). */
  private Future<Void> serveHealthPort(RegistryRouter.Routes routes, org.clientregistry.api.ConnectionGuard guard) {
    int port = config.connections().healthPort();
    if (port == 0) {
      return Future.succeededFuture();
    }
    HttpServerOptions plain = new HttpServerOptions().setHost("127.0.0.1").setPort(port);
    return vertx.deployVerticle(new HttpServerVerticle(plain, routes.ops()::healthRouter, guard))
        .onSuccess(id -> {
          healthDeploymentId = id;
          LOG.info("Health checks on http://127.0.0.1:{}/health and /ready", port);
        }).mapEmpty();
  }

  private Metrics metrics() {
    Metrics metrics = new Metrics(() -> matching.get().index()).withVertx(vertx);
    this.metrics = metrics;
    metrics.polled(vertx, "cr_review_items_open", "Review items waiting for an administrator (read every 30 s).",
        store::openReviewItemCount, Duration.ofSeconds(30));
    metrics.counter("cr_config_refused", "Configurations refused (the previous one stayed in force).",
        io.micrometer.core.instrument.Tags.of("source", "rules_file"), matching::refusedReloads);
    metrics.gauge("cr_index_from_snapshot", "1 when the matching index was read from the snapshot kept at the last"
        + " clean stop, 0 when it was built from the store.", () -> matching.restoredFromSnapshot() ? 1 : 0);
    metrics.gauge("cr_jvm_heap_used_bytes", "Heap in use (after a collection it is what the registry keeps).",
        () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    if (mediator != null) {
      metrics.gauge("cr_openhim_registered", "1 while registered with OpenHIM core.",
          () -> link != null && link.registered() ? 1 : 0);
      metrics.gauge("cr_openhim_config_refused", "1 while the config core holds is refused by the registry (the "
          + "previous one stays in force; /ready says why), 0 otherwise.", () -> status.refusal().isPresent() ? 1 : 0);
      metrics.gauge("cr_openhim_heartbeat_failures", "Heartbeats core did not accept, since start.",
          () -> link == null ? 0 : link.heartbeatFailures());
    }
    return metrics;
  }

  /** The route handlers, built once and shared by every server instance. */
  private RegistryRouter.Routes routes(SubmissionService submissions, Metrics metrics) {
    LookupAudit audit = new LookupAudit(store, () -> live.get().auditLookups(),
        new org.clientregistry.security.LookupLimits(vertx, config.lookups().perClientPerMinute()));
    PatientRoutes patients = new PatientRoutes(submissions, store, worker, config.baseUrl(), config.cruidSystem());
    subscriptions = new org.clientregistry.subscriptions.Subscriptions(vertx, store,
        new org.clientregistry.linking.IdentityResolver(store, matching), live::domains, config.cruidSystem(), 1000);
    return new RegistryRouter.Routes(patients,
        new BundleRoutes(submissions, worker, patients, config.server().maxBundleEntries(),
            pmir(submissions, patients)),
        new PixRoutes(new PixService(store, config.cruidSystem(), live::domains,
            new org.clientregistry.linking.IdentityResolver(store, matching)), audit,
            new org.clientregistry.security.LookupPolicy(live::get, config.cruidSystem())),
        new MatchRoutes(new MatchService(matching), worker, config.cruidSystem(), audit, live::domains,
            config.lookups().matchMinAgreeingFields()),
        new OpsRoutes(store, matching::loaded, () -> matching.get().index().size(), this::notReady,
            () -> mediator == null ? null : status.detail()).indexInStep(submissions::indexInStep),
        // Built per request: a FHIR server's search parameters come into force after start.
        () -> org.clientregistry.api.MetadataFactory.capabilityStatement(config.baseUrl(), VERSION,
            store instanceof org.clientregistry.store.DemographicSearch s ? s.parameters() : java.util.List.of(),
            store instanceof org.clientregistry.store.SubscriptionStore), metrics,
        adminRoutes(submissions), new org.clientregistry.api.PdqRoutes(new org.clientregistry.pdq.PdqService(store,
            matching, live::domains, config.cruidSystem(), live::survivorship), audit, config.baseUrl()),
        new org.clientregistry.api.FeedRoutes(submissions, patients, worker, live::domains),
        new org.clientregistry.api.SubscriptionRoutes(subscriptions, worker, config.baseUrl()));
  }

  /** The PMIR feed (ITI-93): submissions, and merges decided like an administrator's links. */
  private org.clientregistry.api.PmirRoutes pmir(SubmissionService submissions, PatientRoutes patients) {
    var links = new org.clientregistry.linking.LinkAdmin(vertx, worker, store, matching, submissions,
        config.matching().maxCandidates());
    return new org.clientregistry.api.PmirRoutes(new org.clientregistry.pmir.PmirFeed(submissions, links, store,
        live::domains), worker, patients, config.baseUrl());
  }

  /** The administration side: review queue, link management, history, re-matching. */
  private org.clientregistry.admin.AdminRoutes adminRoutes(SubmissionService submissions) {
    int maxCandidates = config.matching().maxCandidates();
    return new org.clientregistry.admin.AdminRoutes(store,
        new org.clientregistry.linking.LinkAdmin(vertx, worker, store, matching, submissions, maxCandidates),
        new org.clientregistry.linking.ReviewView(worker, store, matching), matching,
        new org.clientregistry.admin.Rematching(new org.clientregistry.linking.Rematch(vertx, worker, store, matching,
            submissions, maxCandidates)));
  }

  /** Mediator mode: register with core and keep beating in the background; config from core applied live. */
  private void connectToCore() {
    core = new CoreApi(vertx, config.mediator().core());
    ConfigApplier applier = new ConfigApplier(vertx, store, worker, matching, live, config.matching().rulesFile())
        .keeping(new ConsoleConfigFile(config.store().dataDir()), status, restored);
    link = new MediatorLink(vertx, core, mediator.forRegistration(config),
        config.mediator().heartbeatSeconds() * 1000L, config.mediator().configEveryBeats(), applier::apply)
        .reporting(status);
    metrics.counter("cr_config_refused", "Configurations refused (the previous one stayed in force).",
        io.micrometer.core.instrument.Tags.of("source", "openhim"), applier::refused);
    link.start();
  }

  /** The route handlers (tests build a router from them to list every route served). */
  public RegistryRouter.Routes routes() {
    return routes;
  }

  /** Mediator mode: why /ready says no (not registered, or the config in force not yet known); null when ready. */
  private String notReady() {
    if (mediator == null) {
      return null;
    }
    if (link == null || !link.registered()) {
      return "not registered with OpenHIM core";
    }
    if (status.configKnown()) {
      return null;
    }
    return status.refusal().map(why -> "the config from OpenHIM core was refused: " + why)
        .orElse("the config from OpenHIM core has not been received yet");
  }

  /** The store in use (embedded or fhirserver). */
  public PatientStore store() {
    return store;
  }

  /** The settings that change at run time (clients, switches). */
  public LiveSettings live() {
    return live;
  }

  /** Mediator mode: the link with core (null standalone). */
  public MediatorLink mediatorLink() {
    return link;
  }

  private void followOtherWriters(SubmissionService submissions, java.time.Instant since) {
    RegistryConfig.FhirServer fhir = config.store().fhirServer();
    if (fhir == null) {
      return; // the embedded store has no other writers
    }
    otherWriters = new OtherWriters(vertx, worker, store, matching, submissions, live::client, since);
    submissions.catchUpBeforeRetry(otherWriters::followOnce, since);
    if (fhir.followSeconds() > 0) {
      otherWriters.start(Duration.ofSeconds(fhir.followSeconds()));
    }
  }

  /** Looks at the store for other writers' changes now (tests; the registry also does it on a timer). */
  public Future<Integer> followOtherWriters() {
    return otherWriters == null ? Future.succeededFuture(0) : otherWriters.followOnce();
  }

  public RegistryConfig config() {
    return config;
  }

  /** The decision rules in force, and their replacement (file watch, or OpenHIM config). */
  public RulesRuntime matching() {
    return matching;
  }

  /**
   * Stops taking writes and waits for those under way, stops serving, keeps the index on disk (embedded store),
   * then closes the store; acknowledged writes are already durable.
   */
  public Future<Void> stop() {
    if (link != null) {
      link.stop(); // no deregistration: that would erase the console's config
      core.close();
    }
    if (otherWriters != null) {
      otherWriters.stop();
    }
    if (console != null) {
      console.stop();
    }
    if (subscriptions != null) {
      subscriptions.stop();
    }
    Future<Boolean> writesDone = submissions == null ? Future.succeededFuture(false)
        : submissions.stopWriting(STOP_WAIT_MILLIS);
    return writesDone
        .compose(inStep -> (deploymentId == null ? Future.<Void>succeededFuture() : vertx.undeploy(deploymentId))
            .eventually(() -> healthDeploymentId == null ? Future.succeededFuture()
                : vertx.undeploy(healthDeploymentId))
            .eventually(() -> matching.keepIndex(inStep)))
        .eventually(store::close).eventually(worker::close)
        .eventually(() -> {
          if (metrics != null) {
            metrics.close();
          }
          return Future.succeededFuture();
        });
  }
}
