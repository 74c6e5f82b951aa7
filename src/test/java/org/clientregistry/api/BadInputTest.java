package org.clientregistry.api;

import static org.clientregistry.Patients.jane;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import org.clientregistry.LogCapture;
import org.clientregistry.TestRegistry;
import org.clientregistry.security.DevCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad request gets the right 4xx and an OperationOutcome, and nothing is half-written. */
class BadInputTest {
  @TempDir
  static Path dir;
  static TestRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    registry = new TestRegistry(dir, java.util.Map.of("CR_SERVER_BODY_LIMIT_BYTES", "65536")).start();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @AfterEach
  void stillServing() {
    assertEquals(200, registry.get("openmrs", "/health").statusCode());
    assertEquals(200, registry.get("openmrs", "/ready").statusCode());
  }

  static HttpResponse<Buffer> raw(String client, String body, String contentType) {
    return registry.client(client).post("/fhir/Patient").putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body)).await();
  }

  static void assertOutcome(int status, HttpResponse<Buffer> r, String diagnosticsPart) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("OperationOutcome", body.getString("resourceType"));
    String diagnostics = body.getJsonArray("issue").getJsonObject(0).getString("diagnostics");
    assertTrue(diagnostics.contains(diagnosticsPart), diagnostics);
  }

  @Test
  void notJson() {
    assertOutcome(400, raw("openmrs", "this is not json", "application/fhir+json"), "not a valid FHIR");
  }

  @Test
  void notAPatient() {
    assertOutcome(400, raw("openmrs", "{\"resourceType\":\"Observation\",\"status\":\"final\"}",
        "application/fhir+json"), "Expected a Patient");
  }

  @Test
  void invalidFhir() {
    assertOutcome(400, raw("openmrs", "{\"resourceType\":\"Patient\",\"gender\":{\"x\":1}}",
        "application/json"), "Patient.gender");
  }

  @Test
  void noInternalIdentifierNamesTheAcceptedSystems() {
    JsonObject p = jane("lims", "wrong-system");
    assertOutcome(400, registry.post("openmrs", "/fhir/Patient", p), system("openmrs"));
  }

  @Test
  void unsupportedContentType() {
    assertOutcome(415, raw("openmrs", "<Patient/>", "application/fhir+xml"), "not supported");
  }

  @Test
  void oversizedBody() {
    JsonObject p = jane("openmrs", "big-1").put("text", new JsonObject().put("status", "generated")
        .put("div", "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + "x".repeat(70_000) + "</div>"));
    assertOutcome(413, registry.post("openmrs", "/fhir/Patient", p), "larger than");
    assertEquals(404, registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("openmrs")
        + "|big-1").statusCode());
  }

  @Test
  void bundleOfWrongType() {
    assertOutcome(400, registry.post("openmrs", "/fhir", new JsonObject().put("resourceType", "Bundle")
        .put("type", "collection")), "batch, transaction or message");
  }

  @Test
  void unknownClientCertificateIs403() throws Exception {
    // Signed by the registry's CA, but its CN names no configured client.
    Path certs = registry.certificates();
    DevCertificateAuthority.issueClient(certs.resolve("ca.crt"), certs.resolve("ca.key"), dir.resolve("stranger"),
        "stranger");
    WebClient stranger = registry.client(dir.resolve("stranger/stranger.crt"), dir.resolve("stranger/stranger.key"));
    HttpResponse<Buffer> r = stranger.post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(jane("openmrs", "s-1").encode())).await();
    assertOutcome(403, r, "not a configured client");
  }

  @Test
  void noCertificateDoesNotGetPastTheHandshake() {
    WebClient anonymous = registry.client(null, null);
    assertThrows(RuntimeException.class, () -> anonymous.post("/fhir/Patient")
        .putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(jane("openmrs", "a-1").encode())).await());
    assertThrows(RuntimeException.class, () -> anonymous.get("/fhir/metadata").send().await());
  }

  @Test
  void certificateFromAnotherCaFailsTheHandshakeAndTheRefusalIsLogged() throws Exception {
    Path other = dir.resolve("other-ca");
    DevCertificateAuthority.createCa(other, "Some other CA");
    DevCertificateAuthority.issueClient(other.resolve("ca.crt"), other.resolve("ca.key"), other, "openmrs");
    WebClient impostor = registry.clientPresentingAlways(other.resolve("openmrs.crt"), other.resolve("openmrs.key"));
    try (LogCapture log = new LogCapture("org.clientregistry.security.RefusalLoggingTrust")) {
      assertThrows(RuntimeException.class, () -> impostor.post("/fhir/Patient")
          .putHeader("Content-Type", "application/fhir+json")
          .sendBuffer(Buffer.buffer(jane("openmrs", "imp-1").encode())).await());
      // Subject and issuer, so that onboarding a system with a certificate from another CA can be debugged.
      assertTrue(log.await(l -> l.contains("subject 'CN=openmrs'") && l.contains("issuer 'CN=Some other CA'")),
          log.lines().toString());
    }
    assertEquals(404, registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("openmrs")
        + "|imp-1").statusCode(), "nothing was stored for the impostor");
  }

  @Test
  void unknownRouteAndMethod() {
    assertEquals(404, registry.get("openmrs", "/fhir/Nothing/here").statusCode());
  }
}
