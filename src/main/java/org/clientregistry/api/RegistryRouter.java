package org.clientregistry.api;

import org.clientregistry.logging.LogText;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.clientregistry.admin.AdminRoutes;
import org.clientregistry.config.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every route, one line each, in front of the one failure handler. */
public final class RegistryRouter {
  private static final Logger ACCESS = LoggerFactory.getLogger("access");

  private RegistryRouter() {}

  /**
   * The routes a registry serves. {@code gateway} runs first on every FHIR route (mediator mode: only core may call,
   * answers in the OpenHIM envelope); {@code caller} names the client (certificate, or OpenHIM's client header).
   */
  public static Router create(Vertx vertx, Routes routes, Handler<RoutingContext> gateway,
                              Handler<RoutingContext> caller, long bodyLimit) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> accessLog(ctx, routes.metrics()));
    router.get("/health").handler(routes.ops()::health);
    router.head("/health").handler(routes.ops()::health);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4")
        .end(routes.metrics().prometheus()));
    router.get("/ready").handler(routes.ops()::ready);
    router.route("/fhir*").handler(gateway);
    router.get("/fhir/metadata").handler(FhirHandlers.open(ctx -> FhirResponse.of(200, routes.metadata().get())));
    router.route("/fhir*").handler(BodyHandler.create(false).setBodyLimit(bodyLimit)).handler(caller);
    router.post("/fhir/Patient").handler(FhirHandlers.withRole(Role.POS, routes.patients()::create));
    router.get("/fhir/Patient/$ihe-pix").handler(FhirHandlers.withRole(Role.POS, routes.pix()::lookup));
    router.get("/fhir/Patient").handler(FhirHandlers.withRole(Role.PDQ, routes.pdq()::get));
    router.post("/fhir/Patient/_search").handler(FhirHandlers.withRole(Role.PDQ, routes.pdq()::post));
    router.post("/fhir/Patient/$match").handler(FhirHandlers.withRole(Role.POS, routes.match()::match));
    router.put("/fhir/Patient/:id").handler(FhirHandlers.withRole(Role.POS, routes.patients()::update));
    router.put("/fhir/Patient").handler(FhirHandlers.withRole(Role.POS, routes.feed()::conditionalUpdate));
    router.get("/fhir/Patient/:id").handler(FhirHandlers.withRole(Role.ADMIN, routes.patients()::read));
    router.post("/fhir/Subscription").handler(FhirHandlers.withRole(Role.SUBSCRIBE, routes.subs()::create));
    router.get("/fhir/Subscription").handler(FhirHandlers.withRole(Role.SUBSCRIBE, routes.subs()::search));
    router.get("/fhir/Subscription/:id").handler(FhirHandlers.withRole(Role.SUBSCRIBE, routes.subs()::read));
    router.delete("/fhir/Subscription/:id").handler(FhirHandlers.withRole(Role.SUBSCRIBE, routes.subs()::delete));
    router.post("/fhir").handler(FhirHandlers.withRole(Role.POS, routes.bundles()::post));
    for (String admin : new String[] {"/review*", "/links*"}) {
      router.route(admin).handler(gateway);
      router.route(admin).handler(BodyHandler.create(false).setBodyLimit(1 << 16)).handler(caller);
    }
    AdminRoutes admin = routes.admin();
    router.get("/review").handler(FhirHandlers.withRole(Role.ADMIN, admin::reviewQueue));
    router.get("/review/:id").handler(FhirHandlers.withRole(Role.ADMIN, admin::reviewItem));
    router.post("/review/:id").handler(FhirHandlers.withRole(Role.ADMIN, admin::decide));
    router.get("/links").handler(FhirHandlers.withRole(Role.ADMIN, admin::links));
    router.get("/links/history").handler(FhirHandlers.withRole(Role.ADMIN, admin::history));
    router.get("/links/changes").handler(FhirHandlers.withRole(Role.ADMIN, admin::changes));
    router.post("/links/break").handler(FhirHandlers.withRole(Role.ADMIN, admin::breakLink));
    router.post("/links/unbreak").handler(FhirHandlers.withRole(Role.ADMIN, admin::unbreak));
    router.post("/links/merge").handler(FhirHandlers.withRole(Role.ADMIN, admin::merge));
    router.post("/links/link").handler(FhirHandlers.withRole(Role.ADMIN, admin::link));
    router.get("/links/rematch").handler(FhirHandlers.withRole(Role.ADMIN, admin::rematchStatus));
    router.post("/links/rematch").handler(FhirHandlers.withRole(Role.ADMIN, admin::rematch));
    router.route().failureHandler(new FailureHandler());
    router.route().last().handler(ctx -> ctx.fail(404));
    return router;
  }

  /** The route handlers, built once per process and shared by every server instance. */
  public record Routes(PatientRoutes patients, BundleRoutes bundles, PixRoutes pix, MatchRoutes match, OpsRoutes ops,
                       java.util.function.Supplier<org.hl7.fhir.r4.model.CapabilityStatement> metadata,
                       Metrics metrics, AdminRoutes admin, PdqRoutes pdq, FeedRoutes feed, SubscriptionRoutes subs) {}

  private static void accessLog(RoutingContext ctx, Metrics metrics) {
    long start = System.nanoTime();
    ctx.addEndHandler(v -> {
      String matched = ctx.get(FhirHandlers.ROUTE);
      String route = matched != null ? matched : ctx.currentRoute() != null && ctx.currentRoute().getPath() != null
          ? ctx.currentRoute().getPath() : "other";
      // A response closed before it ended: the client left (or a deadline cut it off); nginx's 499 marks it.
      int status = ctx.response().ended() ? ctx.response().getStatusCode() : FailureHandler.CLIENT_GONE;
      metrics.request(ctx.request().method().name(), route, status, (System.nanoTime() - start) / 1_000);
      Object client = ctx.get(FhirHandlers.CLIENT);
      // Path only: query strings can carry identifiers, which are personal data.
      ACCESS.info("{} {} {} {}ms client={}", ctx.request().method(), LogText.escape(ctx.request().path()),
          status, (System.nanoTime() - start) / 1_000_000,
          client == null ? "-" : ((org.clientregistry.config.ClientConfig) client).id());
    });
    ctx.next();
  }
}
