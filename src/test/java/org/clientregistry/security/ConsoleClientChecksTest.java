package org.clientregistry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.clientregistry.LogCapture;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.clientregistry.config.LiveSettings;
import org.clientregistry.openhim.ConfigApplier;
import org.clientregistry.openhim.MediatorDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config pushed from the OpenHIM console meets the client checks of the clients file (docs/security.md): clients
 * sharing an internal-id system, or claiming the CRUID or the national-id system, are refused with the key named
 * and logged, and the config in force stays; a client's PIX grant from the console is applied and obeyed.
 */
class ConsoleClientChecksTest {
  @TempDir
  static Path dir;
  static TestRegistry registry;
  static ConfigApplier applier;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(dir).start();
    applier = new ConfigApplier(registry.vertx.createSharedWorkerExecutor("test-console-checks"),
        registry.registry().matching(), registry.registry().live(), registry.config().matching().rulesFile());
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static JsonObject consoleConfig(JsonObject... extraClients) {
    JsonObject config = MediatorDescription.read(registry.config().mediator()).defaultConfig();
    JsonArray clients = config.getJsonArray("clients");
    List.of(extraClients).forEach(clients::add);
    return config;
  }

  static JsonObject client(String id, String systems) {
    return new JsonObject().put("id", id).put("internalIdSystems", systems).put("roles", "pos");
  }

  @Test
  void clientsThatMixUpWhoseRecordsAreWhoseAreRefusedAndTheConfigInForceStays() throws Exception {
    LiveSettings.Values before = registry.registry().live().get();
    // The shipped default config has 4 clients: the fifth is clients[4].
    JsonObject[] bad = {
        client("emr-2", Patients.system("openmrs")),
        client("emr-2", "http://openclientregistry.org/fhir/CRUID"),
        client("emr-2", Patients.NATIONAL_ID)};
    try (LogCapture log = new LogCapture(ConfigApplier.class)) {
      for (JsonObject c : bad) {
        Exception e = assertThrows(Exception.class, () -> applier.apply(consoleConfig(c)).await());
        assertTrue(e.getMessage().contains("clients[4].internalIdSystems"), e.getMessage());
        assertEquals(before, registry.registry().live().get());
      }
      assertTrue(log.await(l -> l.startsWith("ERROR Config from OpenHIM core refused")
          && l.contains("clients[4].internalIdSystems") && l.contains(Patients.NATIONAL_ID)), log.lines().toString());
    }
  }

  @Test
  void aPixGrantFromTheConsoleIsAppliedAndObeyed() throws Exception {
    String cruid = registry.post("openmrs", "/fhir/Patient", Patients.patient("openmrs", "console-1", "Irene",
        "Adong", "female", "1983-08-08", "0772 830 808", "CF83080812IRAD")).getHeader("LocationCRUID");
    String query = "/fhir/Patient/$ihe-pix?sourceIdentifier=" + Patients.system("openmrs") + "|console-1";
    DevCertificateAuthority.ensure(registry.certificates(), List.of("emr-2"));
    try {
      applier.apply(consoleConfig(client("emr-2", "http://clientregistry.org/emr-2"))).await();
      String plain = registry.get("emr-2", query).bodyAsString();
      assertTrue(plain.contains(cruid.substring("Patient/".length())) && !plain.contains("CF83080812IRAD"), plain);

      JsonObject granted = client("emr-2", "http://clientregistry.org/emr-2").put("pixTargets",
          Patients.NATIONAL_ID + ", " + Patients.system("lims"));
      applier.apply(consoleConfig(granted)).await();
      assertEquals(List.of(Patients.NATIONAL_ID, Patients.system("lims")),
          registry.registry().live().client("emr-2").orElseThrow().pixTargets());
      String answer = registry.get("emr-2", query + "&targetSystem=" + Patients.NATIONAL_ID).bodyAsString();
      assertTrue(answer.contains("CF83080812IRAD"), answer);
    } finally {
      applier.apply(consoleConfig()).await();
    }
  }
}
