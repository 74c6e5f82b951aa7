package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-08-FHIR (patient merge): source A tells the registry by a PMIR {@code replaced-by} link (naming the
 * survivor by business identifier) that its record FHRA-081 is FHRA-080. Afterwards FHRA-081 resolves to the
 * survivor's person. Deviations, as docs/ihe-conformance.md says: PDQm is asked as a demographics consumer (not
 * the point-of-service source); reading a source record by id is an administrator's call; one person answers for
 * both records (the registry's PDQm answers persons, so the "survivor and merged record" alternate is one entry
 * carrying both identifiers). The case's last PIXm URL lacks the identifier's value (FHRA-081), sent here. PIXm
 * answers the person's other identifiers, not the one asked about (ITI-83; the case lists it too).
 */
class OhieCr08Test extends OhieRegistryTest {

  @Test
  void aSourceMergesItsOwnRecords() {
    HttpResponse<Buffer> first = feed(HARNESS_A, historyEntry("POST", "Patient/ohie-cr-08-10-fhir", casePatient(
        "SMITH", "MERGY", "male", "1986-05-25", official(TEST_A, "FHRA-080"), id(NID, "NID080"))));
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals("ok", responseCode(first));
    String survivorPerson = referTo(fedPatients(first).get(0));
    HttpResponse<Buffer> pix080 = pix(HARNESS_A, "sourceIdentifier=" + TEST_A + "|FHRA-080");
    assertEquals(200, pix080.statusCode(), pix080.bodyAsString());
    List<String> ids = values(pix080.bodyAsJsonObject(), "targetIdentifier");
    assertTrue(ids.contains(NID + "|NID080") && !ids.contains(TEST_A + "|FHRA-080"), ids.toString()); // ITI-83
    assertTrue(values(pix080.bodyAsJsonObject(), "targetId").contains("Patient/" + survivorPerson),
        pix080.bodyAsString());

    JsonObject victimBody = casePatient("SMYTHE", "MERGY", "male", "1986-05-25", official(TEST_A, "FHRA-081"));
    HttpResponse<Buffer> second = feed(HARNESS_A, historyEntry("POST", "Patient/ohie-cr-08-20-fhir", victimBody));
    assertEquals(201, second.statusCode(), second.bodyAsString());
    assertEquals("ok", responseCode(second));
    String victim = fedPatients(second).get(0).getString("id");
    String victimPerson = referTo(fedPatients(second).get(0));
    HttpResponse<Buffer> pix081 = pix(HARNESS_A, "sourceIdentifier=" + TEST_A + "|FHRA-081");
    assertEquals(200, pix081.statusCode(), pix081.bodyAsString());
    assertTrue(values(pix081.bodyAsJsonObject(), "targetIdentifier").contains(CRUID + "|"
        + referTo(fedPatients(second).get(0))), pix081.bodyAsString()); // the only other identifier: the CRUID
    assertTrue(values(pix081.bodyAsJsonObject(), "targetId").contains("Patient/" + victim),
        pix081.bodyAsString());

    JsonObject merge = victimBody.copy().put("active", false).put("link", new JsonArray().add(new JsonObject()
        .put("type", "replaced-by").put("other", new JsonObject().put("type", "Patient").put("identifier",
            new JsonObject().put("system", TEST_A).put("value", "FHRA-080")))));
    HttpResponse<Buffer> merged = feed(HARNESS_A, historyEntry("PUT", "Patient/ohie-cr-08-30-fhir", merge));
    assertEquals(200, merged.statusCode(), merged.bodyAsString());
    assertEquals("ok", responseCode(merged));
    messageOutcome(merged);

    HttpResponse<Buffer> query = pdq("identifier=" + enc(TEST_A + "|FHRA-081"));
    assertEquals(200, query.statusCode(), query.bodyAsString());
    assertTrue(entries(query).stream().anyMatch(p -> identifiers(p).contains(TEST_A + "|FHRA-080")),
        "the survivor answers: " + query.bodyAsString());

    HttpResponse<Buffer> read = registry.get("admin", "/fhir/Patient/" + victim);
    assertEquals(200, read.statusCode(), read.bodyAsString());
    assertFalse(read.bodyAsJsonObject().getBoolean("active"), "the merged record is inactive: " + read.bodyAsString());

    HttpResponse<Buffer> byId = pdq("_id=" + victim);
    assertEquals(200, byId.statusCode(), byId.bodyAsString());
    assertEquals("Bundle", byId.bodyAsJsonObject().getString("resourceType"));
    entries(byId).forEach(p -> assertTrue(identifiers(p).contains(TEST_A + "|FHRA-080"), p.encode()));

    HttpResponse<Buffer> nid = pix(HARNESS_A, "sourceIdentifier=" + TEST_A + "|FHRA-081&targetSystem=" + NID);
    assertEquals(200, nid.statusCode(), nid.bodyAsString());
    assertEquals("Parameters", nid.bodyAsJsonObject().getString("resourceType"));
    assertEquals(List.of(NID + "|NID080"), values(nid.bodyAsJsonObject(), "targetIdentifier"));
    assertTrue(values(nid.bodyAsJsonObject(), "targetId").contains("Patient/" + survivorPerson),
        nid.bodyAsString());
    assertFalse(values(nid.bodyAsJsonObject(), "targetId").contains("Patient/" + victimPerson),
        "not the merged record's former person: " + nid.bodyAsString());
  }
}
