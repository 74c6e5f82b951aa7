package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Glue between routes and FHIR logic: role checks, the calling client, and writing FhirResponses. */
public final class FhirHandlers {
  public static final String FHIR_JSON = "application/fhir+json; charset=utf-8";
  static final String CLIENT = org.clientregistry.security.CallerHandler.CLIENT;
  static final String ROUTE = "cr.route";
  public static final String CALLS = "cr.calls";
  public static final String ENVELOPE = "cr.envelope";

  private FhirHandlers() {}

  /** A route handler that requires a role, runs the action and writes its answer (or fails the context). */
  public static Handler<RoutingContext> withRole(Role role, Function<RoutingContext, Future<FhirResponse>> action) {
    return ctx -> {
      ctx.put(ROUTE, ctx.currentRoute().getPath()); // for metrics, even when the answer is an error
      Future<FhirResponse> answer;
      try {
        ClientConfig client = client(ctx);
        if (!client.has(role)) {
          throw FhirException.forbidden("Client '" + client.id() + "' lacks the " + role.name().toLowerCase()
              + " role needed here");
        }
        answer = action.apply(ctx);
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onSuccess(r -> write(ctx, r)).onFailure(ctx::fail);
    };
  }

  /** A route handler open to any caller (metadata). */
  public static Handler<RoutingContext> open(Function<RoutingContext, FhirResponse> action) {
    return ctx -> write(ctx, action.apply(ctx));
  }

  public static ClientConfig client(RoutingContext ctx) {
    ClientConfig client = ctx.get(CLIENT);
    if (client == null) {
      throw new FhirException(401, IssueType.LOGIN, "No client identity on this request");
    }
    return client;
  }

  /** Where upstream calls made for this request are recorded (OpenHIM orchestrations); NONE standalone. */
  public static org.clientregistry.calls.CallLog calls(RoutingContext ctx) {
    org.clientregistry.calls.CallLog log = ctx.get(CALLS);
    return log == null ? org.clientregistry.calls.CallLog.NONE : log;
  }

  /** Writes an answer: as FHIR, or wrapped in the request's envelope (OpenHIM) when one is set. */
  public static void write(RoutingContext ctx, FhirResponse r) {
    if (ctx.response().ended()) {
      return;
    }
    encode(ctx, r).onSuccess(body -> {
      ResponseEnvelope envelope = ctx.get(ENVELOPE);
      if (envelope != null) {
        envelope.write(ctx, r, body);
      } else {
        plain(ctx, r, body);
      }
    }).onFailure(ctx::fail);
  }

  private static Future<String> encode(RoutingContext ctx, FhirResponse r) {
    if (r.body() == null) {
      return Future.succeededFuture(r.json());
    }
    if (r.body() instanceof Bundle) {
      // Bundles can hold thousands of entries: encode them off the event loop.
      return ctx.vertx().executeBlocking(() -> Fhir.encode(r.body()), false);
    }
    return Future.succeededFuture(Fhir.encode(r.body()));
  }

  private static void plain(RoutingContext ctx, FhirResponse r, String body) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(r.status());
    r.headers().forEach(response::putHeader);
    if (body == null) {
      response.end();
      return;
    }
    if (!r.headers().containsKey("Content-Type")) {
      response.putHeader("Content-Type", FHIR_JSON);
    }
    response.end(body);
  }
}
