package org.clientregistry.api;

import static org.clientregistry.Patients.NATIONAL_ID;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.clientregistry.ihe.OhieRegistryTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clientregistry.OnFhirServer;
import org.clientregistry.store.fhirserver.HapiTestServer;
import org.junit.jupiter.api.Test;

/** The PIX and transaction-bundle cases on the fhirserver store, against a real HAPI FHIR JPA server. */
class FhirServerPixAndBundleTest extends PixAndBundleTest implements OnFhirServer {

  /**
   * Searches by another system's identifier (a submission's unique-identifier check, PIX) carry no
   * {@code _tag:not}: HAPI FHIR runs it as a NOT IN over every golden record on the server, at every query.
   */
  @Test
  void identifierLookUpsLeaveNoGoldenRecordOutByTag() {
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    List<Map<String, String[]>> searches = HapiTestServer.shared().searchesDuring(() -> {
      assertEquals(201, registry.post("openmrs", "/fhir/Patient", patient("openmrs", "tag-1", "Ruth", "Akello",
          "female", "1988-02-11", "0772 310 480", "CF88021131RUTA")).statusCode());
      assertEquals(201, registry.post("lims", "/fhir/Patient", patient("lims", "L-tag-1", "Ruth", "Akello",
          "female", "1988-02-11", "0772310480", "CF88021131RUTA")).statusCode());
      answers.add(pix("sourceIdentifier=" + system("lims") + "|L-tag-1"));
    });
    HttpResponse<Buffer> answer = answers.get(0);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    List<String> targets = values(answer.bodyAsJsonObject(), "targetIdentifier");
    assertTrue(targets.contains(system("openmrs") + "|tag-1"), targets.toString());
    assertTrue(targets.contains(NATIONAL_ID + "|CF88021131RUTA"), targets.toString());

    List<String> systems = searches.stream().filter(q -> q.containsKey("identifier"))
        .map(q -> q.get("identifier")[0].split("\\|")[0]).distinct().toList();
    assertTrue(systems.contains(NATIONAL_ID), "the unique national id was checked: " + systems);
    assertTrue(systems.contains(system("lims")), "PIX looked the source identifier up: " + systems);
    searches.stream().filter(q -> q.containsKey("identifier")).forEach(q -> assertFalse(q.containsKey("_tag:not"),
        "an identifier search names a tag to leave out: " + String.join(",", q.get("identifier"))));
  }
}
