package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import org.clientregistry.subscriptions.Subscriptions;

/** /fhir/Subscription (ITI-94): create, read, search and delete rest-hook subscriptions to patient changes. */
public final class SubscriptionRoutes {
  private final Subscriptions subscriptions;
  private final RequestBodies bodies;
  private final String baseUrl;

  public SubscriptionRoutes(Subscriptions subscriptions, WorkerExecutor worker, String baseUrl) {
    this.subscriptions = subscriptions;
    this.bodies = new RequestBodies(worker);
    this.baseUrl = baseUrl;
  }

  public Future<FhirResponse> create(RoutingContext ctx) {
    return bodies.resource(ctx).compose(r -> subscriptions.create(FhirHandlers.client(ctx), r))
        .map(json -> FhirResponse.ofJson(201, json).header("Location", baseUrl + "/fhir/Subscription/"
            + new io.vertx.core.json.JsonObject(json).getString("id")));
  }

  public Future<FhirResponse> read(RoutingContext ctx) {
    return Future.succeededFuture(FhirResponse.ofJson(200,
        subscriptions.read(FhirHandlers.client(ctx), ctx.pathParam("id"))));
  }

  public Future<FhirResponse> search(RoutingContext ctx) {
    return Future.succeededFuture(FhirResponse.ofJson(200, subscriptions.search(FhirHandlers.client(ctx))));
  }

  public Future<FhirResponse> delete(RoutingContext ctx) {
    return subscriptions.delete(FhirHandlers.client(ctx), ctx.pathParam("id"))
        .map(v -> FhirResponse.ofJson(204, null));
  }
}
