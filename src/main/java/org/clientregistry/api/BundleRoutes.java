package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.clientregistry.calls.CallLog;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.fhir.OperationOutcomes;
import org.clientregistry.fhir.PatientViews;
import org.clientregistry.linking.SubmissionResult;
import org.clientregistry.linking.SubmissionService;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryResponseComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** POST /fhir: a batch (entries independent) or transaction (all or nothing) Bundle of Patients, or a PMIR message. */
public final class BundleRoutes {
  public static final String CRUID_EXTENSION = "http://openclientregistry.org/fhir/StructureDefinition/cruid";
  /** What linking did with the entry (created, linked, review, updated, unchanged), for importers' reports. */
  public static final String OUTCOME_EXTENSION =
      "http://openclientregistry.org/fhir/StructureDefinition/link-outcome";

  /** Batch entries submitted at once (each still waits for the locks of the records it could match). */
  static final int BATCH_IN_FLIGHT = 8;

  private final SubmissionService submissions;
  private final RequestBodies bodies;
  private final WorkerExecutor worker;
  private final PatientRoutes patients;
  private final int maxEntries;
  private final PmirRoutes pmir;

  public BundleRoutes(SubmissionService submissions, WorkerExecutor worker, PatientRoutes patients, int maxEntries,
                      PmirRoutes pmir) {
    this.pmir = pmir;
    this.submissions = submissions;
    this.bodies = new RequestBodies(worker);
    this.worker = worker;
    this.patients = patients;
    this.maxEntries = maxEntries;
  }

  public Future<FhirResponse> post(RoutingContext ctx) {
    ClientConfig client = FhirHandlers.client(ctx);
    CallLog log = FhirHandlers.calls(ctx);
    return bodies.resource(ctx).compose(resource -> {
      if (!(resource instanceof Bundle bundle)) {
        throw FhirException.badRequest("POST /fhir takes a Bundle of type batch, transaction or message, got "
            + resource.fhirType());
      }
      int size = bundle.getType() == BundleType.MESSAGE ? org.clientregistry.pmir.PmirMessage.size(bundle)
          : bundle.getEntry().size();
      if (size > maxEntries) {
        throw new FhirException(413, IssueType.TOOLONG, "The Bundle has " + size
            + " entries; the configured limit is " + maxEntries + " (server.maxBundleEntries)");
      }
      if (bundle.getType() == BundleType.TRANSACTION) {
        return transaction(client, bundle, log);
      }
      if (bundle.getType() == BundleType.BATCH) {
        return batch(client, bundle, log);
      }
      if (bundle.getType() == BundleType.MESSAGE) {
        return pmir.feed(client, bundle, log); // PMIR (ITI-93)
      }
      throw FhirException.badRequest("Bundle.type must be batch, transaction or message, got " + bundle.getType());
    });
  }

  /**
   * Each entry on its own, up to {@link #BATCH_IN_FLIGHT} at a time in entry order. Entries that could match each
   * other still meet: they share blocking keys, whose locks make the later one wait for the earlier one's commit
   * (linking.md, concurrency). Running several at once lets the store commit them together.
   */
  private Future<FhirResponse> batch(ClientConfig client, Bundle bundle, CallLog log) {
    int size = bundle.getEntry().size();
    Object[] outcomes = new Object[size]; // a SubmissionResult or the failure, per entry
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(BATCH_IN_FLIGHT, size); lane++) {
      lanes.add(nextEntry(client, bundle, log, outcomes, next));
    }
    return Future.all(lanes).compose(v -> respond(BundleType.BATCHRESPONSE, Arrays.asList(outcomes)));
  }

  /** One lane of a batch: takes the next entry not yet taken, submits it, and goes on until none are left. */
  private Future<Void> nextEntry(ClientConfig client, Bundle bundle, CallLog log, Object[] outcomes,
                                 AtomicInteger next) {
    int index;
    SubmissionService.Entry e;
    while (true) { // entries refused before submission are answered here, in a loop rather than a deep chain
      index = next.getAndIncrement();
      if (index >= outcomes.length) {
        return Future.succeededFuture();
      }
      try {
        e = toEntry(bundle.getEntry().get(index), index);
        break;
      } catch (FhirException ex) {
        outcomes[index] = ex;
      }
    }
    int taken = index;
    return submissions.submit(client, e.patient(), e.targetId(), log).<Object>map(r -> r)
        .recover(Future::succeededFuture)
        .compose(o -> {
          outcomes[taken] = o;
          return nextEntry(client, bundle, log, outcomes, next);
        });
  }

  private Future<FhirResponse> transaction(ClientConfig client, Bundle bundle, CallLog log) {
    List<SubmissionService.Entry> entries = new ArrayList<>();
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      entries.add(toEntry(bundle.getEntry().get(i), i));
    }
    return submissions.submitAll(client, entries, log)
        .compose(results -> respond(BundleType.TRANSACTIONRESPONSE, new ArrayList<>(results)));
  }

  /** Builds the response Bundle on a worker: each entry re-reads its stored record, too much for an event loop. */
  private Future<FhirResponse> respond(BundleType type, List<Object> outcomes) {
    return worker.executeBlocking(() -> {
      Bundle response = new Bundle().setType(type);
      java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
      int failed = 0;
      for (Object o : outcomes) {
        BundleEntryComponent out = response.addEntry();
        if (o instanceof SubmissionResult r) {
          fill(out, r);
          counts.merge(PatientRoutes.outcome(r), 1, Integer::sum);
        } else {
          failed++;
          FhirException mapped = FailureHandler.map((Throwable) o, 500);
          out.getResponse().setStatus(mapped.status() + " " + reason(mapped.status()))
              .setOutcome(OperationOutcomes.error(mapped.issueType(), mapped.getMessage()));
        }
      }
      FhirResponse answer = FhirResponse.of(200, response).property("entries", String.valueOf(outcomes.size()));
      counts.forEach((outcome, n) -> answer.property(outcome, String.valueOf(n)));
      if (failed > 0) {
        answer.property("failedEntries", String.valueOf(failed));
      }
      return answer;
    }, false);
  }

  private static SubmissionService.Entry toEntry(BundleEntryComponent entry, int index) {
    Resource resource = entry.getResource();
    if (!(resource instanceof Patient patient)) {
      throw FhirException.badRequest("Bundle entry " + index + ": only Patient resources are accepted, got "
          + (resource == null ? "no resource" : resource.fhirType()) + " (this registry stores no clinical data)");
    }
    if (!entry.hasRequest() || entry.getRequest().getMethod() == HTTPVerb.POST) {
      return new SubmissionService.Entry(patient, null);
    }
    if (entry.getRequest().getMethod() == HTTPVerb.PUT) {
      String url = entry.getRequest().getUrl();
      if (url == null || !url.matches("Patient/[A-Za-z0-9\\-.]{1,64}")) {
        throw FhirException.badRequest("Bundle entry " + index + ": PUT needs request.url Patient/<id>, got '"
            + url + "'");
      }
      return new SubmissionService.Entry(patient, url.substring("Patient/".length()));
    }
    throw FhirException.badRequest("Bundle entry " + index + ": method " + entry.getRequest().getMethod()
        + " is not supported; use POST or PUT");
  }

  private void fill(BundleEntryComponent out, SubmissionResult r) {
    SourceRecord record = r.record();
    out.setFullUrl(patients.location(record));
    out.setResource(PatientViews.source(record));
    BundleEntryResponseComponent response = out.getResponse();
    response.setStatus(r.created() ? "201 Created" : "200 OK")
        .setLocation("Patient/" + record.id() + "/_history/" + record.version())
        .setEtag(PatientRoutes.etag(record.version()));
    response.addExtension(CRUID_EXTENSION, new Reference("Patient/" + record.goldenId()));
    response.addExtension(OUTCOME_EXTENSION, new org.hl7.fhir.r4.model.CodeType(
        r.outcome().equals("unchanged") ? "unchanged" : PatientRoutes.outcome(r)));
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
