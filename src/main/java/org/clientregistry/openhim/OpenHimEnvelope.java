package org.clientregistry.openhim;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.clientregistry.api.FhirHandlers;
import org.clientregistry.api.FhirResponse;
import org.clientregistry.api.ResponseEnvelope;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;

/**
 * The OpenHIM mediator response ({@code application/json+openhim}): the client's answer as {@code response}, one
 * orchestration per upstream call recorded for the request, {@code properties} (CRUID, outcome), and {@code error}
 * on server failures so that a channel's auto-retry acts. Client errors (4xx) carry no {@code error}: retrying them
 * would fail the same way.
 */
public final class OpenHimEnvelope implements ResponseEnvelope {
  public static final String CONTENT_TYPE = "application/json+openhim; charset=utf-8";
  private static final int LARGE_BODY = 64 * 1024;

  private final String urn;
  private final BooleanSupplier orchestrationBodies;

  /** @param orchestrationBodies whether recorded calls keep their bodies (they may hold demographics) */
  public OpenHimEnvelope(String urn, BooleanSupplier orchestrationBodies) {
    this.urn = urn;
    this.orchestrationBodies = orchestrationBodies;
  }

  @Override
  public void write(RoutingContext ctx, FhirResponse r, String body) {
    Future<String> json = body != null && body.length() > LARGE_BODY
        ? ctx.vertx().executeBlocking(() -> envelope(ctx, r, body).encode(), false)
        : Future.succeededFuture(envelope(ctx, r, body).encode());
    json.onSuccess(text -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(r.status()).putHeader("Content-Type", CONTENT_TYPE).end(text);
      }
    }).onFailure(e -> ctx.response().setStatusCode(500).end());
  }

  private JsonObject envelope(RoutingContext ctx, FhirResponse r, String body) {
    java.util.List<UpstreamCall> calls = ctx.get(FhirHandlers.CALLS) instanceof CallLog.Recorder recorder
        ? recorder.calls() : java.util.List.of();
    return envelope(r, body, calls, ctx.failure());
  }

  /** The envelope of an answer, the calls made for it, and the failure behind it (or null). */
  JsonObject envelope(FhirResponse r, String body, java.util.List<UpstreamCall> calls, Throwable failure) {
    JsonObject headers = new JsonObject();
    r.headers().forEach(headers::put);
    headers.put("content-type", FhirHandlers.FHIR_JSON);
    JsonObject out = new JsonObject()
        .put("x-mediator-urn", urn)
        .put("status", status(r))
        .put("response", new JsonObject()
            .put("status", r.status())
            .put("headers", headers)
            .put("body", body == null ? "" : body)
            .put("timestamp", Instant.now().toString()));
    io.vertx.core.json.JsonArray orchestrations = new io.vertx.core.json.JsonArray();
    boolean bodies = orchestrationBodies.getAsBoolean();
    calls.forEach(call -> orchestrations.add(orchestration(call, bodies)));
    out.put("orchestrations", orchestrations);
    JsonObject properties = new JsonObject();
    r.properties().forEach(properties::put);
    out.put("properties", properties);
    if (r.status() >= 500) {
      out.put("error", new JsonObject()
          .put("message", "Client registry answered " + r.status())
          .put("stack", failure == null ? "" : failure.getClass().getName()));
    }
    return out;
  }

  /**
   * The six values core accepts; "Completed with error(s)" when some entries of a batch failed. A 401 is core's own
   * route failing to get in (wrong route password, or a channel that does not authenticate its clients): Failed,
   * so that it shows among core's failed transactions, not as a client's mistake.
   */
  static String status(FhirResponse r) {
    if (r.status() >= 500 || r.status() == 401) {
      return "Failed";
    }
    if (r.status() >= 400) {
      return "Completed";
    }
    return r.properties().containsKey("failedEntries") ? "Completed with error(s)" : "Successful";
  }

  static JsonObject orchestration(UpstreamCall call, boolean bodies) {
    UpstreamCall.Request q = call.request();
    JsonObject request = new JsonObject()
        .put("host", q.host())
        .put("port", String.valueOf(q.port()))
        .put("path", q.path())
        .put("querystring", q.query() == null ? "" : q.query())
        .put("method", q.method())
        .put("headers", headers(q.headers()))
        .put("timestamp", q.at().toString());
    if (bodies && q.body() != null) {
      request.put("body", q.body());
    }
    UpstreamCall.Response p = call.response();
    JsonObject response = new JsonObject()
        .put("status", p.status())
        .put("headers", headers(p.headers()))
        .put("timestamp", p.at().toString());
    if (bodies && p.body() != null) {
      response.put("body", p.body());
    }
    return new JsonObject().put("name", call.name()).put("request", request).put("response", response);
  }

  /** Header values as recorded, secrets masked once more in case a recorder forgot. */
  private static JsonObject headers(Map<String, String> headers) {
    JsonObject out = new JsonObject();
    headers.forEach((k, v) -> out.put(k, isSecret(k) ? "***" : v));
    return out;
  }

  static boolean isSecret(String header) {
    String h = header.toLowerCase(java.util.Locale.ROOT);
    return h.equals("authorization") || h.equals("proxy-authorization") || h.equals("cookie")
        || h.equals("set-cookie") || h.startsWith("auth-") || h.contains("token") || h.contains("api-key");
  }
}
