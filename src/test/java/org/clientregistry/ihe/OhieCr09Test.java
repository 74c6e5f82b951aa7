package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-09-FHIR (merge governance): source B may not merge its record into source A's; the registry answers 403
 * with a response message whose MessageHeader carries fatal-error and an OperationOutcome naming the reason.
 */
class OhieCr09Test extends OhieRegistryTest {

  @Test
  void aSourceMayNotMergeIntoAnotherSourcesRecord() {
    JsonObject aBody = casePatient("JONES", "BLOCKED", "female", "1989-02-12", official(TEST_A, "FHRA-090"),
        id(NID, "NID090"));
    aBody.getJsonArray("name").getJsonObject(0).put("given", new JsonArray().add("BLOCKED").add("MERGE"));
    HttpResponse<Buffer> a = feed(HARNESS_A, historyEntry("POST", "Patient/ohie-cr-09-10-fhir", aBody));
    assertEquals(201, a.statusCode(), a.bodyAsString());
    assertEquals("ok", responseCode(a));
    String personA = referTo(fedPatients(a).get(0));

    JsonObject bBody = casePatient("JONES", "BLOCK", "female", null, official(TEST_B, "FHRB-090"), id(NID, "NID091"));
    bBody.getJsonArray("name").getJsonObject(0).put("given", new JsonArray().add("BLOCK").add("MERGE"));
    HttpResponse<Buffer> b = feed(HARNESS_B, historyEntry("POST", "Patient/ohie-cr-09-20-fhir", bBody));
    assertEquals(201, b.statusCode(), b.bodyAsString());
    assertEquals("ok", responseCode(b));
    String personB = referTo(fedPatients(b).get(0));
    assertNotEquals(personA, personB);

    JsonObject merge = casePatient("JONES", "BLOCK", "female", null, official(TEST_B, "FHRB-090"))
        .put("active", false).put("link", new JsonArray().add(new JsonObject().put("type", "replaced-by")
            .put("other", new JsonObject().put("type", "Patient").put("identifier", new JsonObject()
                .put("system", TEST_A).put("value", "FHRA-090")))));
    merge.remove("name");
    HttpResponse<Buffer> r = feed(HARNESS_B, historyEntry("PUT", "Patient/ohie-cr-09-30-fhir", merge));
    assertTrue(r.statusCode() == 422 || r.statusCode() == 400 || r.statusCode() == 403, r.bodyAsString());
    assertEquals(403, r.statusCode(), "the registry's answer: forbidden");
    assertEquals("fatal-error", responseCode(r));
    String diagnostics = messageOutcome(r).getJsonArray("issue").getJsonObject(0).getString("diagnostics");
    assertTrue(diagnostics.contains("may merge only its own records"), diagnostics);

    HttpResponse<Buffer> still = pix(HARNESS_B, "sourceIdentifier=" + TEST_B + "|FHRB-090");
    assertEquals(200, still.statusCode(), still.bodyAsString());
    assertFalse(values(still.bodyAsJsonObject(), "targetIdentifier").contains(TEST_A + "|FHRA-090"),
        "nothing was merged: " + still.bodyAsString());
    assertTrue(values(still.bodyAsJsonObject(), "targetId").contains("Patient/" + personB));
  }
}
