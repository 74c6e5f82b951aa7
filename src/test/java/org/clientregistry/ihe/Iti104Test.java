package org.clientregistry.ihe;

import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** ITI-104 (Patient Identity Feed FHIR): conditional update PUT Patient?identifier=system|value. */
class Iti104Test extends OhieRegistryTest {

  static HttpResponse<Buffer> put(String client, String identifier, JsonObject body) {
    return registry.put(client, "/fhir/Patient?identifier=" + enc(identifier), body);
  }

  @Test
  void createsThenUpdatesByTheCallersIdentifier() {
    HttpResponse<Buffer> created = put("openmrs", system("openmrs") + "|feed-1",
        patient("openmrs", "feed-1", "Hope", "Amongin", "female", "1993-03-03", null, null));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    HttpResponse<Buffer> updated = put("openmrs", system("openmrs") + "|feed-1",
        patient("openmrs", "feed-1", "Hope", "Amongin", "female", "1993-03-04", null, null));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals(created.bodyAsJsonObject().getString("id"), updated.bodyAsJsonObject().getString("id"));
    assertEquals(cruid(created), cruid(updated));
  }

  @Test
  void theBodyMustCarryTheUrlsIdentifierAndItMustBeTheCallers() {
    assertEquals(400, put("openmrs", system("openmrs") + "|feed-2",
        patient("openmrs", "feed-other", "Ivan", "Ocen", "male", "1980-01-01", null, null)).statusCode());
    assertEquals(400, put("openmrs", system("lims") + "|feed-3",
        patient("openmrs", "feed-3", "Ivan", "Ocen", "male", "1980-01-01", null, null)).statusCode());
    assertEquals(400, registry.put("openmrs", "/fhir/Patient",
        patient("openmrs", "feed-4", "Ivan", "Ocen", "male", "1980-01-01", null, null)).statusCode());
  }
}
