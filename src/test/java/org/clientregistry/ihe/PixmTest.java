package org.clientregistry.ihe;

import static org.clientregistry.Patients.NATIONAL_ID;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PIXm (ITI-83) with identity domains: a source identifier resolves only through its assigners' records; the error
 * answers are those ITI-83 names (status, issue code, diagnostics).
 */
class PixmTest extends OhieRegistryTest {

  /** The wrong-patient case of issue 15: B puts A's identifier on Bob; A's PIX of its own identifier is Alice. */
  @Test
  void anotherClientsCopyOfAnIdentifierDoesNotChangeWhoItNames() {
    HttpResponse<Buffer> alice = registry.post("openmrs", "/fhir/Patient",
        patient("openmrs", "wrong-1", "Alice", "Achieng", "female", "1991-01-01", "0701 000 001", null));
    HttpResponse<Buffer> bob = registry.post("dhis2", "/fhir/Patient", withClaim(
        patient("dhis2", "wrong-2", "Bob", "Mugisha", "male", "1970-07-07", "0702 000 002", null),
        system("openmrs"), "wrong-1"));
    assertEquals(201, alice.statusCode(), alice.bodyAsString());
    assertEquals(201, bob.statusCode(), bob.bodyAsString());
    assertNotEquals(cruid(alice), cruid(bob));

    HttpResponse<Buffer> r = pix("openmrs", "sourceIdentifier=" + system("openmrs") + "|wrong-1");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<String> ids = values(r.bodyAsJsonObject(), "targetIdentifier");
    assertEquals(List.of(CRUID + "|" + cruid(alice)), ids);
    assertFalse(values(r.bodyAsJsonObject(), "targetId").contains("Patient/" + bob.bodyAsJsonObject()
        .getString("id")));

    HttpResponse<Buffer> fromBob = pix("dhis2", "sourceIdentifier=" + system("dhis2") + "|wrong-2");
    assertEquals(List.of(CRUID + "|" + cruid(bob)), values(fromBob.bodyAsJsonObject(), "targetIdentifier"),
        "Bob's answer does not carry the identifier his record only claims");
  }

  /** Two clients claim the same protected identifier at once: it still names the assigner's patient. */
  @Test
  void concurrentClaimsOfOneIdentifier() {
    HttpResponse<Buffer> carol = registry.post("openmrs", "/fhir/Patient",
        patient("openmrs", "claimed-1", "Carol", "Nambi", "female", "1988-08-08", null, null));
    assertEquals(201, carol.statusCode());
    List<HttpResponse<Buffer>> claims = Future.all(
        send("dhis2", withClaim(patient("dhis2", "claim-d", "Dan", "Opio", "male", "1955-05-05", null, null),
            system("openmrs"), "claimed-1")),
        send("lims", withClaim(patient("lims", "claim-l", "Eve", "Kato", "female", "2001-02-03", null, null),
            system("openmrs"), "claimed-1")))
        .await().<HttpResponse<Buffer>>list();
    claims.forEach(c -> assertEquals(201, c.statusCode(), c.bodyAsString()));

    HttpResponse<Buffer> r = pix("lims", "sourceIdentifier=" + system("openmrs") + "|claimed-1");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(List.of(CRUID + "|" + cruid(carol)), values(r.bodyAsJsonObject(), "targetIdentifier"));
  }

  /** A unique shared domain: two persons assigned the same national id at once is a conflict, not a guess. */
  @Test
  void oneNationalIdOnTwoPersonsIsAConflict() {
    List<HttpResponse<Buffer>> both = Future.all(
        send("openmrs", patient("openmrs", "nin-a", "Fred", "Wasswa", "male", "1966-06-06", "0703 111 111",
            "CM-CONFLICT-1")),
        send("dhis2", patient("dhis2", "nin-b", "Grace", "Akello", "female", "1999-09-19", "0704 222 222",
            "CM-CONFLICT-1")))
        .await().<HttpResponse<Buffer>>list();
    both.forEach(c -> assertEquals(201, c.statusCode(), c.bodyAsString()));
    assertNotEquals(cruid(both.get(0)), cruid(both.get(1)), "different people are not linked by an id alone");

    HttpResponse<Buffer> r = pix("lims", "sourceIdentifier=" + NATIONAL_ID + "|CM-CONFLICT-1");
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertEquals("multiple-matches", issue(r).getString("code"));
    // Each client's own identifier still resolves.
    assertEquals(200, pix("openmrs", "sourceIdentifier=" + system("openmrs") + "|nin-a").statusCode());
    // And an administrator has the question in the review queue.
    String bSource = both.get(1).bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> review = registry.get("admin", "/review?status=open&_count=100");
    assertEquals(200, review.statusCode(), review.bodyAsString());
    assertTrue(review.bodyAsString().contains("unique identity domain is assigned to another person: "
        + NATIONAL_ID), review.bodyAsString());
    assertTrue(review.bodyAsString().contains(bSource));
  }

  @Test
  void iti83ErrorAnswers() {
    HttpResponse<Buffer> unknownDomain = pix("openmrs", "sourceIdentifier=urn:unknown:domain|1");
    assertEquals(400, unknownDomain.statusCode());
    assertEquals("code-invalid", issue(unknownDomain).getString("code"));
    assertEquals("sourceIdentifier Assigning Authority not found", issue(unknownDomain).getString("diagnostics"));

    HttpResponse<Buffer> unknownValue = pix("openmrs", "sourceIdentifier=" + system("openmrs") + "|nobody-here");
    assertEquals(404, unknownValue.statusCode());
    assertEquals("not-found", issue(unknownValue).getString("code"));
    assertEquals("sourceIdentifier Patient Identifier not found", issue(unknownValue).getString("diagnostics"));

    HttpResponse<Buffer> unknownTarget = pix("openmrs", "sourceIdentifier=" + system("openmrs")
        + "|nobody-here&targetSystem=urn:unknown:target");
    assertEquals(403, unknownTarget.statusCode());
    assertEquals("code-invalid", issue(unknownTarget).getString("code"));
    assertEquals("targetSystem not found", issue(unknownTarget).getString("diagnostics"));
  }

  static JsonObject withClaim(JsonObject patient, String system, String value) {
    patient.getJsonArray("identifier").add(new JsonObject().put("system", system).put("value", value));
    return patient;
  }

  static Future<HttpResponse<Buffer>> send(String client, JsonObject body) {
    return registry.client(client).post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body.encode()));
  }
}
