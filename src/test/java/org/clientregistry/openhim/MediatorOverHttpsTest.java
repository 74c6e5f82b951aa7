package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.clientregistry.security.DevCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mediator mode on HTTPS: core may prove itself with its client certificate (CN openhim-core, issued by a CA the
 * registry trusts) instead of the route's password; any other certificate is not core. Core itself is
 * unreachable here: the registry keeps serving while it retries registration.
 */
class MediatorOverHttpsTest {
  @TempDir static Path dir;
  static TestRegistry registry;
  static WebClient core;
  static WebClient emr;

  @BeforeAll
  static void start() throws Exception {
    registry = new TestRegistry(dir, Map.of(
        "CR_MEDIATOR_REGISTER", "true",
        "CR_MEDIATOR_CORE_API_URL", "http://127.0.0.1:" + TestRegistry.freePort(),
        "CR_MEDIATOR_CORE_PASSWORD", "a-core-password",
        "CR_MEDIATOR_ROUTE_PASSWORD", "route-secret-0123")).start();
    Path certs = registry.certificates();
    DevCertificateAuthority.issueClient(certs.resolve("ca.crt"), certs.resolve("ca.key"), certs, "openhim-core");
    core = registry.client(certs.resolve("openhim-core.crt"), certs.resolve("openhim-core.key"));
    emr = registry.client("openmrs");
  }

  @AfterAll
  static void stop() {
    core.close();
    registry.close();
  }

  @Test
  void coresCertificateIsLetInAndAClientsCertificateIsNot() {
    HttpResponse<Buffer> viaCore = core.post("/fhir/Patient").putHeader("X-OpenHIM-ClientID", "openmrs")
        .putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Patients.jane("openmrs", "TLS-1").toBuffer()).await();
    assertEquals(201, viaCore.statusCode(), viaCore.bodyAsString());
    assertEquals("Successful", viaCore.bodyAsJsonObject().getString("status"));

    HttpResponse<Buffer> direct = emr.post("/fhir/Patient").putHeader("X-OpenHIM-ClientID", "openmrs")
        .putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Patients.jane("openmrs", "TLS-2").toBuffer()).await();
    assertEquals(401, direct.statusCode(), "in mediator mode only core may call, even a known client's certificate");
  }

  @Test
  void notReadyWhileCoreHasNotAcceptedTheRegistration() {
    HttpResponse<Buffer> ready = emr.get("/ready").send().await();
    assertEquals(503, ready.statusCode());
    assertEquals("not registered with OpenHIM core", ready.bodyAsJsonObject().getString("reason"));
    String metrics = emr.get("/metrics").send().await().bodyAsString();
    org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("cr_openhim_registered 0"), metrics);
  }
}
