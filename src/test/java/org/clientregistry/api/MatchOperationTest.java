package org.clientregistry.api;

import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.clientregistry.SharedRegistryTest;
import org.junit.jupiter.api.Test;

/** POST /fhir/Patient/$match over HTTPS: scores and grades, explanations for admins only, nothing stored. */
class MatchOperationTest extends SharedRegistryTest {

  static JsonObject parameters(JsonObject patient, Boolean onlyCertain, Integer count) {
    JsonArray params = new JsonArray().add(new JsonObject().put("name", "resource").put("resource", patient));
    if (onlyCertain != null) {
      params.add(new JsonObject().put("name", "onlyCertainMatches").put("valueBoolean", onlyCertain));
    }
    if (count != null) {
      params.add(new JsonObject().put("name", "count").put("valueInteger", count));
    }
    return new JsonObject().put("resourceType", "Parameters").put("parameter", params);
  }

  @Test
  void matchScoresGoldenRecordsWithoutStoringOrLeakingDemographics() {
    HttpResponse<Buffer> stored = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "m-1", "Winnie",
        "Byanyima", "female", "1959-01-13", "0772 591 013", "CF59011312WIBY"));
    registry.post("openmrs", "/fhir/Patient", patient("openmrs", "m-2", "Winnie", "Byanyima", "female",
        "1961-06-30", null, null)); // same name, other birth date: at most a possible match
    String cruid = stored.getHeader("LocationCRUID").substring("Patient/".length());
    JsonObject query = patient("lims", "m-query", "Winny", "Byanyima", "female", "1959-01-13", "0772591013", null);

    // A point-of-service caller gets golden ids for certain matches only (LookupDisclosureTest has the policy).
    HttpResponse<Buffer> r = registry.post("lims", "/fhir/Patient/$match", parameters(query, true, null));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject bundle = r.bodyAsJsonObject();
    assertEquals("searchset", bundle.getString("type"));
    JsonObject first = bundle.getJsonArray("entry").getJsonObject(0);
    assertEquals(cruid, first.getJsonObject("resource").getString("id"));
    JsonObject search = first.getJsonObject("search");
    assertTrue(search.getDouble("score") > 0.9, search.encode());
    assertEquals("certain", search.getJsonArray("extension").getJsonObject(0).getString("valueCode"));
    assertEquals(1, search.getJsonArray("extension").size(), "no explanation for a point-of-service caller");
    assertFalse(r.bodyAsString().contains("Byanyima") || r.bodyAsString().contains("1959"),
        "no demographics in $match answers");
    assertEquals(404, registry.get("lims", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("lims")
        + "|m-query").statusCode(), "$match stores nothing");

    HttpResponse<Buffer> certainOnly = registry.post("lims", "/fhir/Patient/$match", parameters(query, true, 5));
    for (Object e : certainOnly.bodyAsJsonObject().getJsonArray("entry")) {
      assertEquals("certain", ((JsonObject) e).getJsonObject("search").getJsonArray("extension").getJsonObject(0)
          .getString("valueCode"));
    }
    assertEquals(1, registry.post("admin", "/fhir/Patient/$match", parameters(query, false, 1)).bodyAsJsonObject()
        .getJsonArray("entry").size());
  }

  @Test
  void adminsSeeThePerFieldExplanation() {
    registry.post("openmrs", "/fhir/Patient", patient("openmrs", "m-3", "Bobi", "Kyagulanyi", "male",
        "1982-02-12", "0701 820 212", null));
    JsonObject query = patient("admin", "q", "Bobi", "Kyagulanyi", "male", "1982-02-12", null, null);
    HttpResponse<Buffer> r = registry.post("admin", "/fhir/Patient/$match", parameters(query, null, null));
    JsonArray extensions = r.bodyAsJsonObject().getJsonArray("entry").getJsonObject(0).getJsonObject("search")
        .getJsonArray("extension");
    JsonObject explanation = new JsonObject(extensions.getJsonObject(1).getString("valueString"));
    assertEquals("demographics", explanation.getString("ruleSet"));
    JsonArray fields = explanation.getJsonArray("fields");
    assertEquals(6, fields.size());
    assertEquals("PASS", fields.getJsonObject(0).getString("result"));
    assertEquals("NULL", fields.getJsonObject(4).getString("result"), "no phone in the query");
    assertFalse(explanation.encode().contains("Kyagulanyi"), "explanations never hold the values");
  }

  @Test
  void badParametersAre400() {
    assertEquals(400, registry.post("lims", "/fhir/Patient/$match", new JsonObject()
        .put("resourceType", "Parameters")).statusCode());
    assertEquals(400, registry.post("lims", "/fhir/Patient/$match", patient("lims", "x", "A", "B", null, null,
        null, null)).statusCode());
    JsonObject withBadCount = parameters(patient("lims", "x", "A", "B", null, null, null, null), null, 0);
    assertEquals(400, registry.post("lims", "/fhir/Patient/$match", withBadCount).statusCode());
  }
}
