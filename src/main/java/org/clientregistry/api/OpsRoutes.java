package org.clientregistry.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.clientregistry.store.PatientStore;

/** /health (the process serves) and /ready (store reachable and index loaded). No OpenHIM envelope. */
public final class OpsRoutes {
  private final PatientStore store;
  private final BooleanSupplier indexLoaded;
  private final IntSupplier indexSize;
  private final Supplier<String> notReady;
  private final Supplier<JsonObject> detail;
  /** False once the index missed a committed write (it no longer mirrors the store until rebuilt). */
  private volatile BooleanSupplier indexInStep = () -> true;

  /**
   * @param notReady why the registry is not ready besides its index and store (OpenHIM mode), or null
   * @param detail   fields added to every /ready answer (OpenHIM mode: the config's source), or null
   */
  public OpsRoutes(PatientStore store, BooleanSupplier indexLoaded, IntSupplier indexSize,
                   Supplier<String> notReady, Supplier<JsonObject> detail) {
    this.notReady = notReady;
    this.detail = detail;
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
      ready(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "matching index is loading"));
      return;
    }
    String why = notReady.get();
    if (why != null) {
      ready(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", why));
      return;
    }
    if (!indexInStep.getAsBoolean()) {
      ready(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "the matching index missed a committed "
          + "write; restart the registry to rebuild it from the store"));
      return;
    }
    store.ping()
        .onSuccess(v -> ready(ctx, 200, new JsonObject().put("status", "UP").put("indexedRecords",
            indexSize.getAsInt())))
        .onFailure(e -> ready(ctx, 503, new JsonObject().put("status", "DOWN")
            .put("reason", "store unreachable: " + e.getMessage())));
  }

  private void ready(RoutingContext ctx, int status, JsonObject body) {
    JsonObject more = detail.get();
    json(ctx, status, more == null ? body : body.mergeIn(more));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
