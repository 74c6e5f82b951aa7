package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console config survives a restart: the registry keeps the last config core sent and it accepted, and starts
 * from it (its clients, its rules, the index read back from the snapshot those rules made) before core sends
 * anything; /ready is 503 until the config in force is known.
 */
class ConsoleConfigRestartTest {
  @TempDir Path dir;

  private static JsonObject consoleConfig() {
    JsonObject config = CoreStub.defaultConfig();
    config.getJsonArray("clients").add(new JsonObject().put("id", "emr-kampala").put("name", "Kampala EMR")
        .put("internalIdSystems", "http://clientregistry.org/emr-kampala").put("roles", "pos"));
    config.put("thresholds", new JsonArray().add(new JsonObject().put("ruleSet", "demographics")
        .put("autoMatchThreshold", 5).put("potentialMatchThreshold", 3)));
    return config;
  }

  @Test
  void aRestartStartsFromTheLastAcceptedConsoleConfig() throws Exception {
    try (CoreStub core = new CoreStub(); TestRegistry registry = new TestRegistry(dir, core.env())) {
      registry.start();
      WebClient http = WebClient.create(registry.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(registry.port));
      // Registered, but core has sent no config yet: the config in force is not known.
      CoreStub.await(() -> registry.registry().mediatorLink().registered(), "registration");
      HttpResponse<Buffer> waiting = http.get("/ready").send().await();
      assertEquals(503, waiting.statusCode());
      assertEquals("the config from OpenHIM core has not been received yet",
          waiting.bodyAsJsonObject().getString("reason"));

      core.answer(consoleConfig());
      CoreStub.await(() -> registry.registry().live().client("emr-kampala").isPresent(), "the console config");
      CoreStub.await(() -> http.get("/ready").send().await().statusCode() == 200, "ready");
      assertEquals("OpenHIM core", http.get("/ready").send().await().bodyAsJsonObject().getString("configSource"));
      Path saved = registry.config().store().dataDir().resolve(ConsoleConfigFile.NAME);
      assertTrue(Files.exists(saved));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
      HttpResponse<Buffer> first = CoreStub.fromCore(http.post("/fhir/Patient"), "emr-kampala")
          .sendBuffer(Patients.jane("emr-kampala", "K-1").toBuffer()).await();
      assertEquals(201, first.statusCode(), first.bodyAsString());

      // Restarted while core answers heartbeats with "no change": only the saved copy can tell the config.
      core.answer(null);
      registry.stop();
      registry.start();
      assertTrue(registry.registry().live().client("emr-kampala").isPresent(), "the console's client, at once");
      assertEquals(5.0, registry.registry().matching().get().rules().ruleSets().get(0).autoThreshold());
      CoreStub.await(() -> registry.registry().mediatorLink().registered(), "registration after the restart");
      HttpResponse<Buffer> ready = http.get("/ready").send().await();
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
      assertEquals("saved copy of core's config", ready.bodyAsJsonObject().getString("configSource"));
      HttpResponse<Buffer> again = CoreStub.fromCore(http.post("/fhir/Patient"), "emr-kampala")
          .sendBuffer(Patients.jane("emr-kampala", "K-2").toBuffer()).await();
      assertEquals(201, again.statusCode(), "a client the console allowed is allowed from the first request");

      // Started from the saved rules, nothing was rebuilt: the next restart reads the index its snapshot kept.
      registry.stop();
      registry.start();
      assertTrue(registry.registry().matching().restoredFromSnapshot(),
          "the index was read back from its snapshot (made with the console's rules), not built twice");
      assertEquals(2, registry.registry().matching().get().index().size());
      http.close();
    }
  }
}
