package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-06-FHIR (patient identity cross-referencing): two sources register one person in TEST_A and TEST_B with
 * the same NID, sent as PMIR messages; PIXm cross-references them. The case names PIXm's parameter
 * {@code targetDomain}; ITI-83 names it {@code targetSystem}, which is what is sent here. The case's bodies send the
 * NID as {@code http://ohie.org/test/nhid} while its queries and pre-conditions name {@code .../nid}: the NID
 * domain is sent as the pre-conditions define it. The case expects the queried identifier back among the
 * targetIdentifiers; ITI-83 answers the person's other identifiers, which this registry does.
 */
class OhieCr06Test extends OhieRegistryTest {

  @Test
  void crossReferencesTheTwoDomains() {
    HttpResponse<Buffer> unknown = pix(HARNESS_A, "sourceIdentifier=" + TEST_A + "|FHRA-060");
    assertEquals(404, unknown.statusCode(), unknown.bodyAsString());
    assertEquals("not-found", issue(unknown).getString("code"));

    HttpResponse<Buffer> a = feed(HARNESS_A, historyEntry("POST", "Patient/ohie-cr-06-10-fhir", casePatient("SMITH",
        "JIM", "male", "1984-05-25", official(TEST_A, "FHRA-061"), id(NID, "NID061"))));
    assertEquals(201, a.statusCode(), a.bodyAsString());
    assertEquals("ok", responseCode(a));
    messageOutcome(a);
    JsonObject created = fedPatients(a).get(0);
    assertTrue(identifiers(created).contains(TEST_A + "|FHRA-061"), created.encode());
    String person = referTo(created); // the link to the master identity, type refer

    HttpResponse<Buffer> r = pix(HARNESS_A, "sourceIdentifier=" + TEST_A + "|FHRA-061");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("Parameters", r.bodyAsJsonObject().getString("resourceType"));
    List<String> ids = values(r.bodyAsJsonObject(), "targetIdentifier");
    // ITI-83 answers the other identifiers of the person, not the one asked about (the case lists both).
    assertTrue(ids.contains(NID + "|NID061") && !ids.contains(TEST_A + "|FHRA-061"), ids.toString());
    assertTrue(values(r.bodyAsJsonObject(), "targetId").contains("Patient/" + person),
        r.bodyAsString());
    assertTrue(values(r.bodyAsJsonObject(), "targetId").contains("Patient/" + created.getString("id")),
        "a link to the created resource: " + r.bodyAsString());

    HttpResponse<Buffer> b = feed(HARNESS_B, historyEntry("POST", "Patient/ohie-cr-06-20-fhir", casePatient("SMITH",
        "JIM", "male", null, official(TEST_B, "FHRB-062"), id(NID, "NID061"))));
    assertEquals(201, b.statusCode(), b.bodyAsString());
    assertEquals("ok", responseCode(b));
    assertEquals(person, referTo(fedPatients(b).get(0)), "the same NID: the same person");

    HttpResponse<Buffer> byNid = pix(HARNESS_A, "sourceIdentifier=" + NID + "|NID061&targetSystem=" + TEST_A);
    assertEquals(200, byNid.statusCode(), byNid.bodyAsString());
    assertEquals(List.of(TEST_A + "|FHRA-061"), values(byNid.bodyAsJsonObject(), "targetIdentifier"));
    assertTrue(values(byNid.bodyAsJsonObject(), "targetId").contains("Patient/" + person),
        byNid.bodyAsString());

    HttpResponse<Buffer> testX = pix(HARNESS_B, "sourceIdentifier=" + TEST_B + "|FHRB-062&targetSystem="
        + enc("http://ohie.org/test/test_x"));
    assertEquals(403, testX.statusCode(), testX.bodyAsString());
    assertEquals("code-invalid", issue(testX).getString("code"));
  }
}
