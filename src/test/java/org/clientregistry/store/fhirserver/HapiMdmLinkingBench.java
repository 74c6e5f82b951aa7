package org.clientregistry.store.fhirserver;

import static org.clientregistry.Patients.jane;
import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * HAPI's own MDM, as {@link MdmTestConfig} wires it, really links: two records of one person end on one golden
 * Patient, a clearly different person on another. A check of {@link MdmBench}'s wiring, run with it on purpose
 * ({@code mvn -q test -Dtest=HapiMdmLinkingBench -Dcr.bench=true}): it starts a HAPI server with MDM of its own,
 * which takes about a minute, longer than the normal suite should spend on a harness.
 */
@EnabledIfSystemProperty(named = "cr.bench", matches = "true")
class HapiMdmLinkingBench {
  private static HapiTestServer hapi;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    hapi = HapiTestServer.start(MdmTestConfig.class);
    System.out.printf("HAPI with MDM started in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stop() {
    hapi.stop();
  }

  @Test
  void twoRecordsOfOnePersonShareOneGoldenPatient() throws Exception {
    String a = create(jane("openmrs", "mdm-jane-1"));
    String b = create(jane("lims", "mdm-jane-2"));
    String other = create(patient("openmrs", "mdm-brian-1", "Brian", "Ssempa", "male", "1961-11-30", "0701999888",
        null));

    long posted = System.nanoTime();
    JsonObject linkA = awaitLink(a);
    JsonObject linkB = awaitLink(b);
    JsonObject linkOther = awaitLink(other);
    System.out.printf("MDM linked 3 Patients %.1f s after they were created%n", (System.nanoTime() - posted) / 1e9);

    assertEquals("MATCH", value(linkA, "matchResult"), linkA.encode());
    assertEquals("MATCH", value(linkB, "matchResult"), linkB.encode());
    assertEquals(value(linkA, "goldenResourceId"), value(linkB, "goldenResourceId"), "one golden Patient for Jane");
    assertNotEquals(value(linkA, "goldenResourceId"), value(linkOther, "goldenResourceId"),
        "another golden Patient for Brian");
    // The link table the bench reads agrees with $mdm-query-links.
    assertEquals(value(linkA, "goldenResourceId"),
        "Patient/" + MdmTestConfig.links(hapi).get(a).get(0).golden());
  }

  private String create(JsonObject patient) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hapi.baseUrl() + "/Patient"))
        .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(patient.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("id");
  }

  /** The patient's MDM link from {@code $mdm-query-links}, once MDM has made it (polled, 120 s at most). */
  private JsonObject awaitLink(String id) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hapi.baseUrl()
          + "/$mdm-query-links?resourceId=Patient/" + id)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      Optional<JsonObject> link = parameters(new JsonObject(r.body())).filter(p -> "link".equals(p.getString("name")))
          .findFirst();
      if (link.isPresent()) {
        return link.get();
      }
      Thread.sleep(200);
    }
    return fail("Patient/" + id + " got no MDM link within 120 s");
  }

  private static java.util.stream.Stream<JsonObject> parameters(JsonObject parameters) {
    JsonArray p = parameters.getJsonArray("parameter", new JsonArray());
    return p.stream().map(JsonObject.class::cast);
  }

  private static String value(JsonObject link, String part) {
    return link.getJsonArray("part").stream().map(JsonObject.class::cast).filter(p -> part.equals(p.getString("name")))
        .map(p -> p.getString("valueString", p.getString("valueCode"))).findFirst().orElse(null);
  }
}
