package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry against a real OpenHIM core (openhim-core 4.0.5 from npm on Node.js, with mongo-java-server as its
 * database): it registers itself, core installs its default channel, a config change made through core's API is
 * applied, a patient sent through core's router by a client is registered, and core keeps the transaction with the
 * registry's status, orchestrations and properties. Needs node and npm: without them it fails, saying so.
 */
class OpenHimCoreEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URN = "urn:mediator:client-registry";
  private static final String CLIENT_PASSWORD = "client-password-1";
  @TempDir static Path dir;
  static OpenHimCore core;
  static TestRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    Path project = Path.of("").toAbsolutePath();
    core = OpenHimCore.start(project, project.resolve("target"));
    registry = new TestRegistry(dir, Map.of(
        "CR_MEDIATOR_REGISTER", "true",
        "CR_SERVER_TLS", "false",
        "CR_MEDIATOR_ENDPOINT_HOST", "127.0.0.1",
        "CR_MEDIATOR_CORE_API_URL", core.apiBase(),
        "CR_MEDIATOR_CORE_AUTH", "token", // 4.0.5 predates Basic auth on the API
        "CR_MEDIATOR_CORE_PASSWORD", OpenHimCore.ROOT_PASSWORD,
        "CR_MEDIATOR_CORE_TRUST_ALL", "true", // core's self-signed development certificate
        "CR_MEDIATOR_ALLOW_DEVELOPMENT_DEFAULTS", "true",
        "CR_MEDIATOR_ROUTE_PASSWORD", "route-secret-0123",
        "CR_MEDIATOR_HEARTBEAT_SECONDS", "1")).start();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (core != null) {
      core.close();
    }
  }

  @Test
  void registersTakesConfigAndServesAClientThroughCoresRouter() throws Exception {
    waitFor("the mediator to register", () -> status("GET", "/mediators/" + URN, null) == 200);

    HttpResponse<String> installed = core.api("POST", "/mediators/" + URN + "/channels",
        "[\"Client Registry FHIR\"]");
    assertEquals(201, installed.statusCode(), installed.body());

    // An implementer adds a client in the console: core pushes the config on the next heartbeat.
    JsonObject config = MediatorDescription.read(registry.config().mediator()).defaultConfig();
    config.getJsonArray("clients").add(new JsonObject().put("id", "emr-kampala").put("name", "Kampala EMR")
        .put("internalIdSystems", "http://clientregistry.org/emr-kampala").put("roles", "pos"));
    HttpResponse<String> put = core.api("PUT", "/mediators/" + URN + "/config", config.encode());
    assertEquals(200, put.statusCode(), put.body());
    waitFor("the config from core to be applied",
        () -> registry.registry().live().client("emr-kampala").isPresent());

    String salt = "0f5a9c";
    HttpResponse<String> client = core.api("POST", "/clients", new JsonObject()
        .put("clientID", "emr-kampala").put("name", "Kampala EMR")
        .put("roles", new io.vertx.core.json.JsonArray().add("client-registry-pos"))
        .put("passwordAlgorithm", "sha512").put("passwordSalt", salt)
        .put("passwordHash", OpenHimCore.sha512Hex(CLIENT_PASSWORD + salt)).encode());
    assertEquals(201, client.statusCode(), client.body());

    HttpResponse<String> routed = core.http.send(HttpRequest.newBuilder(
            URI.create(core.routerHttpBase() + "/fhir/Patient"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("emr-kampala:" + CLIENT_PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/fhir+json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(Patients.patient("emr-kampala", "K-77", "Grace", "Auma",
            "female", "1985-02-03", null, null).encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, routed.statusCode(), routed.body());
    assertEquals("Patient", JSON.readTree(routed.body()).path("resourceType").asText(),
        "core hands the client the FHIR body from inside the envelope");
    String cruid = routed.headers().firstValue("LocationCRUID").orElseThrow().replace("Patient/", "");

    JsonNode tx = null;
    long deadline = System.currentTimeMillis() + 15_000;
    while (tx == null && System.currentTimeMillis() < deadline) {
      HttpResponse<String> list = core.api("GET",
          "/transactions?filterLimit=20&filterPage=0&filterRepresentation=full", null);
      assertEquals(200, list.statusCode(), list.body());
      for (JsonNode t : JSON.readTree(list.body())) {
        if ("/fhir/Patient".equals(t.path("request").path("path").asText())
            && !"Processing".equals(t.path("status").asText())) {
          tx = t;
        }
      }
      Thread.sleep(200);
    }
    assertNotNull(tx, "core did not store the transaction");
    assertEquals("Successful", tx.path("status").asText());
    assertEquals(201, tx.path("response").path("status").asInt());
    assertEquals(cruid, tx.path("properties").path("cruid").asText());
    assertEquals("created", tx.path("properties").path("outcome").asText());
    // Core adds its own record of the route call; ours are the store calls, each with its timestamps.
    java.util.List<JsonNode> ours = new java.util.ArrayList<>();
    tx.path("orchestrations").forEach(o -> {
      if (o.path("name").asText().startsWith("Store: ")) {
        ours.add(o);
      }
    });
    assertTrue(ours.size() >= 1, tx.path("orchestrations").toString());
    assertTrue(ours.stream().anyMatch(o -> o.path("name").asText().equals("Store: commit")), ours.toString());
    for (JsonNode o : ours) {
      assertTrue(o.path("request").hasNonNull("timestamp"), o.toString());
      assertEquals(200, o.path("response").path("status").asInt(), o.toString());
    }
  }

  private static int status(String method, String path, String body) {
    try {
      return core.api(method, path, body).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; core's log:\n" + core.logTail());
      }
      Thread.sleep(200);
    }
  }
}
