package org.clientregistry.api;

import org.clientregistry.logging.LogText;
import org.clientregistry.logging.BurstLog;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.LockTimeoutException;
import org.clientregistry.fhir.OperationOutcomes;
import org.clientregistry.store.StoreUnavailableException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become an HTTP status and an OperationOutcome. */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  /** Not an HTTP status: the access log's mark for a request whose client left before its answer (as nginx). */
  static final int CLIENT_GONE = 499;

  private BurstLog refusals; // made on first use, on this router's event loop

  private BurstLog refusals(RoutingContext ctx) {
    if (refusals == null) {
      refusals = new BurstLog(ctx.vertx(), LOG, "requests refused with 503", 10_000);
    }
    return refusals;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().closed() || ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
      // Nobody to answer: the client went (or was cut off by a deadline) before its request was in.
      LOG.info("{} {}: the connection closed before the request was answered", ctx.request().method(),
          LogText.escape(ctx.request().path()));
      if (!ctx.response().headWritten()) {
        ctx.response().setStatusCode(CLIENT_GONE);
      }
      return;
    }
    FhirException mapped = map(ctx.failure(), ctx.statusCode());
    String path = LogText.escape(ctx.request().path());
    if (mapped.status() == 503 && ctx.failure() instanceof StoreUnavailableException e) {
      // The store's own log line says why; a burst of refusals is a summary, not a stack per request.
      refusals(ctx).warn("{} {} refused (503): {}", ctx.request().method(), path, e.getMessage());
    } else if (mapped.status() == 503 && ctx.failure() instanceof FhirException) {
      // A refusal the registry chose (stopping, overloaded): worth a line, not a stack trace.
      refusals(ctx).warn("{} {} refused: {}", ctx.request().method(), path, mapped.getMessage());
    } else if (mapped.status() >= 500) {
      LOG.error("{} {} failed: {}", ctx.request().method(), path, mapped.getMessage(), ctx.failure());
    }
    FhirResponse response = FhirResponse.of(mapped.status(),
        OperationOutcomes.error(mapped.issueType(), mapped.getMessage()));
    mapped.headers().forEach(response::header);
    FhirHandlers.write(ctx, response);
  }

  static FhirException map(Throwable failure, int statusCode) {
    if (failure instanceof FhirException e) {
      return e;
    }
    if (failure instanceof StoreUnavailableException.OutcomeUnknown e) {
      return new FhirException(503, IssueType.TRANSIENT, "The patient store stopped answering during the write, so"
          + " whether it was written is unknown; send the same request again (resubmitting is idempotent)",
          Map.of("Retry-After", Integer.toString(e.retryAfterSeconds())));
    }
    if (failure instanceof StoreUnavailableException e) {
      return new FhirException(503, IssueType.TRANSIENT, "The patient store is unavailable; retry later",
          Map.of("Retry-After", Integer.toString(e.retryAfterSeconds())));
    }
    if (failure instanceof LockTimeoutException) {
      return new FhirException(503, IssueType.TRANSIENT, failure.getMessage(), Map.of("Retry-After", "1"));
    }
    if (fromHttpDecoder(failure)) {
      return FhirException.badRequest("The request is not well-formed HTTP: " + failure.getMessage());
    }
    int status = failure instanceof HttpException h ? h.getStatusCode() : statusCode;
    return switch (status) {
      case 400 -> FhirException.badRequest("Bad request");
      case 404 -> FhirException.notFound("No such route");
      case 405 -> new FhirException(405, IssueType.NOTSUPPORTED, "Method not allowed on this route");
      case 413 -> new FhirException(413, IssueType.TOOLONG, "The request body is larger than the configured limit");
      case 415 -> new FhirException(415, IssueType.NOTSUPPORTED,
          "Unsupported content type; send application/fhir+json");
      default -> new FhirException(500, IssueType.EXCEPTION, "Internal error; the request was not completed");
    };
  }

  /** Netty's HTTP decoder refused the request's framing (a malformed chunk size, say): the client's fault. */
  private static boolean fromHttpDecoder(Throwable failure) {
    StackTraceElement[] stack = failure == null ? new StackTraceElement[0] : failure.getStackTrace();
    return stack.length > 0 && stack[0].getClassName().startsWith("io.netty.handler.codec.http.");
  }
}
