package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-01-FHIR (patient identity feed, poorly formed message): an identifier without a system is refused with a
 * 400-series status and an OperationOutcome, and nothing is stored. A reference to a resource the registry does not
 * hold is refused the same way.
 */
class OhieCr01Test extends OhieRegistryTest {

  @Test
  void anIdentifierWithoutASystemIsRefused() {
    JsonObject p = casePatient("JOHNSTON", "ROBERT", "male", "1983-02-05", id(TEST, "cr01-1"), id(null, "12345"));
    HttpResponse<Buffer> r = registry.post(HARNESS, "/fhir/Patient", p);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject issue = issue(r);
    assertEquals("error", issue.getString("severity"));
    assertTrue(issue.getString("diagnostics").contains("identifier[1] has no system"), issue.encode());
    assertEquals(404, pix(HARNESS, "sourceIdentifier=" + TEST + "|cr01-1").statusCode(), "nothing was stored");
  }

  @Test
  void aReferenceToAResourceThatDoesNotExistIsRefused() {
    JsonObject p = casePatient("JOHNSTON", "ROBERT", "male", "1983-02-05", id(TEST, "cr01-2"))
        .put("managingOrganization", new JsonObject().put("reference", "Organization/does-not-exist"));
    HttpResponse<Buffer> r = registry.post(HARNESS, "/fhir/Patient", p);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(issue(r).getString("diagnostics").contains("Organization/does-not-exist"));
    assertEquals(404, pix(HARNESS, "sourceIdentifier=" + TEST + "|cr01-2").statusCode(), "nothing was stored");
  }
}
