package org.clientregistry.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.clientregistry.security.TlsServerOptions;

/**
 * The administrators' console: its own HTTPS listener (the registry's server certificate; no client certificate,
 * people sign in), on localhost unless configured otherwise, never behind the OpenHIM channel. Pages under
 * {@code /admin}; one route per line, the work in the page classes.
 */
public final class ConsoleServer {
  private static final long BODY_LIMIT = 512 * 1024; // an edited rules text is the largest form
  private final HttpServer server;

  private ConsoleServer(HttpServer server) {
    this.server = server;
  }

  public static Future<ConsoleServer> start(Vertx vertx, RegistryConfig config, ConsoleServices services) {
    RegistryConfig.Console c = config.console();
    HttpServerOptions options = new HttpServerOptions().setHost(c.host()).setPort(c.port()).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tls().serverCertificate().toString())
            .setKeyPath(config.tls().serverKey().toString()))
        .setSslEngineOptions(TlsServerOptions.engine()).setCompressionSupported(true);
    Router router = router(vertx, c, services);
    return vertx.createHttpServer(options).requestHandler(router).listen().map(ConsoleServer::new);
  }

  static Router router(Vertx vertx, RegistryConfig.Console c, ConsoleServices s) {
    Guard guard = new Guard(s.accounts());
    SignInPages signIn = new SignInPages(s.accounts());
    DashboardPage dashboard = new DashboardPage(s);
    ReviewPages review = new ReviewPages(s);
    GoldenPage golden = new GoldenPage(s);
    SearchPage search = new SearchPage(s);
    RulesPage rules = new RulesPage(s);
    UsersPage users = new UsersPage(s);
    Router r = Router.router(vertx);
    r.route().failureHandler(ctx -> Responses.error(ctx, ctx.failure() != null ? ctx.failure()
        : new FhirException(ctx.statusCode() > 0 ? ctx.statusCode() : 500, IssueType.PROCESSING, "Refused")));
    r.errorHandler(404, ctx -> Responses.html(ctx, 404, Html.page(null, "Not found", "",
        "<p>There is no such page. <a href=\"/admin/\">Go to the dashboard</a>.</p>")));
    r.get("/admin/static/*").handler(StaticHandler.create("console").setCachingEnabled(true));
    r.route("/admin/*").handler(Guard::headers);
    r.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    r.route("/admin/*").handler(SessionHandler.create(LocalSessionStore.create(vertx, "cr-console-sessions"))
        .setSessionCookieName("cr_console").setCookieSecureFlag(true).setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.STRICT).setSessionTimeout(c.idleSeconds() * 1000L));
    r.get("/admin/sign-in").handler(signIn::form);
    r.post("/admin/sign-in").handler(Guard::signInCsrf).handler(signIn::submit);
    r.route("/admin/*").handler(guard::signedIn);
    r.route("/admin/*").handler(Guard::csrf);
    r.post("/admin/sign-out").handler(signIn::signOut);
    r.get("/admin/").handler(dashboard::show);
    r.get("/admin/review").handler(review::queue);
    r.get("/admin/review/next").handler(review::next);
    r.get("/admin/review/:id").handler(review::item);
    r.post("/admin/review/:id").handler(Guard::admin).handler(review::decide);
    r.get("/admin/golden/:id").handler(golden::show);
    r.post("/admin/golden/:id/break").handler(Guard::admin).handler(golden::breakOff);
    r.post("/admin/golden/:id/merge").handler(Guard::admin).handler(golden::merge);
    r.post("/admin/golden/:id/link").handler(Guard::admin).handler(golden::link);
    r.get("/admin/search").handler(Guard::admin).handler(search::form);
    r.post("/admin/search").handler(Guard::admin).handler(search::search);
    r.get("/admin/rules").handler(rules::show);
    r.post("/admin/rules/dry-run").handler(Guard::admin).handler(rules::dryRun);
    r.get("/admin/users").handler(Guard::admin).handler(users::show);
    r.post("/admin/users/add").handler(Guard::admin).handler(users::add);
    r.post("/admin/users/state").handler(Guard::admin).handler(users::setDisabled);
    r.post("/admin/users/password").handler(Guard::admin).handler(users::resetPassword);
    r.get("/admin").handler(ctx -> Responses.redirect(ctx, "/admin/"));
    r.get("/").handler(ctx -> Responses.redirect(ctx, "/admin/"));
    return r;
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    return server.shutdown(java.time.Duration.ofSeconds(5));
  }
}
