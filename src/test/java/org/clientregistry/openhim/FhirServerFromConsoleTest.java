package org.clientregistry.openhim;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.clientregistry.store.fhirserver.FhirServerStore;
import org.clientregistry.store.fhirserver.HapiTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console changes the FHIR server settings of a registry on the fhirserver store: the new server must answer
 * before it is used, then submissions go there without a restart; an unreachable one is refused and the old
 * settings stay. The "other" server is a pass-through in front of the same HAPI server, so the records stay.
 */
class FhirServerFromConsoleTest {
  @TempDir static Path dir;
  static WireMockServer proxy;
  static TestRegistry registry;
  static ConfigApplier applier;

  @BeforeAll
  static void start() {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    proxy.start();
    proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + hapi.port())));
    registry = new TestRegistry(dir, hapi.registryEnv()).start();
    applier = new ConfigApplier(registry.vertx, registry.registry().store(),
        registry.vertx.createSharedWorkerExecutor("test-console"), registry.registry().matching(),
        registry.registry().live(), registry.config().matching().rulesFile());
  }

  @AfterAll
  static void stop() {
    registry.close();
    proxy.stop();
  }

  private static JsonObject console(String baseUrl) {
    JsonObject config = MediatorDescription.read(registry.config().mediator()).defaultConfig();
    config.put("fhirServer", new JsonObject().put("baseUrl", baseUrl).put("username", "").put("password", "")
        .put("bearerToken", ""));
    return config;
  }

  @Test
  void newServerSettingsAreTriedThenUsedAndAnUnreachableServerIsRefused() {
    FhirServerStore store = (FhirServerStore) registry.registry().store();
    assertEquals(201, registry.post("openmrs", "/fhir/Patient", Patients.jane("openmrs", "CONSOLE-1")).statusCode());

    String moved = "http://127.0.0.1:" + proxy.port() + "/fhir";
    applier.apply(console(moved)).await();
    assertEquals(moved, store.settings().baseUrl());
    assertEquals(201, registry.post("openmrs", "/fhir/Patient", Patients.jane("openmrs", "CONSOLE-2")).statusCode());
    assertTrue(proxy.findAll(postRequestedFor(urlEqualTo("/fhir"))).size() >= 1, "the transaction went to the new URL");
    assertEquals(2, registry.registry().matching().get().index().size(), "the index was rebuilt from the new URL");

    String nowhere = "http://127.0.0.1:" + TestRegistry.freePort() + "/fhir";
    assertThrows(Exception.class, () -> applier.apply(console(nowhere)).await());
    assertEquals(moved, store.settings().baseUrl(), "an unreachable server is not used");
    assertEquals(201, registry.post("openmrs", "/fhir/Patient", Patients.jane("openmrs", "CONSOLE-3")).statusCode());
  }
}
