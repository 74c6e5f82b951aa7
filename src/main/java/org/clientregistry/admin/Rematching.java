package org.clientregistry.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.Rematch;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The re-match job as the admin API sees it: a dry run answered at once, an apply run in the background. */
public final class Rematching {
  private static final Logger LOG = LoggerFactory.getLogger(Rematching.class);

  private final Rematch rematch;
  private volatile JsonObject last = new JsonObject().put("state", "idle");

  public Rematching(Rematch rematch) {
    this.rematch = rematch;
  }

  public Future<JsonObject> dryRun() {
    return rematch.dryRun().map(r -> json(r).put("dryRun", true));
  }

  /** Starts (or resumes) applying; answers at once with the state, which GET /links/rematch follows. */
  public Future<JsonObject> apply(String actor) {
    if (rematch.running()) {
      return Future.failedFuture(new FhirException(409, IssueType.CONFLICT, "A re-match is already running"));
    }
    last = new JsonObject().put("state", "running").put("started", Instant.now().toString()).put("by", actor);
    rematch.apply(actor, r -> last = json(r).put("state", r.done() ? "done" : "running"))
        .onSuccess(r -> LOG.info("Re-match done: {} golden records, {} records moved, {} review items",
            r.goldens(), r.moved(), r.reviewItems()))
        .onFailure(e -> {
          LOG.error("Re-match stopped: {}; applying again resumes after the last written batch", e.getMessage());
          last = last.copy().put("state", "failed").put("error", e.getMessage());
        });
    return Future.succeededFuture(last);
  }

  public Future<JsonObject> status() {
    return Future.succeededFuture(last);
  }

  private static JsonObject json(Rematch.Report r) {
    return new JsonObject().put("goldenRecords", r.goldens()).put("recordsMoved", r.moved())
        .put("recordsSplitOff", r.split()).put("recordsJoined", r.joined())
        .put("goldenRecordsEmptied", r.goldensEmptied()).put("reviewItems", r.reviewItems())
        .put("resumedAfter", r.resumedAfter()).put("done", r.done()).put("sample", AdminJson.events(r.sample()));
  }
}
