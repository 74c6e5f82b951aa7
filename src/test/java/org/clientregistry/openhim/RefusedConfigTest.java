package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.LogCapture;
import org.clientregistry.TestRegistry;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.security.DevCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config core accepted but the registry refused is visible while it lasts: /ready says why (and stays 200: the
 * previous config serves), a metric is 1, and every heartbeat logs it. Failures to reach core say what to fix.
 */
class RefusedConfigTest {
  @TempDir Path dir;

  private static JsonObject withClient(String id) {
    JsonObject config = CoreStub.defaultConfig();
    config.getJsonArray("clients").add(new JsonObject().put("id", id)
        .put("internalIdSystems", "http://clientregistry.org/" + id).put("roles", "pos"));
    return config;
  }

  @Test
  void aRefusedConfigShowsInReadyMetricsAndEveryHeartbeat() throws Exception {
    try (CoreStub core = new CoreStub(); TestRegistry registry = new TestRegistry(dir, core.env());
         LogCapture log = new LogCapture(MediatorLink.class)) {
      core.answer(withClient("emr-kampala"));
      registry.start();
      WebClient http = WebClient.create(registry.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(registry.port));
      CoreStub.await(() -> http.get("/ready").send().await().statusCode() == 200, "ready with core's config");

      JsonObject broken = withClient("lab-gulu").put("decisionRules", "{\"rules\": [");
      core.answer(broken);
      CoreStub.await(() -> http.get("/ready").send().await().bodyAsJsonObject().containsKey("configRefused"),
          "the refusal in /ready");
      JsonObject ready = http.get("/ready").send().await().bodyAsJsonObject();
      assertEquals("UP", ready.getString("status"), "the previous config serves");
      assertTrue(ready.getString("configRefused").contains("decisionRules"), ready.encode());
      assertTrue(http.get("/metrics").send().await().bodyAsString().contains("cr_openhim_config_refused 1"));
      assertTrue(registry.registry().live().client("lab-gulu").isEmpty());
      assertTrue(registry.registry().live().client("emr-kampala").isPresent());
      CoreStub.await(() -> log.lines().stream().filter(l -> l.contains("is refused by the registry")).count() >= 3,
          "a log line at every heartbeat while it lasts");

      core.answer(withClient("lab-gulu"));
      CoreStub.await(() -> registry.registry().live().client("lab-gulu").isPresent(), "the corrected config");
      CoreStub.await(() -> !http.get("/ready").send().await().bodyAsJsonObject().containsKey("configRefused"),
          "the refusal gone from /ready");
      assertTrue(http.get("/metrics").send().await().bodyAsString().contains("cr_openhim_config_refused 0"));
      http.close();
    }
  }

  @Test
  void anUntrustedCoreCertificateIsNamed() throws Exception {
    DevCertificateAuthority.createCa(dir, "some-other-ca");
    WireMockServer https = new WireMockServer(options().dynamicPort().dynamicHttpsPort());
    https.start();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      RegistryConfig config = ConfigLoader.load(Path.of("config"), Map.of(
          "CR_MEDIATOR_REGISTER", "true",
          "CR_MEDIATOR_CORE_API_URL", "https://localhost:" + https.httpsPort(),
          "CR_MEDIATOR_CORE_PASSWORD", "a-core-password",
          "CR_MEDIATOR_ROUTE_PASSWORD", CoreStub.ROUTE_PASSWORD,
          "CR_MEDIATOR_CORE_TRUST_CERTIFICATE", dir.resolve("ca.crt").toString()));
      CoreApi api = new CoreApi(vertx, config.mediator().core());
      CoreException e = assertThrows(CoreException.class, () -> api.register(new JsonObject()).await());
      assertTrue(e.getMessage().contains("subject '") && e.getMessage().contains("issuer '")
          && e.getMessage().contains("mediator.core.trustCertificate"), e.getMessage());
      assertFalse(e.getMessage().contains("a-core-password"));
      api.close();
    } finally {
      vertx.close().await();
      https.stop();
    }
  }
}
