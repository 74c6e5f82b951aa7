package org.clientregistry.ihe;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PDQm over HTTPS with the trusted-client survivorship rule: the trusted system speaks, not the latest one. */
class PdqmSurvivorshipTest {
  @Test
  void theTrustedClientsDemographicsSpeakForThePerson(@TempDir Path dir) {
    Map<String, String> env = Map.of("CR_CLIENTS_FILE", Path.of("src/test/resources/ohie/clients.json")
            .toAbsolutePath().toString(), "CR_PDQ_SURVIVORSHIP", "trusted-client",
        "CR_PDQ_TRUSTED_CLIENTS", "openmrs,lims");
    try (TestRegistry registry = new TestRegistry(dir, env).start()) {
      HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "tr-1", "Agnes",
          "Trusted", "female", "1992-06-15", "0772 150 692", "NIN-TR-1"));
      HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "L-tr-1", "Agnes",
          "Trusted", "female", "1992-06-15", "0772 999 999", "NIN-TR-1"));
      assertEquals(201, b.statusCode(), b.bodyAsString());
      assertEquals(a.getHeader("LocationCRUID"), b.getHeader("LocationCRUID"), "one person");
      List<JsonObject> found = PdqmTest.persons(registry.get("admin", "/fhir/Patient?identifier="
          + OhieRegistryTest.enc("http://clientregistry.org/national-id|NIN-TR-1")));
      assertEquals(1, found.size(), found.toString());
      assertEquals("0772 150 692", found.get(0).getJsonArray("telecom").getJsonObject(0).getString("value"),
          "openmrs is trusted first although lims wrote later");
    }
  }
}
