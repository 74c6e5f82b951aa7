package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.fhir.StrictJson;
import org.clientregistry.linking.SubmissionPreparer;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/** Reads FHIR request bodies: content type check, then parsing on a worker (bundles can be large). */
final class RequestBodies {
  private static final Set<String> FHIR_TYPES = Set.of("application/fhir+json", "application/json",
      "application/json+fhir");

  private final WorkerExecutor worker;

  RequestBodies(WorkerExecutor worker) {
    this.worker = worker;
  }

  Future<Resource> resource(RoutingContext ctx) {
    try {
      return worker.executeBlocking(parser(ctx), false);
    } catch (FhirException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * What parses the body, to run on a worker: the content type is checked now (a FhirException if it is not FHIR
   * JSON), the body is read now, on the event loop.
   */
  java.util.concurrent.Callable<Resource> parser(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !FHIR_TYPES.contains(type.split(";")[0].trim().toLowerCase())) {
      throw new FhirException(415, IssueType.NOTSUPPORTED, "Content-Type '" + type
          + "' is not supported; send application/fhir+json");
    }
    io.vertx.core.buffer.Buffer raw = ctx.body().buffer();
    return () -> {
      byte[] bytes = raw == null ? new byte[0] : raw.getBytes();
      StrictJson.check(bytes); // what HAPI's parser would let through (invalid UTF-8, control characters, ...)
      String body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      Resource resource = Fhir.parse(body);
      if (resource instanceof Patient patient) {
        // The body as sent: the registry stores it (less its own elements) instead of encoding the Patient again.
        patient.setUserData(SubmissionPreparer.SUBMITTED_JSON, body);
      }
      return resource;
    };
  }

  /** What parses a Patient body, to run on a worker; for PUT its id, when present, must match the URL. */
  java.util.concurrent.Callable<Patient> patientParser(RoutingContext ctx, String urlId) {
    java.util.concurrent.Callable<Resource> parse = parser(ctx);
    return () -> {
      Resource resource = parse.call();
      if (!(resource instanceof Patient patient)) {
        throw FhirException.badRequest("Expected a Patient resource, got " + resource.fhirType());
      }
      if (urlId != null && patient.hasIdElement() && patient.getIdElement().hasIdPart()
          && !patient.getIdElement().getIdPart().equals(urlId)) {
        throw FhirException.badRequest("The Patient id '" + patient.getIdElement().getIdPart()
            + "' does not match the URL id '" + urlId + "'");
      }
      return patient;
    };
  }
}
