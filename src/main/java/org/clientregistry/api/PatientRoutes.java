package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.fhir.PatientViews;
import org.clientregistry.fhir.SourceRecordJson;
import org.clientregistry.linking.SubmissionResult;
import org.clientregistry.linking.SubmissionService;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;

/** POST/PUT of one Patient (pos), and reads of source and golden records (admin). */
public final class PatientRoutes {
  private final SubmissionService submissions;
  private final PatientStore store;
  private final RequestBodies bodies;
  private final String baseUrl;
  private final String cruidSystem;

  public PatientRoutes(SubmissionService submissions, PatientStore store, WorkerExecutor worker, String baseUrl,
                       String cruidSystem) {
    this.submissions = submissions;
    this.store = store;
    this.bodies = new RequestBodies(worker);
    this.baseUrl = baseUrl;
    this.cruidSystem = cruidSystem;
  }

  /** POST: parsed and prepared in one worker turn (the content type is checked first, on the event loop). */
  public Future<FhirResponse> create(RoutingContext ctx) {
    return submissions.submit(FhirHandlers.client(ctx), bodies.patientParser(ctx, null), null,
        FhirHandlers.calls(ctx)).map(this::answer);
  }

  public Future<FhirResponse> update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return submissions.submit(FhirHandlers.client(ctx), bodies.patientParser(ctx, id), id, FhirHandlers.calls(ctx))
        .map(this::answer);
  }

  public Future<FhirResponse> read(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    PatientStore store = this.store.observed(FhirHandlers.calls(ctx));
    return store.source(id).compose(source -> {
      if (source.isPresent()) {
        return Future.succeededFuture(FhirResponse.ofJson(200, SourceRecordJson.of(source.get()))
            .header("ETag", etag(source.get().version())));
      }
      return store.golden(id).map(golden -> FhirResponse.of(200, PatientViews.golden(
              golden.orElseThrow(() -> FhirException.notFound("No Patient/" + id)), cruidSystem))
          .header("ETag", etag(golden.get().version())));
    });
  }

  FhirResponse answer(SubmissionResult result) {
    SourceRecord r = result.record();
    return FhirResponse.ofJson(result.created() ? 201 : 200, SourceRecordJson.of(r))
        .header("Location", location(r))
        .header("LocationCRUID", "Patient/" + r.goldenId())
        .header("ETag", etag(r.version()))
        .header("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
            .format(r.lastUpdated().atZone(java.time.ZoneOffset.UTC)))
        .property("cruid", r.goldenId())
        .property("outcome", outcome(result))
        .property("linking", result.outcome());
  }

  String location(SourceRecord r) {
    return baseUrl + "/fhir/Patient/" + r.id();
  }

  /** The OpenHIM property: review (uncertain links to look at), linked, updated or created. */
  static String outcome(SubmissionResult result) {
    if (result.outcome().endsWith("+review")) {
      return "review";
    }
    if (result.outcome().startsWith("linked")) {
      return "linked";
    }
    return result.created() ? "created" : "updated";
  }

  static String etag(int version) {
    return "W/\"" + version + "\"";
  }
}
