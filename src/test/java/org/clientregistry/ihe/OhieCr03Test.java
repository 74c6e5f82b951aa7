package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-03-FHIR (unknown identity domain): a Patient carrying an identifier of a domain that is not configured,
 * by URL or by OID, is refused with a 400-series status and an OperationOutcome naming the domain. (The case
 * prefers 422; the registry answers 400, as it does for every invalid submission: see docs/ihe-conformance.md.)
 */
class OhieCr03Test extends OhieRegistryTest {

  @Test
  void anUnknownDomainByUrlIsRefusedAndNamed() {
    HttpResponse<Buffer> r = registry.post(HARNESS, "/fhir/Patient", casePatient("NOBODY", "NOTHING", "male",
        "1983-01-01", id(TEST, "cr03-1"), id("http://ohie.org/test/test_block", "030")));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("code-invalid", issue(r).getString("code"));
    assertTrue(issue(r).getString("diagnostics").contains("http://ohie.org/test/test_block"));
    assertEquals(404, pix(HARNESS, "sourceIdentifier=" + TEST + "|cr03-1").statusCode(), "nothing was stored");
  }

  @Test
  void anUnknownDomainByOidIsRefusedAndNamed() {
    HttpResponse<Buffer> r = registry.post(HARNESS, "/fhir/Patient", casePatient("NOBODY", "NOTHING", "male",
        "1983-01-01", id(TEST, "cr03-2"), id("urn:oid:1.3.6.1.4.1.52820.3.72.5.9.4", "030")));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(issue(r).getString("diagnostics").contains("urn:oid:1.3.6.1.4.1.52820.3.72.5.9.4"));
  }
}
