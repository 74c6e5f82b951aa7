package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import io.vertx.core.Vertx;

/** One HTTP server instance; several are deployed (one per event loop) and share the listening port. */
public final class HttpServerVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final Function<Vertx, Router> routerFactory;
  private final ConnectionGuard guard;
  private HttpServer server;

  /** @param guard the process's connection caps and deadlines, shared by every instance */
  public HttpServerVerticle(HttpServerOptions options, Function<Vertx, Router> routerFactory, ConnectionGuard guard) {
    this.options = options;
    this.routerFactory = routerFactory;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    Router router = routerFactory.apply(vertx);
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> guard.connected(vertx, connection))
        .invalidRequestHandler(new InvalidRequests())
        .requestHandler(request -> {
          guard.request(request);
          router.handle(request);
        });
    return server.listen();
  }

  /** Stops accepting, lets requests in flight finish (up to 10 s), then closes: nothing acknowledged is cut off. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(java.time.Duration.ofSeconds(10));
  }

  public int actualPort() {
    return server.actualPort();
  }
}
