package org.clientregistry.store.fhirserver;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registries (replicas) on one in-process HAPI FHIR server, neither following the other on a timer (the worst
 * case: each index only learns from the store when a write or a look-up tells it to). The same records and the same
 * people sent to both at once and one after the other: idempotent answers, no 500, one golden record per person.
 */
class ReplicasTest {
  @TempDir
  static Path dir;
  private static TestRegistry a;
  private static TestRegistry b;

  @BeforeAll
  static void start() {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    // Generous: two registries and HAPI share a small, busy machine; a timed-out write is not what is tested here.
    java.util.Map<String, String> env = new java.util.HashMap<>(hapi.registryEnv());
    env.put("CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "60000");
    a = new TestRegistry(dir.resolve("a"), env).start();
    b = new TestRegistry(dir.resolve("b"), env).start();
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  static JsonObject person(String client, String id, int n, String phone) {
    return patient(client, id, "Given" + (char) ('a' + n % 26) + n, "Family" + n, n % 2 == 0 ? "male" : "female",
        (1950 + n % 50) + "-0" + (1 + n % 9) + "-1" + (n % 10), phone, null);
  }

  static Future<HttpResponse<Buffer>> send(TestRegistry to, String client, JsonObject body) {
    return to.client(client).post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body.encode()));
  }

  /** The CRUID a record belongs to now, as an unchanged resubmission answers it (idempotent: nothing written). */
  static String cruidNow(TestRegistry on, String client, JsonObject record) {
    HttpResponse<Buffer> again = send(on, client, record).await();
    assertEquals(200, again.statusCode(), again.bodyAsString());
    return again.getHeader("LocationCRUID");
  }

  private static void ready(TestRegistry r) {
    HttpResponse<Buffer> ready = r.get("admin", "/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
  }

  @Test
  void theSameRecordSentToBothAtOnceIsAnsweredIdempotently() {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    int people = 20;
    for (int n = 0; n < people; n++) {
      JsonObject record = person("openmrs", "same-" + n, n, "0700 100 1" + (10 + n));
      sent.add(send(a, "openmrs", record));
      sent.add(send(b, "openmrs", record));
    }
    Future.join(sent).await();
    for (int n = 0; n < people; n++) {
      HttpResponse<Buffer> fromA = sent.get(2 * n).result();
      HttpResponse<Buffer> fromB = sent.get(2 * n + 1).result();
      assertTrue(fromA.statusCode() == 200 || fromA.statusCode() == 201, fromA.statusCode() + fromA.bodyAsString());
      assertTrue(fromB.statusCode() == 200 || fromB.statusCode() == 201, fromB.statusCode() + fromB.bodyAsString());
      assertEquals(fromA.bodyAsJsonObject().getString("id"), fromB.bodyAsJsonObject().getString("id"));
      assertEquals(fromA.getHeader("LocationCRUID"), fromB.getHeader("LocationCRUID"));
    }
    // An update of a record the other replica made, before it has looked at the store: 200, not a 500.
    for (int n = 0; n < 5; n++) {
      HttpResponse<Buffer> created = send(a, "openmrs", person("openmrs", "upd-" + n, 100 + n, "0711 200 2" + (10 + n)))
          .await();
      assertEquals(201, created.statusCode(), created.bodyAsString());
      HttpResponse<Buffer> updated = send(b, "openmrs", person("openmrs", "upd-" + n, 100 + n,
          "0711 200 3" + (10 + n))).await();
      assertEquals(200, updated.statusCode(), updated.bodyAsString());
      assertEquals(created.getHeader("LocationCRUID"), updated.getHeader("LocationCRUID"));
    }
    ready(a);
    ready(b);
  }

  @Test
  void onePersonSentToBothReplicasGetsOneGoldenRecord() {
    int people = 12;
    // At once: record 1 of each person to replica a, record 2 (another system, the same person) to replica b.
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int n = 0; n < people; n++) {
      sent.add(send(a, "openmrs", person("openmrs", "p1-" + n, 200 + n, "0752 300 4" + (10 + n))));
      sent.add(send(b, "lims", person("lims", "p2-" + n, 200 + n, "0752 300 4" + (10 + n))));
    }
    Future.join(sent).await();
    sent.forEach(f -> assertEquals(201, f.result().statusCode(), f.result().bodyAsString()));
    for (int n = 0; n < people; n++) {
      assertEquals(cruidNow(a, "openmrs", person("openmrs", "p1-" + n, 200 + n, "0752 300 4" + (10 + n))),
          cruidNow(b, "lims", person("lims", "p2-" + n, 200 + n, "0752 300 4" + (10 + n))),
          "person " + n + " has one golden record");
    }
    // One after the other: record 2 goes to the other replica as soon as record 1 is answered.
    for (int n = 0; n < 10; n++) {
      HttpResponse<Buffer> first = send(a, "openmrs", person("openmrs", "q1-" + n, 300 + n, "0753 400 5" + (10 + n)))
          .await();
      HttpResponse<Buffer> second = send(b, "lims", person("lims", "q2-" + n, 300 + n, "0753 400 5" + (10 + n)))
          .await();
      assertEquals(201, first.statusCode(), first.bodyAsString());
      assertEquals(201, second.statusCode(), second.bodyAsString());
      assertEquals(first.getHeader("LocationCRUID"), second.getHeader("LocationCRUID"), "person " + n);
    }
    ready(a);
    ready(b);
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
}
