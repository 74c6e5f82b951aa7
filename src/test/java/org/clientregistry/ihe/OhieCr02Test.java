package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-02-FHIR (identity domains by URL and by OID): a Patient registered with {@code urn:oid:…} of the TEST
 * domain is the same as one registered with its URL; it is stored, answered and found under the URL whichever form
 * the query uses.
 */
class OhieCr02Test extends OhieRegistryTest {

  @Test
  void anOidAndItsUrlAreTheSameDomain() {
    HttpResponse<Buffer> byOid = registry.post(HARNESS, "/fhir/Patient",
        casePatient("SMITH", "WILLIAM", "male", "1981-03-04", id(TEST_OID, "cr02-1")));
    assertEquals(201, byOid.statusCode(), byOid.bodyAsString());
    assertEquals(TEST, byOid.bodyAsJsonObject().getJsonArray("identifier").getJsonObject(0).getString("system"),
        "kept under the domain's URL");

    // The same identifier by URL is the same record: an update, not a new patient.
    HttpResponse<Buffer> byUrl = registry.post(HARNESS, "/fhir/Patient",
        casePatient("SMITH", "WILLIAM", "male", "1981-03-04", id(TEST, "cr02-1")));
    assertEquals(200, byUrl.statusCode(), byUrl.bodyAsString());
    assertEquals(byOid.bodyAsJsonObject().getString("id"), byUrl.bodyAsJsonObject().getString("id"));

    for (String system : List.of(TEST, TEST_OID)) {
      HttpResponse<Buffer> r = pix("openmrs", "sourceIdentifier=" + enc(system + "|cr02-1"));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertTrue(values(r.bodyAsJsonObject(), "targetIdentifier").contains(CRUID + "|" + cruid(byOid)));
    }
    HttpResponse<Buffer> targetByOid = pix("openmrs", "sourceIdentifier=" + enc(CRUID + "|" + cruid(byOid))
        + "&targetSystem=" + enc(TEST_OID));
    assertEquals(200, targetByOid.statusCode(), targetByOid.bodyAsString());
    assertEquals(List.of(TEST + "|cr02-1"), values(targetByOid.bodyAsJsonObject(), "targetIdentifier"));
    assertFalse(targetByOid.bodyAsString().contains("urn:oid"));
  }
}
