package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OHIE-CR-05-FHIR (mother and newborn), the PMIR option: a child's record with its mother as a RelatedPerson, then
 * a nameless newborn with the mother both as RelatedPerson and as a Patient. The registry keeps Patients only: a
 * RelatedPerson becomes a contact of the Patient it names (relationship, name, gender, and its identifiers in the
 * extension {@code related-person-identifier}), answered with the Patient by PDQm. Deviations, as
 * docs/ihe-conformance.md says: no RelatedPerson resources and no {@code _include} in PDQm answers (the mother is a
 * contact of the person); PDQm is asked as a demographics consumer. The case's second bundle has two typos fixed
 * here: identifier use {@code normal} (no such code: {@code usual}) and {@code link.other} as a string with type
 * {@code see-also} (a Reference, {@code seealso}); its newborn query names {@code test_a} where it registered
 * {@code test}.
 */
class OhieCr05Test extends OhieRegistryTest {
  private static final String MOTHER_CODE = "MTH";

  private static JsonObject relatedPerson(String id, String patientRef, JsonObject name, String... identifier) {
    JsonObject rp = new JsonObject().put("resourceType", "RelatedPerson").put("id", id)
        .put("patient", new JsonObject().put("reference", patientRef))
        .put("relationship", new JsonArray().add(new JsonObject().put("coding", new JsonArray().add(new JsonObject()
            .put("system", "http://terminology.hl7.org/CodeSystem/v3-RoleCode").put("code", MOTHER_CODE)))))
        .put("name", new JsonArray().add(name)).put("gender", "female");
    if (identifier.length == 2) {
      rp.put("identifier", new JsonArray().add(new JsonObject().put("use", "official").put("system", identifier[0])
          .put("value", identifier[1])));
    }
    return rp;
  }

  private static JsonObject given(String given, String family) {
    JsonObject n = new JsonObject().put("use", "usual").put("given", new JsonArray().add(given));
    return family == null ? n : n.put("family", family);
  }

  /** The one Patient a PDQm search answers, checked to be the only one. */
  private static JsonObject onlyPatient(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<JsonObject> found = entries(r).stream().filter(e -> "Patient".equals(e.getString("resourceType"))).toList();
    assertEquals(1, found.size(), r.bodyAsString());
    return found.get(0);
  }

  private static JsonObject motherContact(JsonObject patient) {
    for (Object o : patient.getJsonArray("contact", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      if (c.encode().contains("\"" + MOTHER_CODE + "\"")) {
        return c;
      }
    }
    throw new AssertionError("no mother among the contacts: " + patient.encode());
  }

  @Test
  void childWithItsMotherAsRelatedPerson() {
    JsonObject child = new JsonObject().put("resourceType", "Patient").put("id", "ohie-cr-05-10-fhir")
        .put("active", true).put("identifier", new JsonArray().add(new JsonObject().put("use", "official")
            .put("system", TEST).put("value", "FHR-4956")))
        .put("name", new JsonArray().add(given("WIN MINH", null))).put("gender", "male")
        .put("birthDate", "2017-04-03");
    HttpResponse<Buffer> r = feed(HARNESS, historyEntry("POST", "Patient/ohie-cr-05-10-fhir", child),
        historyEntry("POST", "RelatedPerson/ohie-cr-05-10-fhir-mother", relatedPerson("ohie-cr-05-10-fhir-mother",
            "Patient/ohie-cr-05-10-fhir", given("SU MYAT LWIN", null))));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("ok", responseCode(r));
    messageOutcome(r);
    JsonObject created = fedPatients(r).get(0);
    assertEquals("SU MYAT LWIN", motherContact(created).getJsonObject("name").getJsonArray("given").getString(0),
        "the RelatedPerson was kept, as the child's contact");
    referTo(created);

    JsonObject found = onlyPatient(pdq("identifier=" + enc(TEST + "|FHR-4956")));
    assertEquals("WIN MINH", found.getJsonArray("name").getJsonObject(0).getJsonArray("given").getString(0));
    assertTrue(identifiers(found).contains(TEST + "|FHR-4956"), found.encode());
    assertEquals("SU MYAT LWIN", motherContact(found).getJsonObject("name").getJsonArray("given").getString(0));
    assertTrue(found.getJsonArray("link").stream().anyMatch(l -> "seealso".equals(((JsonObject) l)
        .getString("type"))), "links to the local records: " + found.encode());
  }

  @Test
  void namelessNewbornWithItsMotherAsPatientAndRelatedPerson() {
    JsonObject baby = new JsonObject().put("resourceType", "Patient").put("id", "ohie-cr-05-20-fhir-baby")
        .put("active", true).put("identifier", new JsonArray().add(new JsonObject().put("use", "official")
            .put("system", TEST).put("value", "FHR-4837")))
        .put("gender", "female").put("birthDate", "2021-04-25");
    JsonObject mother = new JsonObject().put("resourceType", "Patient").put("id", "ohie-cr-05-20-fhir-mother")
        .put("identifier", new JsonArray().add(new JsonObject().put("use", "usual").put("system", TEST)
            .put("value", "FHR-0844")))
        .put("name", new JsonArray().add(given("Sarah", "Abels"))).put("gender", "female")
        .put("birthDate", "1984-05-25").put("link", new JsonArray().add(new JsonObject().put("type", "seealso")
            .put("other", new JsonObject().put("reference", "RelatedPerson/ohie-cr-05-20-fhir-mother-rp"))));
    HttpResponse<Buffer> r = feed(HARNESS, historyEntry("POST", "Patient/ohie-cr-05-20-fhir-baby", baby),
        historyEntry("POST", "RelatedPerson/ohie-cr-05-20-fhir-mother-rp", relatedPerson(
            "ohie-cr-05-20-fhir-mother-rp", "Patient/ohie-cr-05-20-fhir-baby", given("Sarah", "Abels"), TEST,
            "FHR-0844")),
        historyEntry("POST", "Patient/ohie-cr-05-20-fhir-mother", mother));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("ok", responseCode(r));
    messageOutcome(r);
    List<JsonObject> created = fedPatients(r);
    assertEquals(2, created.size(), "the newborn and the mother: " + r.bodyAsString());
    created.forEach(OhieRegistryTest::referTo);

    JsonObject newborn = onlyPatient(pdq("identifier=" + enc(TEST + "|FHR-4837")));
    assertEquals("female", newborn.getString("gender"));
    assertEquals("2021-04-25", newborn.getString("birthDate"));
    assertTrue(identifiers(newborn).contains(TEST + "|FHR-4837"), newborn.encode());
    JsonObject contact = motherContact(newborn);
    assertEquals("Abels", contact.getJsonObject("name").getString("family"));
    assertTrue(contact.encode().contains("FHR-0844"), "the mother's identifier: " + contact.encode());
    assertTrue(newborn.getJsonArray("link").stream().anyMatch(l -> "seealso".equals(((JsonObject) l)
        .getString("type"))), newborn.encode());

    JsonObject motherFound = onlyPatient(pdq("identifier=" + enc(TEST + "|FHR-0844")));
    assertEquals("Abels", motherFound.getJsonArray("name").getJsonObject(0).getString("family"));
    assertEquals("1984-05-25", motherFound.getString("birthDate"));
    findTheNewbornByItsMother(newborn);
  }

  /**
   * The newborn found by the mother's identifier ({@code mother-identifier}, the registry's own parameter: PDQm
   * has none); on a FHIR server through the SearchParameter the registry defines there.
   */
  private void findTheNewbornByItsMother(JsonObject newborn) {
    HttpResponse<Buffer> byMother = pdq("mother-identifier=" + enc(TEST + "|FHR-0844"));
    assertTrue(declaredSearchParameters().contains("mother-identifier"));
    JsonObject found = onlyPatient(byMother);
    assertEquals(newborn.getString("id"), found.getString("id"), "the newborn, not the mother herself");
    assertEquals(newborn.getString("id"), onlyPatient(pdq("mother-identifier=FHR-0844")).getString("id"));
    assertEquals(newborn.getString("id"), onlyPatient(pdq("mother-identifier=" + enc(TEST + "|FHR-0844")
        + "&gender=female&birthdate=2021-04-25")).getString("id"));
    assertEquals(0, entries(pdq("mother-identifier=" + enc(TEST + "|FHR-4837"))).size(), "the newborn's own");
    assertEquals(0, entries(pdq("mother-identifier=" + enc("http://ohie.org/test/other|FHR-0844"))).size());
    assertEquals(400, pdq("mother-identifier=" + enc(TEST + "|")).statusCode());
  }
}
