package org.clientregistry.api;

import static org.clientregistry.Patients.jane;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.clientregistry.SharedRegistryTest;
import org.junit.jupiter.api.Test;

/** Submission over real HTTPS with client certificates against the real embedded store. */
class PatientSubmissionTest extends SharedRegistryTest {
  static String crudOf(HttpResponse<Buffer> r) {
    return r.getHeader("LocationCRUID");
  }

  @Test
  void createReturns201WithLocationCruidAndReferLink() {
    HttpResponse<Buffer> r = registry.post("openmrs", "/fhir/Patient", jane("openmrs", "om-1"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    String id = body.getString("id");
    assertEquals("https://localhost:3000/fhir/Patient/" + id, r.getHeader("Location").replace(
        ":" + registry.port + "/", ":3000/"));
    assertTrue(crudOf(r).startsWith("Patient/"));
    assertEquals("W/\"1\"", r.getHeader("ETag"));
    assertTrue(r.getHeader("Content-Type").startsWith("application/fhir+json"));
    JsonObject link = body.getJsonArray("link").getJsonObject(0);
    assertEquals("refer", link.getString("type"));
    assertEquals(crudOf(r), link.getJsonObject("other").getString("reference"));
    assertEquals("openmrs", body.getJsonObject("meta").getJsonArray("tag").getJsonObject(0).getString("code"));
    assertEquals("Nakato", body.getJsonArray("name").getJsonObject(0).getString("family"));
  }

  @Test
  void theClientsOwnIdMetaAndLinksAreNotStored() {
    JsonObject sent = jane("openmrs", "om-own").put("id", "client-chosen")
        .put("meta", new JsonObject().put("versionId", "42").put("tag", new JsonArray()
            .add(new JsonObject().put("system", "http://x").put("code", "forged"))))
        .put("link", new JsonArray().add(new JsonObject().put("type", "seealso")
            .put("other", new JsonObject().put("reference", "Patient/someone-else"))));
    HttpResponse<Buffer> r = registry.post("openmrs", "/fhir/Patient", sent);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("id");
    assertNotEquals("client-chosen", id);
    JsonObject stored = registry.get("admin", "/fhir/Patient/" + id).bodyAsJsonObject();
    for (JsonObject body : new JsonObject[] {r.bodyAsJsonObject(), stored}) {
      assertEquals("1", body.getJsonObject("meta").getString("versionId"));
      assertEquals(1, body.getJsonObject("meta").getJsonArray("tag").size());
      assertEquals("openmrs", body.getJsonObject("meta").getJsonArray("tag").getJsonObject(0).getString("code"));
      assertEquals(1, body.getJsonArray("link").size());
      assertEquals(crudOf(r), body.getJsonArray("link").getJsonObject(0).getJsonObject("other").getString("reference"));
      assertEquals("Jane", body.getJsonArray("name").getJsonObject(0).getJsonArray("given").getString(0));
    }
  }

  @Test
  void sameOfPersonFromTwoSystemsGetsOneCruidAndGoldenHasNoDemographics() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-2", "Moses",
        "Okello", "male", "1985-01-30", "0772 555 111", "CM85013012XYZQ"));
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "tei-2", "Mozes",
        "Okelo", "male", "1985-01-30", "0772555111", null));
    assertEquals(201, a.statusCode());
    assertEquals(201, b.statusCode());
    assertEquals(crudOf(a), crudOf(b));
    assertNotEquals(a.bodyAsJsonObject().getString("id"), b.bodyAsJsonObject().getString("id"));
    // The point-of-service answer holds only what that client sent: no other system's demographics.
    assertTrue(!b.bodyAsString().contains("CM85013012XYZQ") && !b.bodyAsString().contains("Moses"));

    HttpResponse<Buffer> golden = registry.get("admin", "/fhir/" + crudOf(a));
    assertEquals(200, golden.statusCode(), golden.bodyAsString());
    JsonObject g = golden.bodyAsJsonObject();
    assertTrue(!g.containsKey("name") && !g.containsKey("birthDate") && !g.containsKey("telecom"));
    assertEquals("golden-record", g.getJsonObject("meta").getJsonArray("tag").getJsonObject(0).getString("code"));
    assertEquals(2, g.getJsonArray("link").size());
    assertEquals("seealso", g.getJsonArray("link").getJsonObject(0).getString("type"));
  }

  @Test
  void nicknamesFromTheConfiguredTableLink() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "nick-1", "William",
        "Kiggundu", "male", "1968-08-08", "0772 680 808", null));
    HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "nick-1", "Bill", "Kiggundu",
        "male", "1968-08-08", "0772680808", null));
    assertEquals(crudOf(a), crudOf(b), "Bill is William in config/nicknames.csv");
  }

  @Test
  void differentPeopleGetDifferentCruids() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-3", "Grace",
        "Atim", "female", "1979-07-01", "0701 000 001", "CF79070101AAAA"));
    HttpResponse<Buffer> b = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-4", "Peter",
        "Mugisha", "male", "2001-11-23", "0701 999 888", "CM01112301BBBB"));
    assertNotEquals(crudOf(a), crudOf(b));
  }

  /** A comma ORs and a bar splits system from value in a FHIR search: the store must escape them. */
  @Test
  void aResubmissionWhoseInternalIdentifierHoldsACommaAndABarIsIdempotent() {
    JsonObject p = patient("lims", "lab,6|b", "Ruth", "Akello", "female", "1991-04-04", null, null);
    HttpResponse<Buffer> first = registry.post("lims", "/fhir/Patient", p);
    HttpResponse<Buffer> again = registry.post("lims", "/fhir/Patient", p);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(first.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));
  }

  @Test
  void identicalResubmissionIsIdempotent() {
    JsonObject p = patient("lims", "lab-5", "Sarah", "Namuli", "female", "1995-03-03", null, null);
    HttpResponse<Buffer> first = registry.post("lims", "/fhir/Patient", p);
    HttpResponse<Buffer> again = registry.post("lims", "/fhir/Patient", p);
    assertEquals(201, first.statusCode());
    assertEquals(200, again.statusCode());
    assertEquals(first.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));
    assertEquals(crudOf(first), crudOf(again));
    assertEquals("W/\"1\"", again.getHeader("ETag"));
    assertEquals("1", again.bodyAsJsonObject().getJsonObject("meta").getString("versionId"));
  }

  /** The phone comes after the birth date here, against FHIR's element order, which a FHIR server gives back. */
  @Test
  void identicalResubmissionOfABodyOutOfFhirElementOrderWritesNothing() {
    JsonObject p = patient("lims", "lab-7", "Esther", "Nambi", "female", "1987-08-08", "0701 777 888", null);
    assertEquals(201, registry.post("lims", "/fhir/Patient", p).statusCode());
    HttpResponse<Buffer> again = registry.post("lims", "/fhir/Patient", p);
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals("1", again.bodyAsJsonObject().getJsonObject("meta").getString("versionId"), "not written again");
  }

  @Test
  void updateReplacesDemographicsAndRelinks() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-6", "Joseph",
        "Kato", "male", "1970-05-05", "0772 600 600", "CM70050505JKJK"));
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "tei-6", "Joseph",
        "Kato", "male", "1970-05-05", "0772 600 600", null));
    assertEquals(crudOf(a), crudOf(b));
    // dhis2 corrects its record: it was a different person all along.
    JsonObject corrected = patient("dhis2", "tei-6", "Ruth", "Auma", "female", "2010-12-01", "0700 111 222", null);
    HttpResponse<Buffer> updated = registry.post("dhis2", "/fhir/Patient", corrected);
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals(b.bodyAsJsonObject().getString("id"), updated.bodyAsJsonObject().getString("id"));
    assertEquals("W/\"2\"", updated.getHeader("ETag"));
    assertNotEquals(crudOf(a), crudOf(updated));
    // Replace, not merge: the old name is gone.
    JsonArray names = updated.bodyAsJsonObject().getJsonArray("name");
    assertEquals(1, names.size());
    assertEquals("Auma", names.getJsonObject(0).getString("family"));
    // The record that did not change keeps its CRUID.
    HttpResponse<Buffer> pix = registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier="
        + system("openmrs") + "|om-6");
    assertTrue(pix.bodyAsString().contains(crudOf(a).substring("Patient/".length())), pix.bodyAsString());
    assertTrue(!pix.bodyAsString().contains("tei-6"), "the split-off record is no longer linked");
  }

  @Test
  void updateThatNowMatchesJoinsTheOtherGoldenRecord() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-7", "Esther",
        "Nabirye", "female", "1988-08-08", "0782 808 808", "CF88080808ESNA"));
    HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "lab-7", "Unknown",
        "Person", "female", "1950-01-01", null, null));
    assertNotEquals(crudOf(a), crudOf(b));
    HttpResponse<Buffer> fixed = registry.post("lims", "/fhir/Patient", patient("lims", "lab-7", "Esther",
        "Nabirye", "female", "1988-08-08", null, "CF88080808ESNA"));
    assertEquals(200, fixed.statusCode());
    assertEquals(crudOf(a), crudOf(fixed));
    // The emptied golden record still resolves, to the surviving one.
    HttpResponse<Buffer> old = registry.get("admin", "/fhir/" + crudOf(b));
    JsonObject link = old.bodyAsJsonObject().getJsonArray("link").getJsonObject(0);
    assertEquals("replaced-by", link.getString("type"));
    assertEquals(crudOf(a), link.getJsonObject("other").getString("reference"));
  }

  @Test
  void putUpdatesOwnRecordOnly() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-8", "Ivan",
        "Ssempa", "male", "1960-02-02", null, null));
    String id = a.bodyAsJsonObject().getString("id");
    JsonObject changed = patient("openmrs", "om-8", "Ivan", "Ssempa", "male", "1960-02-03", null, null);
    HttpResponse<Buffer> put = registry.put("openmrs", "/fhir/Patient/" + id, changed.copy().put("id", id));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    assertEquals("1960-02-03", put.bodyAsJsonObject().getString("birthDate"));
    assertEquals("W/\"2\"", put.getHeader("ETag"));

    JsonObject asLims = patient("lims", "lab-8", "Ivan", "Ssempa", "male", "1960-02-02", null, null);
    assertEquals(403, registry.put("lims", "/fhir/Patient/" + id, asLims).statusCode());
    assertEquals(404, registry.put("openmrs", "/fhir/Patient/does-not-exist", changed).statusCode());
    HttpResponse<Buffer> mismatch = registry.put("openmrs", "/fhir/Patient/" + id, changed.copy().put("id", "x"));
    assertEquals(400, mismatch.statusCode());
  }

  @Test
  void aPostWithAnIdentifierAnUpdateMovedToAnotherRecordUpdatesThatRecord() {
    // The record made under om-20 takes om-21 by a PUT. A POST with om-21 must find it, although a record made
    // under om-21 would have had another id, one the index has never seen.
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-20", "Rose",
        "Atim", "female", "1971-03-03", null, null));
    String id = a.bodyAsJsonObject().getString("id");
    JsonObject moved = patient("openmrs", "om-21", "Rose", "Atim", "female", "1971-03-03", null, null);
    assertEquals(200, registry.put("openmrs", "/fhir/Patient/" + id, moved.copy().put("id", id)).statusCode());

    HttpResponse<Buffer> again = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-21", "Rose",
        "Atim", "female", "1971-03-04", null, null));
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(id, again.bodyAsJsonObject().getString("id"));
    assertEquals("1971-03-04", again.bodyAsJsonObject().getString("birthDate"));
    assertEquals(crudOf(a), crudOf(again));
  }

  @Test
  void metricsCountRequestsOutcomesAndTheIndex() {
    registry.post("lims", "/fhir/Patient", patient("lims", "met-1", "Tom", "Opiyo", "male", "1944-04-04", null,
        null));
    HttpResponse<Buffer> r = registry.get("lims", "/metrics");
    assertEquals(200, r.statusCode());
    String text = r.bodyAsString();
    assertTrue(text.contains("cr_http_requests_total{method=\"POST\",route=\"/fhir/Patient\",status=\"201\"}"),
        text);
    assertTrue(text.matches("(?s).*cr_submissions_total\\{outcome=\"created\"} [1-9].*"), text);
    assertTrue(text.matches("(?s).*cr_index_records [1-9].*"), text);
    assertTrue(text.contains("cr_candidate_lookups_total"));
    assertTrue(text.contains("cr_rule_set_candidates_total{rule_set=\"demographics\"}"), text);
    registry.get("openmrs", "/fhir/Patient/anything"); // 403: pos may not read
    assertTrue(registry.get("lims", "/metrics").bodyAsString()
        .contains("route=\"/fhir/Patient/:id\",status=\"403\""), "errors are counted under their route");
    assertTrue(!text.contains("met-1") && !text.contains("Opiyo"), "no identifiers or names in metrics");
  }

  @Test
  void adminReadsAndPosCannot() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "om-9", "Alice",
        "Akello", "female", "1999-09-09", null, null));
    String id = a.bodyAsJsonObject().getString("id");
    assertEquals(200, registry.get("admin", "/fhir/Patient/" + id).statusCode());
    HttpResponse<Buffer> denied = registry.get("openmrs", "/fhir/Patient/" + id);
    assertEquals(403, denied.statusCode());
    assertEquals("OperationOutcome", denied.bodyAsJsonObject().getString("resourceType"));
    assertEquals(404, registry.get("admin", "/fhir/Patient/nothing-here").statusCode());
  }
}
