package org.clientregistry.api;

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

  @Override
  public void handle(RoutingContext ctx) {
    FhirException mapped = map(ctx.failure(), ctx.statusCode());
    if (mapped.status() == 503 && ctx.failure() instanceof FhirException) {
      // A refusal the registry chose (stopping, overloaded): worth a line, not a stack trace.
      LOG.warn("{} {} refused: {}", ctx.request().method(), ctx.request().path(), mapped.getMessage());
    } else if (mapped.status() >= 500) {
      LOG.error("{} {} failed: {}", ctx.request().method(), ctx.request().path(), mapped.getMessage(),
          ctx.failure());
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
    if (failure instanceof StoreUnavailableException e) {
      return new FhirException(503, IssueType.TRANSIENT, "The patient store is unavailable; retry later",
          Map.of("Retry-After", Integer.toString(e.retryAfterSeconds())));
    }
    if (failure instanceof LockTimeoutException) {
      return new FhirException(503, IssueType.TRANSIENT, failure.getMessage(), Map.of("Retry-After", "1"));
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
}
