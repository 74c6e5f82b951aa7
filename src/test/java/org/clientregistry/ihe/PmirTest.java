package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * PMIR Mobile Patient Identity Feed (ITI-93) over HTTPS: create, update, delete (deprecation), merge of a client's
 * own records by {@code replaced-by}, the refusals (unmerge 405, golden records and other clients' records 403, a
 * wrong event 400), each answered with a response message.
 */
class PmirTest extends OhieRegistryTest {

  private static JsonObject replacedBy(JsonObject patient, JsonObject other) {
    return patient.copy().put("active", false).put("link", new JsonArray().add(new JsonObject()
        .put("other", other).put("type", "replaced-by")));
  }

  @Test
  void createThenUpdate() {
    HttpResponse<Buffer> created = feed(HARNESS, historyEntry("POST", "Patient/p1", casePatient("OTIENO", "ANN",
        "female", "1991-02-03", id(TEST, "pmir-1"))));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("ok", responseCode(created));
    JsonObject written = fedPatients(created).get(0);
    assertTrue(identifiers(written).contains(TEST + "|pmir-1"), written.encode());
    String cruid = referTo(written);

    HttpResponse<Buffer> updated = feed(HARNESS, historyEntry("PUT", "Patient/p1", casePatient("OTIENO", "ANNE",
        "female", "1991-02-03", id(TEST, "pmir-1"))));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals("ok", responseCode(updated));
    assertEquals(written.getString("id"), fedPatients(updated).get(0).getString("id"), "the same record");
    assertEquals(cruid, referTo(fedPatients(updated).get(0)));
    assertEquals("ANNE", registry.get("admin", "/fhir/Patient/" + written.getString("id")).bodyAsJsonObject()
        .getJsonArray("name").getJsonObject(0).getJsonArray("given").getString(0));
  }

  @Test
  void deleteDeprecatesTheCallersOwnRecordOnly() {
    HttpResponse<Buffer> created = feed(HARNESS, historyEntry("POST", "Patient/p2", casePatient("WANJIRU", "GRACE",
        "female", "1970-07-07", id(TEST, "pmir-2"))));
    String id = fedPatients(created).get(0).getString("id");

    HttpResponse<Buffer> foreign = feed(HARNESS_B, historyEntry("DELETE", "Patient/" + id, null));
    assertEquals(403, foreign.statusCode(), foreign.bodyAsString());
    assertEquals("fatal-error", responseCode(foreign));

    HttpResponse<Buffer> deleted = feed(HARNESS, historyEntry("DELETE", "Patient/" + id, null));
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertEquals("ok", responseCode(deleted));
    JsonObject read = registry.get("admin", "/fhir/Patient/" + id).bodyAsJsonObject();
    assertFalse(read.getBoolean("active"), "a deleted record is kept deprecated: " + read.encode());
  }

  @Test
  void mergeOfOwnRecordsThenUnmergeIsRefused() {
    JsonObject survivorBody = casePatient("KATO", "JOHN", "male", "1960-01-01", id(TEST, "pmir-3a"));
    JsonObject victimBody = casePatient("MUWANGA", "PETER", "male", "1999-09-09", id(TEST, "pmir-3b"));
    HttpResponse<Buffer> created = feed(HARNESS, historyEntry("POST", "Patient/a", survivorBody),
        historyEntry("POST", "Patient/b", victimBody));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String survivor = fedPatients(created).get(0).getString("id");
    String survivorCruid = referTo(fedPatients(created).get(0));
    String victim = fedPatients(created).get(1).getString("id");

    HttpResponse<Buffer> merged = feed(HARNESS, historyEntry("PUT", "Patient/" + victim,
        replacedBy(victimBody, new JsonObject().put("reference", "Patient/" + survivor))));
    assertEquals(200, merged.statusCode(), merged.bodyAsString());
    assertEquals("ok", responseCode(merged));
    assertEquals(survivorCruid, referTo(fedPatients(merged).get(0)), "the victim joined the survivor's person");
    JsonObject read = registry.get("admin", "/fhir/Patient/" + victim).bodyAsJsonObject();
    assertFalse(read.getBoolean("active"), read.encode());

    HttpResponse<Buffer> unmerge = feed(HARNESS, historyEntry("PUT", "Patient/" + victim, victimBody));
    assertEquals(405, unmerge.statusCode(), unmerge.bodyAsString());
    assertEquals("fatal-error", responseCode(unmerge));
    assertTrue(messageOutcome(unmerge).encode().contains("unmerge"), unmerge.bodyAsString());
  }

  @Test
  void goldenRecordsAreMergedByAdministratorsOnly() {
    JsonObject a = casePatient("NAMUTEBI", "SARAH", "female", "1980-03-03", id(TEST, "pmir-4a"));
    HttpResponse<Buffer> one = feed(HARNESS, historyEntry("POST", "Patient/a", a));
    HttpResponse<Buffer> two = feed(HARNESS, historyEntry("POST", "Patient/b", casePatient("OKOT", "PAUL", "male",
        "1950-05-05", id(TEST, "pmir-4b"))));
    String otherCruid = referTo(fedPatients(two).get(0));

    HttpResponse<Buffer> r = feed(HARNESS, historyEntry("PUT", "Patient/a", replacedBy(a,
        new JsonObject().put("reference", "Patient/" + otherCruid))));
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertEquals("fatal-error", responseCode(r));
    assertTrue(messageOutcome(r).encode().contains("golden record"), r.bodyAsString());
    assertEquals(referTo(fedPatients(one).get(0)), referTo(registry.get("admin", "/fhir/Patient/"
        + fedPatients(one).get(0).getString("id")).bodyAsJsonObject()), "nothing was written");
  }

  @Test
  void aMessageOfAnotherEventIsRefusedWithAResponseMessage() {
    JsonObject message = pmirMessage(historyEntry("POST", "Patient/x", casePatient("X", "Y", "male", "2000-01-01",
        id(TEST, "pmir-5"))));
    message.getJsonArray("entry").getJsonObject(0).getJsonObject("resource").put("eventUri", "urn:example:other");
    HttpResponse<Buffer> r = registry.post(HARNESS, "/fhir", message);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("fatal-error", responseCode(r));
    assertEquals(404, pix(HARNESS, "sourceIdentifier=" + TEST + "|pmir-5").statusCode());
  }
}
