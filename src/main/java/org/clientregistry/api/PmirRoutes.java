package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.UUID;
import org.clientregistry.calls.CallLog;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.fhir.OperationOutcomes;
import org.clientregistry.fhir.PatientViews;
import org.clientregistry.pmir.PmirFeed;
import org.clientregistry.pmir.PmirMessage;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.MessageHeader.ResponseType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;

/**
 * POST /fhir with a message Bundle: the PMIR Mobile Patient Identity Feed (ITI-93). Answers a message Bundle in
 * every case: the MessageHeader's response code (ok, or fatal-error / transient-error with the HTTP status of the
 * failure), an OperationOutcome saying what each entry came to, and a history Bundle of the written records.
 */
public final class PmirRoutes {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PmirRoutes.class);
  private final PmirFeed feed;
  private final WorkerExecutor worker;
  private final PatientRoutes patients;
  private final String endpoint;

  public PmirRoutes(PmirFeed feed, WorkerExecutor worker, PatientRoutes patients, String baseUrl) {
    this.feed = feed;
    this.worker = worker;
    this.patients = patients;
    this.endpoint = baseUrl + "/fhir";
  }

  Future<FhirResponse> feed(ClientConfig client, Bundle message, CallLog log) {
    String[] requestId = new String[1];
    return worker.executeBlocking(() -> PmirMessage.read(message), false)
        .compose(m -> {
          requestId[0] = m.headerId();
          return feed.process(client, m, log).compose(done -> worker.executeBlocking(() -> ok(m, done), false));
        })
        .recover(e -> {
          FhirException mapped = FailureHandler.map(e, 500);
          if (mapped.status() >= 500) {
            LOG.error("PMIR message failed: {}", mapped.getMessage(), e); // answered here, not by FailureHandler
          }
          if (requestId[0] == null && message.getEntryFirstRep().getResource() instanceof MessageHeader h) {
            requestId[0] = h.getIdElement().getIdPart();
          }
          Bundle answer = response(requestId[0], mapped.status() >= 500 || mapped.status() == 409
              ? ResponseType.TRANSIENTERROR : ResponseType.FATALERROR,
              OperationOutcomes.error(mapped.issueType(), mapped.getMessage()));
          FhirResponse r = FhirResponse.of(mapped.status(), answer).property("pmir", "refused");
          mapped.headers().forEach(r::header);
          return Future.succeededFuture(r);
        });
  }

  private FhirResponse ok(PmirMessage m, List<PmirFeed.Done> done) {
    OperationOutcome outcome = new OperationOutcome();
    Bundle history = new Bundle().setType(BundleType.HISTORY);
    boolean created = false;
    for (PmirFeed.Done d : done) {
      SourceRecord r = d.record();
      created |= d.result().created();
      String what = switch (d.action().kind()) {
        case MERGE -> "merged: replaced by Patient/" + d.survivorId();
        case DELETE -> "deprecated (active false)";
        default -> PatientRoutes.outcome(d.result());
      };
      outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
          .setDiagnostics("entry " + d.action().index() + ": Patient/" + r.id() + " " + what + "; CRUID "
              + r.goldenId());
      Bundle.BundleEntryComponent e = history.addEntry().setFullUrl(patients.location(r))
          .setResource(PatientViews.source(r));
      e.getResponse().setStatus(d.result().created() ? "201 Created" : "200 OK")
          .setLocation("Patient/" + r.id() + "/_history/" + r.version());
    }
    m.notes().forEach(n -> outcome.addIssue().setSeverity(IssueSeverity.INFORMATION)
        .setCode(IssueType.INFORMATIONAL).setDiagnostics(n));
    Bundle answer = response(m.headerId(), ResponseType.OK, outcome);
    answer.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(history);
    return FhirResponse.of(created ? 201 : 200, answer).property("pmir", "ok")
        .property("entries", String.valueOf(done.size()));
  }

  /** The response message: MessageHeader (response to the request's id) and the OperationOutcome it points to. */
  private Bundle response(String requestId, ResponseType code, OperationOutcome outcome) {
    Bundle answer = new Bundle().setType(BundleType.MESSAGE);
    answer.setId(UUID.randomUUID().toString());
    answer.getTimestampElement().setValue(new java.util.Date());
    String outcomeUrl = "urn:uuid:" + UUID.randomUUID();
    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header.setEvent(new org.hl7.fhir.r4.model.UriType(PmirMessage.EVENT));
    header.getSource().setEndpoint(endpoint);
    header.getResponse().setIdentifier(requestId == null ? "unknown" : requestId).setCode(code)
        .setDetails(new Reference(outcomeUrl));
    answer.addEntry().setFullUrl("urn:uuid:" + header.getIdElement().getIdPart()).setResource(header);
    answer.addEntry().setFullUrl(outcomeUrl).setResource(outcome);
    return answer;
  }
}
