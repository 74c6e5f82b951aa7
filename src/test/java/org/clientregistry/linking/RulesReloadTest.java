package org.clientregistry.linking;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed rules file takes effect without a restart; a bad one is refused and the old rules stay. */
class RulesReloadTest {
  @TempDir
  Path dir;

  static JsonObject matchQuery(JsonObject patient) {
    return new JsonObject().put("resourceType", "Parameters").put("parameter", new JsonArray()
        .add(new JsonObject().put("name", "resource").put("resource", patient)));
  }

  String grade(TestRegistry registry, JsonObject query) {
    JsonArray entries = registry.post("admin", "/fhir/Patient/$match", matchQuery(query)).bodyAsJsonObject()
        .getJsonArray("entry");
    return entries == null ? "none" : entries.getJsonObject(0).getJsonObject("search").getJsonArray("extension")
        .getJsonObject(0).getString("valueCode");
  }

  String waitForGrade(TestRegistry registry, JsonObject query, String expected) throws InterruptedException {
    String grade = grade(registry, query);
    for (int i = 0; i < 100 && !grade.equals(expected); i++) {
      Thread.sleep(100);
      grade = grade(registry, query);
    }
    return grade;
  }

  @Test
  void changedRulesApplyToNewSubmissionsAndBadRulesAreRefused() throws Exception {
    Path rules = dir.resolve("rules.json");
    String shipped = Files.readString(Path.of("config", "decision-rules.json"));
    Files.writeString(rules, shipped);
    try (TestRegistry registry = new TestRegistry(dir, Map.of("CR_MATCHING_RULES_FILE", rules.toString(),
        "CR_MATCHING_WATCH_RULES_SECONDS", "1")).start()) {
      // Names and birth date agree, no sex recorded (3 of 3.5): under the shipped rules a review, not a link.
      HttpResponse<Buffer> first = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "rl-1", "Rose",
          "Namayanja", null, "1977-07-17", null, null));
      HttpResponse<Buffer> second = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "rl-2", "Rose",
          "Namayanja", null, "1977-07-17", null, null));
      assertNotEquals(first.getHeader("LocationCRUID"), second.getHeader("LocationCRUID"));
      JsonObject query = patient("lims", "q", "Rose", "Namayanja", null, "1977-07-17", null, null);

      String lowered = shipped.replace("\"autoMatchThreshold\": 3.5", "\"autoMatchThreshold\": 3");
      assertNotEquals(shipped, lowered, "the shipped auto-link threshold is 3.5");
      Files.writeString(rules, lowered);
      assertEquals("certain", waitForGrade(registry, query, "certain"), "the new threshold is in force");
      HttpResponse<Buffer> third = registry.post("lims", "/fhir/Patient", patient("lims", "rl-3", "Rose",
          "Namayanja", null, "1977-07-17", null, null));
      assertEquals(201, third.statusCode());
      String linkedTo = third.getHeader("LocationCRUID");
      assertEquals(true, linkedTo.equals(first.getHeader("LocationCRUID"))
          || linkedTo.equals(second.getHeader("LocationCRUID")), "records stored before the reload are matched");

      Files.writeString(rules, shipped.replace("\"jaro-winkler-similarity\"", "\"no-such-algorithm\""));
      Thread.sleep(2_500); // two watch periods: the bad file is read and refused
      assertEquals("certain", grade(registry, query), "the previous rules stay in force");
      assertEquals(200, registry.get("openmrs", "/ready").statusCode());
    }
  }
}
