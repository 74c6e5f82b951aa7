package org.clientregistry.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.clientregistry.store.PatientStore;

/** /health (the process serves) and /ready (store reachable and index loaded). No OpenHIM envelope. */
public final class OpsRoutes {
  private final PatientStore store;
  private final BooleanSupplier indexLoaded;
  private final IntSupplier indexSize;
  private final BooleanSupplier registered;
  /** False once the index missed a committed write (it no longer mirrors the store until rebuilt). */
  private volatile BooleanSupplier indexInStep = () -> true;

  /** @param registered whether the registry is registered with OpenHIM core (always true standalone) */
  public OpsRoutes(PatientStore store, BooleanSupplier indexLoaded, IntSupplier indexSize,
                   BooleanSupplier registered) {
    this.registered = registered;
    this.store = store;
    this.indexLoaded = indexLoaded;
    this.indexSize = indexSize;
  }

  /** What /ready asks about the index besides being loaded. */
  public OpsRoutes indexInStep(BooleanSupplier inStep) {
    this.indexInStep = inStep;
    return this;
  }

  /**
   * /health and /ready alone, for the plain-HTTP health port on the loopback interface ({@code server.healthPort}):
   * container health checks hold no client certificate.
   */
  public io.vertx.ext.web.Router healthRouter(io.vertx.core.Vertx vertx) {
    io.vertx.ext.web.Router router = io.vertx.ext.web.Router.router(vertx);
    router.get("/health").handler(this::health);
    router.head("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.route().last().handler(ctx -> json(ctx, 404, new JsonObject().put("status", "no such route")));
    return router;
  }

  public void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    if (!indexLoaded.getAsBoolean()) {
      json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "matching index is loading"));
      return;
    }
    if (!registered.getAsBoolean()) {
      json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "not registered with OpenHIM core"));
      return;
    }
    if (!indexInStep.getAsBoolean()) {
      json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "the matching index missed a committed "
          + "write; restart the registry to rebuild it from the store"));
      return;
    }
    store.ping()
        .onSuccess(v -> json(ctx, 200, new JsonObject().put("status", "UP").put("indexedRecords",
            indexSize.getAsInt())))
        .onFailure(e -> json(ctx, 503, new JsonObject().put("status", "DOWN")
            .put("reason", "store unreachable: " + e.getMessage())));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
