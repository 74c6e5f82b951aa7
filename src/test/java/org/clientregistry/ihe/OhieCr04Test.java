package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-04-FHIR (protected identity domain): a source that is not an assigner of a domain may not send its
 * identifiers as official; without {@code use: official} the identifier is kept as a claim (informative: used for
 * matching, never to resolve identity).
 */
class OhieCr04Test extends OhieRegistryTest {

  @Test
  void anOfficialIdentifierFromANonAssignerIsRefused() {
    HttpResponse<Buffer> r = registry.post("test-harness-b", "/fhir/Patient", casePatient("JONES", "JENNIFER",
        "female", "1984-05-25", id(TEST_B, "cr04-1"), official(TEST_A, "A-cr04-1")));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(issue(r).getString("diagnostics").contains(TEST_A), issue(r).encode());
    assertEquals(404, pix("test-harness-b", "sourceIdentifier=" + TEST_B + "|cr04-1").statusCode());
  }

  @Test
  void theAssignerMaySendItAsOfficial() {
    HttpResponse<Buffer> r = registry.post(HARNESS, "/fhir/Patient", casePatient("JONES", "JENNIFER", "female",
        "1984-05-25", id(TEST, "cr04-2"), official(TEST_A, "A-cr04-2")));
    assertEquals(201, r.statusCode(), r.bodyAsString());
  }

  @Test
  void aNonOfficialIdentifierFromANonAssignerIsAClaim() {
    HttpResponse<Buffer> owner = registry.post(HARNESS, "/fhir/Patient", casePatient("MILLER", "MARK", "male",
        "1975-09-09", id(TEST, "cr04-3"), official(TEST_A, "A-cr04-3")));
    assertEquals(201, owner.statusCode(), owner.bodyAsString());
    HttpResponse<Buffer> claim = registry.post("test-harness-b", "/fhir/Patient", casePatient("OKELLO", "PETER",
        "male", "1960-01-01", id(TEST_B, "cr04-3b"), id(TEST_A, "A-cr04-3")));
    assertEquals(201, claim.statusCode(), claim.bodyAsString());

    HttpResponse<Buffer> r = pix(HARNESS, "sourceIdentifier=" + TEST_A + "|A-cr04-3");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<String> ids = values(r.bodyAsJsonObject(), "targetIdentifier");
    assertTrue(ids.contains(CRUID + "|" + cruid(owner)), ids.toString());
    assertFalse(ids.contains(TEST_B + "|cr04-3b"), "the claimant's record is not the person: " + ids);

    HttpResponse<Buffer> claimant = pix("test-harness-b", "sourceIdentifier=" + TEST_B + "|cr04-3b");
    assertFalse(values(claimant.bodyAsJsonObject(), "targetIdentifier").contains(TEST_A + "|A-cr04-3"),
        "a claim is not answered as the claimant's person's identifier");
  }
}
