package org.clientregistry.store.fhirserver;

import static org.clientregistry.Patients.patient;
import static org.clientregistry.store.fhirserver.ReplicasTest.person;
import static org.clientregistry.store.fhirserver.ReplicasTest.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.clientregistry.TestRegistry;
import org.clientregistry.matching.MatchIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry sharing the in-process HAPI FHIR server with others (it follows the server's history) whose server
 * loses acknowledged commits, or is changed behind its back: the index is repaired from the store, no submission
 * stays stuck on a record the server no longer has, and /ready stays UP.
 */
class LostCommitsTest {
  @TempDir
  static Path dir;
  private static TestRegistry a;

  @BeforeAll
  static void start() {
    HapiTestServer.shared().reset();
    java.util.Map<String, String> env = new java.util.HashMap<>(HapiTestServer.shared().registryEnv());
    env.put("CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "60000");
    a = new TestRegistry(dir.resolve("a"), env).start();
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
  }

  private static void ready(TestRegistry r) {
    HttpResponse<Buffer> ready = r.get("admin", "/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
  }

  @Test
  void recordsWhoseCreationTheServerLostAreTakenOutOfTheIndex() {
    // Resubmitted: made again under its own id, with a golden record the server has.
    JsonObject first = patient("openmrs", "lost-1", "Winnie", "Akello", "female", "1969-04-17", "0776 310 552", null);
    HttpResponse<Buffer> made = send(a, "openmrs", first).await();
    assertEquals(201, made.statusCode(), made.bodyAsString());
    String id = made.bodyAsJsonObject().getString("id");
    HapiTestServer.shared().lose("Patient/" + id, made.getHeader("LocationCRUID"));
    HttpResponse<Buffer> again = send(a, "openmrs", first).await();
    assertEquals(201, again.statusCode(), again.bodyAsString());
    assertEquals(id, again.bodyAsJsonObject().getString("id"));
    HttpResponse<Buffer> other = send(a, "lims", patient("lims", "lost-2", "Winnie", "Akello", "female", "1969-04-17",
        "0776 310 552", null)).await();
    assertEquals(201, other.statusCode(), other.bodyAsString());
    assertEquals(again.getHeader("LocationCRUID"), other.getHeader("LocationCRUID"));
    // Not resubmitted: another record of the person finds the lost one as its candidate, and is not stuck on it.
    HttpResponse<Buffer> gone = send(a, "openmrs", patient("openmrs", "lost-3", "Denis", "Ocen", "male", "1981-08-02",
        "0712 440 981", null)).await();
    assertEquals(201, gone.statusCode(), gone.bodyAsString());
    HapiTestServer.shared().lose("Patient/" + gone.bodyAsJsonObject().getString("id"), gone.getHeader("LocationCRUID"));
    HttpResponse<Buffer> next = send(a, "lims", patient("lims", "lost-4", "Denis", "Ocen", "male", "1981-08-02",
        "0712 440 981", null)).await();
    assertEquals(201, next.statusCode(), next.bodyAsString());
    assertTrue(!next.getHeader("LocationCRUID").equals(gone.getHeader("LocationCRUID")), "a golden record it has");
    assertEquals(200, send(a, "lims", patient("lims", "lost-4", "Denis", "Ocen", "male", "1981-08-02",
        "0712 440 981", null)).await().statusCode());
    ready(a);
  }

  @Test
  void anIndexAheadOfOrBehindTheStoreIsRepairedFromTheStore() throws Exception {
    HttpResponse<Buffer> first = send(a, "openmrs", person("openmrs", "v1", 400, "0774 500 600")).await();
    assertEquals(201, first.statusCode(), first.bodyAsString());
    String golden = first.getHeader("LocationCRUID").substring("Patient/".length());
    var index = a.registry().matching().get().index();
    // Ahead: the store lost the last commit of this golden record (a FHIR server that lost acknowledged writes).
    index.apply(List.of(), java.util.Map.of(golden, index.goldenVersion(golden) + 1));
    HttpResponse<Buffer> second = send(a, "lims", person("lims", "v2", 400, "0774 500 600")).await();
    assertEquals(201, second.statusCode(), second.bodyAsString());
    assertEquals(first.getHeader("LocationCRUID"), second.getHeader("LocationCRUID"));
    ready(a);
    // Behind: someone else changed the golden record on the server (a new version the index has not seen).
    HapiTestServer hapi = HapiTestServer.shared();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String stored = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hapi.baseUrl() + "/Patient/"
        + golden)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    JsonObject changed = new JsonObject(stored);
    changed.put("active", true);
    var put = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hapi.baseUrl() + "/Patient/" + golden))
        .header("Content-Type", "application/fhir+json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(changed.encode())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, put.statusCode(), put.body());
    HttpResponse<Buffer> third = send(a, "dhis2", person("dhis2", "v3", 400, "0774 500 600")).await();
    assertEquals(201, third.statusCode(), third.bodyAsString());
    assertEquals(first.getHeader("LocationCRUID"), third.getHeader("LocationCRUID"));
    ready(a);
  }

  @Test
  void aRoundThatReadTheServerBeforeItLostARecordDoesNotPutItBack() throws Exception {
    JsonObject first = patient("openmrs", "stale-1", "Akiki", "Nyakato", "female", "1975-10-09", "0782 115 930", null);
    HttpResponse<Buffer> made = send(a, "openmrs", first).await();
    assertEquals(201, made.statusCode(), made.bodyAsString());
    String id = made.bodyAsJsonObject().getString("id");
    MatchIndex index = a.registry().matching().get().index();
    HapiTestServer hapi = HapiTestServer.shared();
    Future<HttpResponse<Buffer>> next;
    try (HeldInServer read = HeldInServer.answering(hapi, RestOperationTypeEnum.HISTORY_TYPE, null)) {
      Future<Integer> stale = a.registry().followOtherWriters();
      read.arrived(); // the round has read the record from the server's history; its answer waits there
      hapi.lose("Patient/" + id, made.getHeader("LocationCRUID"));
      // Another record of the person: its lost race takes the record out, then waits for a round after this one.
      next = send(a, "lims", patient("lims", "stale-2", "Akiki", "Nyakato", "female", "1975-10-09", "0782 115 930",
          null));
      for (int i = 0; i < 1200 && index.contains(id); i++) {
        Thread.sleep(100);
      }
      assertFalse(index.contains(id), "the lost race took the record the server lost out of the index");
      try (HeldInServer after = HeldInServer.answering(hapi, RestOperationTypeEnum.HISTORY_TYPE, null)) {
        read.release();
        stale.await();
        assertFalse(index.contains(id), "the round that read the server before the loss did not put it back");
      }
    }
    assertEquals(201, next.await().statusCode(), next.result().bodyAsString());
    assertFalse(made.getHeader("LocationCRUID").equals(next.result().getHeader("LocationCRUID")),
        "a golden record the server has");
    ready(a);
  }
}
