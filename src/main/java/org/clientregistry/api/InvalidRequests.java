package org.clientregistry.api;

import org.clientregistry.logging.LogText;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.fhir.OperationOutcomes;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests whose line or headers HTTP cannot decode, which never reach the router: answered with an
 * OperationOutcome like every other error (Vert.x's own answer has no body), logged with the line escaped, and
 * their connection closed, since what follows on it cannot be trusted.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  private static final Logger ACCESS = LoggerFactory.getLogger("access");

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String why = status == 414 ? "The request line is too long"
        : status == 431 ? "The request headers are too large" : "The request is not well-formed HTTP";
    ACCESS.info("{} {} {} invalid request: {}", request.method(), LogText.escape(request.uri()), status,
        LogText.escape(cause == null ? "" : cause.getMessage()));
    String body = Fhir.encode(OperationOutcomes.error(IssueType.STRUCTURE, why));
    request.response().setStatusCode(status).putHeader("Content-Type", FhirHandlers.FHIR_JSON)
        .putHeader("Connection", "close").end(body)
        .onComplete(v -> request.connection().close());
  }
}
