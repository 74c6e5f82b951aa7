package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.clientregistry.security.DevCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTPS route as core 8.x calls it: core always presents its own certificate (here issued by a CA the registry
 * does not otherwise trust) and the route's Basic credentials. With {@code mediator.coreClientCertificate} naming
 * that certificate the handshake passes and the password lets core in; a certificate from another CA is still
 * refused at the handshake, even with the password and core's certificate name. Both clients send their
 * certificate whatever CAs the server names, as core (Node.js) does.
 */
class CoreCertificateRouteTest {
  @TempDir static Path dir;
  static CoreStub core;
  static TestRegistry registry;
  static WebClient asCore;
  static WebClient stranger;

  @BeforeAll
  static void start() throws Exception {
    Path coreCerts = dir.resolve("core");
    DevCertificateAuthority.createCa(coreCerts, "OpenHIM core's own CA");
    DevCertificateAuthority.issueClient(coreCerts.resolve("ca.crt"), coreCerts.resolve("ca.key"), coreCerts,
        "localhost");
    Path strangerCerts = dir.resolve("stranger");
    DevCertificateAuthority.createCa(strangerCerts, "Some other CA");
    DevCertificateAuthority.issueClient(strangerCerts.resolve("ca.crt"), strangerCerts.resolve("ca.key"),
        strangerCerts, "openhim-core");
    core = new CoreStub();
    Map<String, String> env = core.env();
    env.put("CR_SERVER_TLS", "true");
    env.put("CR_MEDIATOR_CORE_CLIENT_CERTIFICATE", coreCerts.resolve("localhost.crt").toString());
    registry = new TestRegistry(dir.resolve("registry"), env).start();
    asCore = registry.clientPresentingAlways(coreCerts.resolve("localhost.crt"), coreCerts.resolve("localhost.key"));
    stranger = registry.clientPresentingAlways(strangerCerts.resolve("openhim-core.crt"),
        strangerCerts.resolve("openhim-core.key"));
  }

  @AfterAll
  static void stop() {
    asCore.close();
    stranger.close();
    registry.close();
    core.close();
  }

  private static HttpRequest<Buffer> submission(WebClient client, boolean withPassword, String id) {
    HttpRequest<Buffer> request = client.post("/fhir/Patient").putHeader("X-OpenHIM-ClientID", "openmrs")
        .putHeader("Content-Type", "application/fhir+json");
    if (withPassword) {
      request.putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          ("client-registry:" + CoreStub.ROUTE_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  @Test
  void coreWithItsOwnCertificateAndTheRoutePasswordGetsIn() {
    HttpResponse<Buffer> r = submission(asCore, true, "HTTPS-1")
        .sendBuffer(Patients.jane("openmrs", "HTTPS-1").toBuffer()).await();
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("Successful", r.bodyAsJsonObject().getString("status"));
  }

  @Test
  void coresCertificateAloneIsNotEnoughWhenItsNameIsNotCoresName() {
    HttpResponse<Buffer> r = submission(asCore, false, "HTTPS-2")
        .sendBuffer(Patients.jane("openmrs", "HTTPS-2").toBuffer()).await();
    assertEquals(401, r.statusCode());
    assertEquals("Failed", r.bodyAsJsonObject().getString("status"));
  }

  @Test
  void theDocumentedRouteCheckWithoutACertificateAnswersWithThePassword() {
    // docs/openhim.md, HTTPS route step 5: curl --cacert certificates/ca.crt -u client-registry:... /fhir/metadata
    WebClient curl = registry.client(null, null);
    try {
      HttpResponse<Buffer> r = curl.get("/fhir/metadata").putHeader("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(("client-registry:" + CoreStub.ROUTE_PASSWORD).getBytes(StandardCharsets.UTF_8)))
          .send().await();
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals("CapabilityStatement", new io.vertx.core.json.JsonObject(r.bodyAsJsonObject()
          .getJsonObject("response").getString("body")).getString("resourceType"));
    } finally {
      curl.close();
    }
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedAtTheHandshakeEvenWithThePassword() {
    assertThrows(Exception.class, () -> submission(stranger, true, "HTTPS-3")
        .sendBuffer(Patients.jane("openmrs", "HTTPS-3").toBuffer()).await());
  }
}
