package org.clientregistry.store.fhirserver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FHIR server failing: WireMock passes everything through to the real HAPI server except the faults a test
 * injects (500s, answers slower than the timeout, 412s, refused connections). The registry answers 503 with
 * Retry-After, writes nothing, reports not ready, and recovers without a restart.
 */
class FhirServerFaultsTest {
  @TempDir
  static Path dir;
  private static WireMockServer wiremock;
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wiremock.start();
    wiremock.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse()
        .proxiedFrom("http://127.0.0.1:" + hapi.port())));
    Map<String, String> env = new HashMap<>(hapi.registryEnv());
    env.put("CR_STORE_FHIR_SERVER_BASE_URL", "http://127.0.0.1:" + wiremock.port() + "/fhir");
    env.put("CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "2500");
    env.put("CR_STORE_FHIR_SERVER_RETRY_AFTER_SECONDS", "7");
    registry = new TestRegistry(dir, env).start();
  }

  @AfterAll
  static void stop() {
    registry.close();
    wiremock.stop();
  }

  @AfterEach
  void healed() {
    wiremock.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() < 10)
        .map(StubMapping::getId).toList().forEach(wiremock::removeStubMapping);
  }

  private static HttpResponse<Buffer> submit(String id) {
    return registry.post("openmrs", "/fhir/Patient", patient("openmrs", id, "Rebecca", "Alanyo", "female",
        "1990-10-10", null, null));
  }

  private static int pix(String id) {
    return registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("openmrs") + "|" + id)
        .statusCode();
  }

  @Test
  void aFailingTransactionIs503WithRetryAfterAndNothingWritten() {
    wiremock.stubFor(post(urlEqualTo("/fhir")).atPriority(1).willReturn(aResponse().withStatus(500)));
    HttpResponse<Buffer> r = submit("f-500");
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("7", r.getHeader("Retry-After"));
    healed();
    assertEquals(404, pix("f-500"), "nothing was written");
    assertEquals(201, submit("f-500").statusCode(), "recovers without a restart");
    assertEquals(200, pix("f-500"));
  }

  @Test
  void aServerSlowerThanTheTimeoutIs503() {
    wiremock.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withFixedDelay(6000).withStatus(200)));
    HttpResponse<Buffer> r = submit("f-slow");
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("7", r.getHeader("Retry-After"));
    healed();
    assertEquals(201, submit("f-slow").statusCode());
  }

  @Test
  void readinessFollowsTheServer() {
    wiremock.stubFor(get(urlPathEqualTo("/fhir/Patient")).atPriority(1).willReturn(aResponse().withStatus(503)));
    assertEquals(503, registry.get("admin", "/ready").statusCode());
    healed();
    HttpResponse<Buffer> ready = registry.get("admin", "/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
  }

  @Test
  void versionConflictsAreRetriedABoundedNumberOfTimesThen409() {
    wiremock.resetRequests();
    wiremock.stubFor(post(urlEqualTo("/fhir")).atPriority(1).willReturn(aResponse().withStatus(412)
        .withHeader("Content-Type", "application/fhir+json").withBody("{\"resourceType\":\"OperationOutcome\"}")));
    HttpResponse<Buffer> r = submit("f-412");
    assertEquals(409, r.statusCode(), r.bodyAsString());
    wiremock.verify(8, postRequestedFor(urlEqualTo("/fhir")));
    healed();
    assertEquals(201, submit("f-412").statusCode());
  }
}
