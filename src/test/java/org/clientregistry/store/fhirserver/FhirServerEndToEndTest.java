package org.clientregistry.store.fhirserver;

import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on the fhirserver store from end to end: submit, update, PIX, $match, a restart that reloads the
 * index from HAPI, records written straight into HAPI by other writers, and the FHIR round trips one submission
 * costs.
 */
class FhirServerEndToEndTest {
  @TempDir
  Path dir;

  /** A point-of-service client gets golden ids for certain matches it asked for (docs/security.md). */
  private static JsonObject matchParameters(JsonObject patient) {
    return new JsonObject().put("resourceType", "Parameters").put("parameter", new JsonArray()
        .add(new JsonObject().put("name", "resource").put("resource", patient))
        .add(new JsonObject().put("name", "onlyCertainMatches").put("valueBoolean", true)));
  }

  private static String cruid(HttpResponse<Buffer> r) {
    return r.getHeader("LocationCRUID");
  }

  @Test
  void submitUpdatePixMatchRestartAndOtherWriters() throws Exception {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    String cruid;
    String sourceId;
    try (TestRegistry registry = new TestRegistry(dir, hapi.registryEnv()).start()) {
      long before = hapi.requests();
      HttpResponse<Buffer> created = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "e2e-1", "Harriet",
          "Akello", "female", "1979-09-19", "0782 190 979", null));
      assertEquals(201, created.statusCode(), created.bodyAsString());
      assertTrue(hapi.requests() - before <= 2, "a new record costs one search and one transaction, not "
          + (hapi.requests() - before));
      cruid = cruid(created);
      sourceId = created.bodyAsJsonObject().getString("id");

      HttpResponse<Buffer> updated = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "e2e-1", "Harriet",
          "Akello", "female", "1979-09-19", "0782 190 980", null));
      assertEquals(200, updated.statusCode(), updated.bodyAsString());
      assertEquals(sourceId, updated.bodyAsJsonObject().getString("id"));
      assertEquals(cruid, cruid(updated));

      HttpResponse<Buffer> variant = registry.post("lims", "/fhir/Patient", patient("lims", "e2e-L1", "Hariet",
          "Akello", "female", "1979-09-19", "0782190980", null));
      assertEquals(201, variant.statusCode());
      assertEquals(cruid, cruid(variant));

      HttpResponse<Buffer> pix = registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier="
          + system("lims") + "|e2e-L1");
      assertEquals(200, pix.statusCode(), pix.bodyAsString());
      assertTrue(pix.bodyAsString().contains(system("openmrs")) && pix.bodyAsString().contains("e2e-1"));

      HttpResponse<Buffer> match = registry.post("dhis2", "/fhir/Patient/$match", matchParameters(
          patient("dhis2", "e2e-q", "Harriet", "Akello", "female", "1979-09-19", "0782190980", null)));
      assertEquals(200, match.statusCode(), match.bodyAsString());
      assertEquals(cruid.substring("Patient/".length()), match.bodyAsJsonObject().getJsonArray("entry")
          .getJsonObject(0).getJsonObject("resource").getString("id"));
    }

    // Written straight into HAPI while no registry runs (a bulk load), tagged with its client.
    putDirect(hapi, "bulk-e2e-0", "dhis2", "e2e-pre");

    try (TestRegistry again = new TestRegistry(dir, hapi.registryEnv()).start()) {
      HttpResponse<Buffer> resubmit = again.post("openmrs", "/fhir/Patient", patient("openmrs", "e2e-1", "Harriet",
          "Akello", "female", "1979-09-19", "0782 190 980", null));
      assertEquals(200, resubmit.statusCode(), resubmit.bodyAsString());
      assertEquals(sourceId, resubmit.bodyAsJsonObject().getString("id"));
      HttpResponse<Buffer> third = again.post("dhis2", "/fhir/Patient", patient("dhis2", "e2e-D1", "Harriet",
          "Akello", "female", "1979-09-19", "0782190980", null));
      assertEquals(cruid, cruid(third), "the index was reloaded from HAPI, so the third system links too");

      // Another writer puts a Patient straight into HAPI while the registry runs: it is picked up too.
      putDirect(hapi, "bulk-e2e-1", "dhis2", "e2e-direct");
      assertTrue(again.registry().followOtherWriters().await() >= 2, "both patients picked up from HAPI");
      for (String value : new String[] {"e2e-pre", "e2e-direct"}) {
        HttpResponse<Buffer> pixDirect = again.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier="
            + system("dhis2") + "|" + value);
        assertEquals(200, pixDirect.statusCode(), pixDirect.bodyAsString());
        assertTrue(pixDirect.bodyAsString().contains("e2e-1"), "linked to the same person: "
            + pixDirect.bodyAsString());
      }
      HttpResponse<Buffer> read = again.get("admin", "/fhir/Patient/bulk-e2e-1");
      assertEquals(200, read.statusCode(), "adopted under its own id");
      assertEquals(0, again.registry().followOtherWriters().await(), "nothing new the second time");
    }
  }

  private static void putDirect(HapiTestServer hapi, String id, String client, String value) throws Exception {
    JsonObject direct = patient(client, value, "Harriet", "Akello", "female", "1979-09-19", "0782190980", null)
        .put("id", id).put("meta", new JsonObject().put("tag", new JsonArray().add(new JsonObject()
            .put("system", "http://openclientregistry.org/fhir/clientid").put("code", client))));
    var put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hapi.baseUrl() + "/Patient/" + id))
            .header("Content-Type", "application/fhir+json").PUT(HttpRequest.BodyPublishers.ofString(direct.encode()))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), put.body());
  }

  @Test
  void aReplicaSeesWhatAnotherReplicaWrote() {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    try (TestRegistry a = new TestRegistry(dir.resolve("a"), hapi.registryEnv()).start();
         TestRegistry b = new TestRegistry(dir.resolve("b"), hapi.registryEnv()).start()) {
      HttpResponse<Buffer> first = a.post("openmrs", "/fhir/Patient", patient("openmrs", "rep-1", "Moses",
          "Kato", "male", "1968-08-08", "0701 686 808", null));
      assertEquals(201, first.statusCode());
      assertTrue(b.registry().followOtherWriters().await() >= 1);
      HttpResponse<Buffer> second = b.post("lims", "/fhir/Patient", patient("lims", "rep-L1", "Moses", "Kato",
          "male", "1968-08-08", "0701686808", null));
      assertEquals(cruid(first), cruid(second), "replica b matched replica a's record");

      // Each replica changes the golden record behind the other's back: the next write to it loses the race
      // (409 from HAPI), catches up with the other replica's writes and succeeds on retry.
      HttpResponse<Buffer> third = a.post("dhis2", "/fhir/Patient", patient("dhis2", "rep-D1", "Moses", "Kato",
          "male", "1968-08-08", "0701686808", null));
      assertEquals(cruid(first), cruid(third), "replica a caught up with b's link and retried");
      HttpResponse<Buffer> fourth = b.post("openmrs", "/fhir/Patient", patient("openmrs", "rep-2", "Mozes", "Kato",
          "male", "1968-08-08", "0701686808", null));
      assertEquals(201, fourth.statusCode(), fourth.bodyAsString());
      assertEquals(cruid(first), cruid(fourth), "linked after catching up with replica a");
    }
  }
}
