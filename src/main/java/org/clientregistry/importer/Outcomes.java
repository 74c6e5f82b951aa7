package org.clientregistry.importer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads the registry's answers: per entry of a batch-response, and the reason of a refusal. */
final class Outcomes {
  static final String CRUID_EXTENSION = "http://openclientregistry.org/fhir/StructureDefinition/cruid";
  static final String OUTCOME_EXTENSION = "http://openclientregistry.org/fhir/StructureDefinition/link-outcome";

  /** One record's fate: created, linked, review, updated, unchanged or refused. */
  record Outcome(String outcome, String cruid, String reason) {
    static Outcome refused(String reason) {
      return new Outcome("refused", null, reason);
    }
  }

  private Outcomes() {}

  /** The outcome of each entry of a batch-response, in entry order. */
  static List<Outcome> ofBatch(Buffer body) {
    JsonArray entries = body.toJsonObject().getJsonArray("entry", new JsonArray());
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject response = entries.getJsonObject(i).getJsonObject("response", new JsonObject());
      String status = response.getString("status", "");
      if (!status.startsWith("2")) {
        out.add(Outcome.refused(status + ": " + reason(response.getJsonObject("outcome"))));
        continue;
      }
      String outcome = status.startsWith("201") ? "created" : "updated";
      String cruid = null;
      for (Object o : response.getJsonArray("extension", new JsonArray())) {
        JsonObject ext = (JsonObject) o;
        if (OUTCOME_EXTENSION.equals(ext.getString("url"))) {
          outcome = ext.getString("valueCode", outcome);
        } else if (CRUID_EXTENSION.equals(ext.getString("url"))) {
          cruid = ext.getJsonObject("valueReference", new JsonObject()).getString("reference", "")
              .replaceFirst("^Patient/", "");
        }
      }
      out.add(new Outcome(outcome, cruid, null));
    }
    return out;
  }

  /** The diagnostics of an OperationOutcome (the registry's reason), or a placeholder. */
  static String reason(JsonObject operationOutcome) {
    if (operationOutcome == null) {
      return "no reason given";
    }
    List<String> parts = new ArrayList<>();
    for (Object o : operationOutcome.getJsonArray("issue", new JsonArray())) {
      JsonObject issue = (JsonObject) o;
      parts.add(issue.getString("diagnostics", issue.getString("code", "")));
    }
    return parts.isEmpty() ? "no reason given" : String.join("; ", parts);
  }

  /** The reason in an error answer's body, which should be an OperationOutcome. */
  static String reason(Buffer body) {
    try {
      return reason(body == null ? null : body.toJsonObject());
    } catch (RuntimeException e) {
      return "no reason given";
    }
  }
}
