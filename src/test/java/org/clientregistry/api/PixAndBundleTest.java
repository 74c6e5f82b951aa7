package org.clientregistry.api;

import static org.clientregistry.Patients.NATIONAL_ID;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.clientregistry.ihe.OhieRegistryTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.SharedRegistryTest;
import org.junit.jupiter.api.Test;

/** $ihe-pix (ITI-83) and batch/transaction bundles, over real HTTPS. */
class PixAndBundleTest extends SharedRegistryTest {
  static final String CRUID = "http://openclientregistry.org/fhir/CRUID";
  static HttpResponse<Buffer> pix(String query) {
    return registry.get("openmrs", "/fhir/Patient/$ihe-pix?" + query);
  }

  @Test
  void pixReturnsEveryIdentifierTheCruidAndTargetIds() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "pix-1", "Agnes",
        "Nalwanga", "female", "1992-06-15", "0772 150 692", "CF92061512AGNA"));
    HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "L-pix-1", "Agnes",
        "Nalwanga", "female", "1992-06-15", "0772150692", null));
    String cruid = a.getHeader("LocationCRUID").substring("Patient/".length());
    assertEquals("Patient/" + cruid, b.getHeader("LocationCRUID"));

    HttpResponse<Buffer> r = pix("sourceIdentifier=" + system("openmrs") + "|pix-1");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject params = r.bodyAsJsonObject();
    assertEquals("Parameters", params.getString("resourceType"));
    List<String> targets = values(params, "targetIdentifier");
    assertTrue(targets.contains(system("lims") + "|L-pix-1"), targets.toString());
    assertTrue(targets.contains(NATIONAL_ID + "|CF92061512AGNA"), targets.toString());
    assertTrue(targets.contains(CRUID + "|" + cruid), targets.toString());
    assertFalse(targets.contains(system("openmrs") + "|pix-1"), "the queried identifier is not echoed");
    List<String> ids = values(params, "targetId");
    assertTrue(ids.contains("Patient/" + cruid));
    assertTrue(ids.contains("Patient/" + a.bodyAsJsonObject().getString("id")));
    assertTrue(ids.contains("Patient/" + b.bodyAsJsonObject().getString("id")));
    assertFalse(r.bodyAsString().contains("Nalwanga"), "no demographics in PIX answers");

    HttpResponse<Buffer> filtered = pix("sourceIdentifier=" + system("openmrs") + "|pix-1&targetSystem="
        + system("lims"));
    assertEquals(List.of(system("lims") + "|L-pix-1"), values(filtered.bodyAsJsonObject(), "targetIdentifier"));

    HttpResponse<Buffer> byCruid = pix("sourceIdentifier=" + CRUID + "|" + cruid + "&targetSystem="
        + system("openmrs"));
    assertEquals(List.of(system("openmrs") + "|pix-1"), values(byCruid.bodyAsJsonObject(), "targetIdentifier"));
  }

  @Test
  void metadataTellsWhatIsImplemented() throws InterruptedException {
    HttpResponse<Buffer> r = registry.get("lims", "/fhir/metadata");
    assertEquals(200, r.statusCode());
    JsonObject rest = r.bodyAsJsonObject().getJsonArray("rest").getJsonObject(0);
    JsonObject patient = rest.getJsonArray("resource").getJsonObject(0);
    assertEquals("Patient", patient.getString("type"));
    List<String> operations = patient.getJsonArray("operation").stream()
        .map(o -> ((JsonObject) o).getString("name")).toList();
    assertEquals(List.of("match", "ihe-pix"), operations);
    assertEquals(List.of("create", "update", "read", "search-type"), patient.getJsonArray("interaction").stream()
        .map(o -> ((JsonObject) o).getString("code")).toList());
    assertTrue(patient.getJsonArray("searchParam").stream().map(o -> ((JsonObject) o).getString("name")).toList()
        .containsAll(List.of("family", "given", "birthdate", "gender", "identifier", "_id")));
    assertEquals(2, rest.getJsonArray("interaction").size(), "batch and transaction");
    // PDQm's mothersMaidenName: the embedded store's own; on a FHIR server once the SearchParameter the registry
    // defines there at start is in force (seconds later).
    JsonObject declaring = patient;
    for (int i = 0; i < 600 && declaring.getJsonArray("searchParam").stream()
        .noneMatch(o -> ((JsonObject) o).getString("name").equals("mothersMaidenName")); i++) {
      org.clientregistry.ihe.OhieRegistryTest.refreshServerSearchParameters();
      Thread.sleep(200);
      declaring = registry.get("lims", "/fhir/metadata").bodyAsJsonObject().getJsonArray("rest").getJsonObject(0)
          .getJsonArray("resource").getJsonObject(0);
    }
    assertTrue(declaring.getJsonArray("searchParam").stream()
        .anyMatch(o -> ((JsonObject) o).getString("name").equals("mothersMaidenName")), declaring.encode());
    List<JsonObject> subscription = rest.getJsonArray("resource").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("type").equals("Subscription")).toList();
    assertEquals(1, subscription.size(), "ITI-94: both stores keep a change feed");
    JsonObject messaging = r.bodyAsJsonObject().getJsonArray("messaging").getJsonObject(0);
    JsonObject pmir = messaging.getJsonArray("supportedMessage").getJsonObject(0);
    assertEquals("receiver", pmir.getString("mode"), "PMIR feed (ITI-93) messages are received");
    assertEquals("https://profiles.ihe.net/ITI/PMIR/MessageDefinition/IHE.PMIR.MessageDefinition",
        pmir.getString("definition"));
  }

  @Test
  void pixErrors() {
    assertEquals(404, pix("sourceIdentifier=" + system("openmrs") + "|nobody").statusCode());
    assertEquals(400, pix("sourceIdentifier=no-bar-here").statusCode());
    assertEquals(400, pix("").statusCode());
    assertEquals(400, pix("sourceIdentifier=" + system("openmrs") + "|x&color=blue").statusCode());
    HttpResponse<Buffer> unknown = pix("sourceIdentifier=" + system("openmrs") + "|x&targetSystem=urn:unknown");
    assertEquals(403, unknown.statusCode());
    assertEquals("OperationOutcome", unknown.bodyAsJsonObject().getString("resourceType"));
  }

  static JsonObject bundle(String type, JsonObject... entries) {
    JsonArray list = new JsonArray();
    for (JsonObject resource : entries) {
      list.add(new JsonObject().put("resource", resource)
          .put("request", new JsonObject().put("method", "POST").put("url", resource.getString("resourceType"))));
    }
    return new JsonObject().put("resourceType", "Bundle").put("type", type).put("entry", list);
  }

  @Test
  void batchEntriesSucceedOrFailOnTheirOwnAndCarryCruids() {
    JsonObject observation = new JsonObject().put("resourceType", "Observation").put("status", "final")
        .put("code", new JsonObject().put("text", "weight"));
    JsonObject noId = new JsonObject().put("resourceType", "Patient").put("gender", "male");
    HttpResponse<Buffer> r = registry.post("dhis2", "/fhir", bundle("batch",
        patient("dhis2", "b-1", "Brian", "Ouma", "male", "1980-10-10", "0755 101 010", null),
        observation,
        patient("dhis2", "b-2", "Brian", "Ouma", "male", "1980-10-10", "0755101010", null),
        noId));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject b = r.bodyAsJsonObject();
    assertEquals("batch-response", b.getString("type"));
    JsonArray entries = b.getJsonArray("entry");
    assertEquals(4, entries.size());
    JsonObject first = entries.getJsonObject(0).getJsonObject("response");
    assertEquals("201 Created", first.getString("status"));
    assertTrue(first.getString("location").startsWith("Patient/"));
    String cruid = first.getJsonArray("extension").getJsonObject(0).getJsonObject("valueReference")
        .getString("reference");
    assertTrue(entries.getJsonObject(1).getJsonObject("response").getString("status").startsWith("400"));
    assertEquals("OperationOutcome", entries.getJsonObject(1).getJsonObject("response").getJsonObject("outcome")
        .getString("resourceType"));
    JsonObject third = entries.getJsonObject(2).getJsonObject("response");
    assertEquals("201 Created", third.getString("status"));
    assertEquals(cruid, third.getJsonArray("extension").getJsonObject(0).getJsonObject("valueReference")
        .getString("reference"), "the second Brian links to the first");
    assertEquals(cruid, entries.getJsonObject(2).getJsonObject("resource").getJsonArray("link").getJsonObject(0)
        .getJsonObject("other").getString("reference"));
    assertTrue(entries.getJsonObject(3).getJsonObject("response").getString("status").startsWith("400"));
  }

  @Test
  void transactionIsAllOrNothing() {
    JsonObject observation = new JsonObject().put("resourceType", "Observation").put("status", "final");
    HttpResponse<Buffer> failed = registry.post("dhis2", "/fhir", bundle("transaction",
        patient("dhis2", "t-1", "Carol", "Apio", "female", "1975-03-13", null, null), observation));
    assertEquals(400, failed.statusCode());
    assertEquals("OperationOutcome", failed.bodyAsJsonObject().getString("resourceType"));
    assertEquals(404, pix("sourceIdentifier=" + system("dhis2") + "|t-1").statusCode(), "nothing was stored");

    HttpResponse<Buffer> ok = registry.post("dhis2", "/fhir", bundle("transaction",
        patient("dhis2", "t-1", "Carol", "Apio", "female", "1975-03-13", "0788 313 131", null),
        patient("dhis2", "t-2", "Carole", "Apio", "female", "1975-03-13", "0788313131", null),
        patient("dhis2", "t-3", "Daniel", "Wasswa", "male", "2003-01-07", null, null)));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    JsonArray entries = ok.bodyAsJsonObject().getJsonArray("entry");
    assertEquals("transaction-response", ok.bodyAsJsonObject().getString("type"));
    Set<String> cruids = new HashSet<>();
    for (Object e : entries) {
      JsonObject response = ((JsonObject) e).getJsonObject("response");
      assertEquals("201 Created", response.getString("status"));
      cruids.add(response.getJsonArray("extension").getJsonObject(0).getJsonObject("valueReference")
          .getString("reference"));
    }
    assertEquals(2, cruids.size(), "Carol and Carole are one person, Daniel another");
    assertNotNull(pix("sourceIdentifier=" + system("dhis2") + "|t-2").bodyAsJsonObject());
  }

  @Test
  void transactionRepeatingAnIdentifierIsRefused() {
    JsonObject p = patient("dhis2", "t-dup", "Eve", "Amony", "female", "1991-01-01", null, null);
    HttpResponse<Buffer> r = registry.post("dhis2", "/fhir", bundle("transaction", p, p));
    assertEquals(400, r.statusCode());
    assertEquals(404, pix("sourceIdentifier=" + system("dhis2") + "|t-dup").statusCode());
  }
}
