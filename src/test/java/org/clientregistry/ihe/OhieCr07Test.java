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
 * OHIE-CR-07-FHIR (full registration, PDQm): Flynn Profile with every demographic, his insurer, practitioner,
 * managing organization and wife, sent as a PMIR message; PDQm then finds him by identifier, names, and
 * combinations. Deviations, as docs/ihe-conformance.md says: Organizations and the Practitioner are not stored
 * (Patients only; the Patient's references to them become logical: their identifier and name) and the wife becomes
 * Flynn's contact;
 * the case queries NID071, which its registration never sends, so Flynn carries it here; birth dates are searched
 * by full date (a prefix such as {@code ap} is refused unless the PDQm of this build supports it); the case's
 * female queries expect Flynn (male) and so are asserted to find no one; its last step's "total 0" contradicts its
 * own "exactly 1 entry".
 */
class OhieCr07Test extends OhieRegistryTest {
  private static final String BASE = "http://test.ohie.org/fhir/";

  private static JsonObject address() {
    return new JsonObject().put("use", "home").put("type", "both").put("line", new JsonArray().add("123 Ontario St")
            .add("Unit 32")).put("city", "Beamsville").put("district", "Lincoln County").put("state", "ON")
        .put("postalCode", "L0R2A0").put("country", "CA");
  }

  private static JsonObject entry(String type, String id, JsonObject resource) {
    return new JsonObject().put("fullUrl", BASE + type + "/" + id)
        .put("resource", resource.put("resourceType", type).put("id", id))
        .put("request", new JsonObject().put("method", "POST").put("url", type + "/" + id));
  }

  private static JsonObject coding(String system, String code) {
    return new JsonObject().put("coding", new JsonArray().add(new JsonObject().put("system", system)
        .put("code", code)));
  }

  private static JsonObject flynn() {
    return new JsonObject().put("active", true)
        .put("identifier", new JsonArray().add(new JsonObject().put("use", "official").put("system", TEST)
            .put("value", "FHR-070")).add(new JsonObject().put("use", "usual").put("system", NID)
            .put("value", "NID071")))
        .put("name", new JsonArray()
            .add(new JsonObject().put("use", "official").put("family", "Profile").put("given", new JsonArray()
                .add("Flynn").add("Full")).put("prefix", new JsonArray().add("Dr")).put("suffix", new JsonArray()
                .add("III")))
            .add(new JsonObject().put("use", "usual").put("family", "Profile").put("prefix", new JsonArray()
                .add("Dr"))))
        .put("address", new JsonArray().add(address()))
        .put("telecom", new JsonArray()
            .add(new JsonObject().put("system", "phone").put("value", "+12039203099").put("use", "work"))
            .add(new JsonObject().put("system", "phone").put("value", "+10293829343").put("use", "mobile"))
            .add(new JsonObject().put("system", "email").put("value", "flynn@ohie.org").put("use", "home")))
        .put("gender", "male").put("birthDate", "1982-03-02")
        .put("maritalStatus", coding("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "M"))
        .put("multipleBirthBoolean", true)
        .put("contact", new JsonArray().add(new JsonObject()
                .put("relationship", new JsonArray().add(coding("http://terminology.hl7.org/CodeSystem/v2-0131", "C")))
                .put("name", new JsonObject().put("family", "Profile").put("given", new JsonArray().add("Allison")))
                .put("address", address()))
            .add(new JsonObject()
                .put("relationship", new JsonArray().add(coding("http://terminology.hl7.org/CodeSystem/v2-0131", "I")))
                .put("organization", new JsonObject().put("reference", BASE + "Organization/acme"))))
        .put("communication", new JsonArray()
            .add(new JsonObject().put("language", coding("urn:ietf:bcp:47", "en")).put("preferred", true))
            .add(new JsonObject().put("language", coding("urn:ietf:bcp:47", "fr")).put("preferred", false)))
        .put("generalPractitioner", new JsonArray().add(new JsonObject().put("reference", BASE
            + "Practitioner/pract")))
        .put("managingOrganization", new JsonObject().put("reference", BASE + "Organization/mgr"));
  }

  /** Registers Flynn once per class (the steps below are the case's queries). */
  private static synchronized void register() {
    if (pdq("identifier=" + enc(NID + "|NID071")).bodyAsJsonObject().getInteger("total") > 0) {
      return;
    }
    JsonObject wife = new JsonObject()
        .put("identifier", new JsonArray().add(new JsonObject().put("system", TEST).put("value", "FHR-071")))
        .put("patient", new JsonObject().put("reference", BASE + "Patient/flynn"))
        .put("relationship", new JsonArray().add(coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode",
            "WIFE")))
        .put("name", new JsonArray().add(new JsonObject().put("family", "Profile").put("given", new JsonArray()
            .add("Allison")))).put("gender", "female").put("birthDate", "1985-05-10");
    JsonObject message = pmirMessage(
        entry("Organization", "acme", new JsonObject().put("name", "ACME Insurance Providers Corp.")),
        entry("Organization", "mgr", new JsonObject().put("name", "University Medical Centre")),
        entry("Practitioner", "pract", new JsonObject().put("name", new JsonArray().add(new JsonObject()
            .put("family", "Profile")))),
        entry("Patient", "flynn", flynn()),
        entry("RelatedPerson", "wife", wife));
    HttpResponse<Buffer> r = registry.post(HARNESS, "/fhir", message);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("ok", responseCode(r));
    String notes = messageOutcome(r).encode();
    assertTrue(notes.contains("Organization not stored") && notes.contains("RelatedPerson kept"), notes);
    JsonObject created = fedPatients(r).get(0);
    referTo(created);
    assertEquals(new JsonObject().put("display", "University Medical Centre"), created.getJsonObject(
        "managingOrganization"), "a logical reference to an organization the registry does not keep");
    assertEquals("Allison", created.getJsonArray("contact").getJsonObject(2).getJsonObject("name")
        .getJsonArray("given").getString(0), "the wife, kept as a contact");
  }

  /** Flynn as the case registered him: names, address, telecom, birth date, gender, marital status, links. */
  private static void assertFlynn(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("Bundle", r.bodyAsJsonObject().getString("resourceType"));
    List<JsonObject> found = entries(r);
    assertEquals(1, found.size(), r.bodyAsString());
    JsonObject p = found.get(0);
    assertTrue(identifiers(p).contains(NID + "|NID071") && identifiers(p).contains(TEST + "|FHR-070"), p.encode());
    JsonObject name = p.getJsonArray("name").getJsonObject(0);
    assertEquals("Profile", name.getString("family"));
    assertEquals(List.of("Flynn", "Full"), name.getJsonArray("given").getList());
    assertEquals("III", name.getJsonArray("suffix").getString(0));
    assertEquals("Beamsville", p.getJsonArray("address").getJsonObject(0).getString("city"));
    assertEquals("L0R2A0", p.getJsonArray("address").getJsonObject(0).getString("postalCode"));
    assertTrue(p.getJsonArray("telecom").encode().contains("flynn@ohie.org"), p.encode());
    assertEquals("male", p.getString("gender"));
    assertEquals("1982-03-02", p.getString("birthDate"));
    assertTrue(p.getJsonObject("maritalStatus").encode().contains("\"M\""), p.encode());
    assertTrue(p.getJsonArray("link").stream().anyMatch(l -> "seealso".equals(((JsonObject) l).getString("type"))),
        "the master identity links its local records: " + p.encode());
  }

  @Test
  void byIdentifier() {
    register();
    assertFlynn(pdq("identifier=" + enc(NID + "|NID071")));
    assertFlynn(pdq("identifier=NID071"));
  }

  @Test
  void byNames() {
    register();
    assertFlynn(pdq("family=Profile&given=Flynn"));
    assertFlynn(pdq("family=Profile&given:exact=Flynn"));
  }

  @Test
  void byApproximateBirthDate() {
    register();
    for (String query : List.of("birthdate=ap1982", "birthdate=ap1982&given=Flynn&family=Profile")) {
      HttpResponse<Buffer> r = pdq(query);
      if (r.statusCode() == 400) {
        assertTrue(issue(r).getString("diagnostics").contains("birthdate"), r.bodyAsString());
      } else {
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertTrue(entries(r).stream().anyMatch(p -> identifiers(p).contains(NID + "|NID071")), r.bodyAsString());
      }
    }
  }

  @Test
  void combinations() {
    register();
    assertFlynn(pdq("birthdate=1982-03-02&given=Flynn&family=Profile"));
    for (String female : List.of("gender=female&family=Profile", "gender=female&birthdate=1982-03-02")) {
      HttpResponse<Buffer> r = pdq(female);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertTrue(entries(r).stream().noneMatch(p -> identifiers(p).contains(NID + "|NID071")), r.bodyAsString());
    }
  }

  @Test
  void noResult() {
    register();
    HttpResponse<Buffer> r = pdq("gender=other&family=Profile");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("Bundle", r.bodyAsJsonObject().getString("resourceType"));
    assertEquals(0, entries(r).size(), r.bodyAsString());
    assertEquals(0, r.bodyAsJsonObject().getInteger("total"));
  }

  @Test
  void restrictingTheDomainsReturned() {
    register();
    HttpResponse<Buffer> r = pdq("identifier=NID071&identifier=" + enc(NID + "|"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<JsonObject> found = entries(r);
    assertEquals(1, found.size(), r.bodyAsString());
    assertEquals(List.of(NID + "|NID071"), identifiers(found.get(0)));
    assertTrue(identifiers(found.get(0)).stream().noneMatch(i -> i.endsWith("FHR-070") || i.endsWith("FHR-071")));
  }
}
