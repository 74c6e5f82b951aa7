package org.clientregistry.admin;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-matching after a rules change: the dry run and the apply agree, manual links stay, a stopped run resumes. */
class RematchTest {
  @TempDir
  Path dir;

  static String golden(HttpResponse<Buffer> r) {
    return r.getHeader("LocationCRUID").substring("Patient/".length());
  }

  static String goldenOf(TestRegistry registry, String sourceId) {
    return registry.get("admin", "/links?sourceId=Patient/" + sourceId).bodyAsJsonObject().getJsonArray("links")
        .getJsonObject(0).getString("golden");
  }

  JsonObject waitUntilDone(TestRegistry registry) throws InterruptedException {
    JsonObject status = registry.get("admin", "/links/rematch").bodyAsJsonObject();
    for (int i = 0; i < 600 && !"done".equals(status.getString("state")); i++) {
      assertNotEquals("failed", status.getString("state"), status.encode());
      Thread.sleep(100);
      status = registry.get("admin", "/links/rematch").bodyAsJsonObject();
    }
    return status;
  }

  @Test
  void aLowerThresholdLinksWhatTheDryRunSaidAndLeavesManualDecisionsAlone() throws Exception {
    Path rules = dir.resolve("rules.json");
    String shipped = Files.readString(Path.of("config", "decision-rules.json"));
    Files.writeString(rules, shipped);
    try (TestRegistry registry = new TestRegistry(dir, Map.of("CR_MATCHING_RULES_FILE", rules.toString(),
        "CR_MATCHING_WATCH_RULES_SECONDS", "1")).start()) {
      // Names and birth date agree, no sex recorded (3 of 3.5): apart under the shipped rules.
      HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "re-a", "Rose",
          "Namayanja", null, "1977-07-17", null, null));
      HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "re-b", "Rose",
          "Namayanja", null, "1977-07-17", null, null));
      HttpResponse<Buffer> c = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "re-c", "Ivan",
          "Ssali", null, "1960-02-02", null, null));
      HttpResponse<Buffer> d = registry.post("lims", "/fhir/Patient", patient("lims", "re-d", "Ivan",
          "Ssali", null, "1960-02-02", null, null));
      assertNotEquals(golden(a), golden(b));
      assertNotEquals(golden(c), golden(d));
      String dId = d.bodyAsJsonObject().getString("id");
      String cId = c.bodyAsJsonObject().getString("id");
      // An administrator already said c and d are different people.
      assertEquals(200, registry.post("admin", "/links/link", new JsonObject().put("source", "Patient/" + dId)
          .put("golden", "Patient/" + golden(c))).statusCode());
      assertEquals(200, registry.post("admin", "/links/break", new JsonObject().put("source", "Patient/" + dId))
          .statusCode());

      String lowered = shipped.replace("\"autoMatchThreshold\": 3.5", "\"autoMatchThreshold\": 3");
      assertNotEquals(shipped, lowered, "the shipped auto-link threshold is 3.5");
      Files.writeString(rules, lowered);
      JsonObject dry = registry.post("admin", "/links/rematch", new JsonObject()).bodyAsJsonObject();
      for (int i = 0; i < 100 && dry.getLong("recordsMoved") == 0; i++) {
        Thread.sleep(100); // the rules file is watched: wait until the new rules are in force
        dry = registry.post("admin", "/links/rematch", new JsonObject()).bodyAsJsonObject();
      }
      assertEquals(1, dry.getLong("recordsMoved"), dry.encode());
      assertEquals(1, dry.getLong("recordsJoined"), "a link made, none broken: " + dry.encode());
      assertEquals(0, dry.getLong("recordsSplitOff"));
      assertEquals(goldenOf(registry, a.bodyAsJsonObject().getString("id")), "Patient/" + golden(a),
          "a dry run writes nothing");

      HttpResponse<Buffer> started = registry.post("admin", "/links/rematch", new JsonObject().put("apply", true));
      assertEquals(202, started.statusCode(), started.bodyAsString());
      JsonObject done = waitUntilDone(registry);
      assertEquals(dry.getLong("recordsMoved"), done.getLong("recordsMoved"), "apply did what the dry run said");
      assertEquals(goldenOf(registry, a.bodyAsJsonObject().getString("id")),
          goldenOf(registry, b.bodyAsJsonObject().getString("id")), "linked under the new rules");
      assertNotEquals(goldenOf(registry, cId), goldenOf(registry, dId), "the manual decision stands");
      assertEquals(0, registry.post("admin", "/links/rematch", new JsonObject()).bodyAsJsonObject()
          .getLong("recordsMoved"), "nothing left to change");
    }
  }

  @Test
  void aReMatchDoesNotAskAgainAboutAPairOfGoldenRecordsAlreadyInQuestion() throws Exception {
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      // A: two records of one person; B: same name and birth date, other sex and phone (an item: B against A).
      HttpResponse<Buffer> a1 = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "rq-a1", "Moses", "Opio",
          "male", "1979-07-07", "0772 111 707", null));
      HttpResponse<Buffer> a2 = registry.post("lims", "/fhir/Patient", patient("lims", "rq-a2", "Moses", "Opio",
          "male", "1979-07-07", "0772 111 707", null));
      HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "rq-b", "Moses", "Opio",
          "female", "1979-07-07", "0700 222 808", null));
      assertEquals(golden(a1), golden(a2));
      assertNotEquals(golden(a1), golden(b));
      assertEquals(1, openItems(registry), "B against A");
      // Re-matching under the same rules finds A uncertain about B again: the question is open already.
      assertEquals(0, registry.post("admin", "/links/rematch", new JsonObject()).bodyAsJsonObject()
          .getLong("reviewItems"), "the dry run raises none either");
      assertEquals(202, registry.post("admin", "/links/rematch", new JsonObject().put("apply", true)).statusCode());
      waitUntilDone(registry);
      assertEquals(1, openItems(registry), "still one question about A and B");
    }
  }

  private long openItems(TestRegistry registry) {
    return registry.get("admin", "/review?_count=100").bodyAsJsonObject().getLong("total");
  }

  @Test
  void anApplyThatStoppedResumesAfterTheLastWrittenBatch() throws Exception {
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      java.util.List<String> goldens = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        goldens.add(golden(registry.post("openmrs", "/fhir/Patient", patient("openmrs", "rs-" + i,
            "Name" + (char) ('a' + i), "Family" + (char) ('a' + i), "female", "1980-01-0" + (i + 1), null, null))));
      }
      goldens.sort(null);
      String stoppedAfter = goldens.get(1);
      // As a crash would leave it: a position written with a batch, and the job not finished.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
           PreparedStatement ps = c.prepareStatement("INSERT INTO job_progress (job, cursor) VALUES (?, ?)")) {
        ps.setString(1, "rematch");
        ps.setString(2, stoppedAfter);
        ps.executeUpdate();
      }
      assertEquals(202, registry.post("admin", "/links/rematch", new JsonObject().put("apply", true)).statusCode());
      JsonObject done = waitUntilDone(registry);
      assertEquals(stoppedAfter, done.getString("resumedAfter"));
      assertEquals(3, done.getLong("goldenRecords"), "only the golden records after the position");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
           PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM job_progress")) {
        var rs = ps.executeQuery();
        assertTrue(rs.next());
        assertEquals(0, rs.getInt(1), "a finished run leaves no position behind");
      }
    }
  }
}
