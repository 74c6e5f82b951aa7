package org.clientregistry.linking;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.clientregistry.SharedRegistryTest;
import org.junit.jupiter.api.Test;

/** Uncertain matches become persisted review items with their explanation; certain ones do not. */
class ReviewItemsTest extends SharedRegistryTest {

  @Test
  void autoLinksKeepTheirExplanation() throws Exception {
    registry.post("openmrs", "/fhir/Patient", patient("openmrs", "ex-1", "Daisy", "Achola", "female",
        "1993-03-09", "0782 930 309", null));
    HttpResponse<Buffer> linked = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "ex-1", "Daisy",
        "Acholla", "female", "1993-03-09", "0782930309", null));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         PreparedStatement ps = c.prepareStatement(
             "SELECT link_method, link_grade, link_rule, link_score, link_explanation FROM source_record WHERE id = ?")) {
      ps.setString(1, linked.bodyAsJsonObject().getString("id"));
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("auto", rs.getString("link_method"));
        assertEquals("certain", rs.getString("link_grade"));
        assertEquals("demographics", rs.getString("link_rule"));
        assertTrue(rs.getDouble("link_score") > 0.9);
        String explanation = rs.getString("link_explanation");
        assertTrue(explanation.contains("\"field\":\"family\"") && explanation.contains("PASS"), explanation);
        assertFalse(explanation.contains("Achola"), "explanations never hold the values");
      }
    }
  }

  @Test
  void reviewLevelCandidateIsStoredWithItsExplanation() throws Exception {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "rv-1", "Charles",
        "Olweny", "male", "1970-10-10", "0772 101 070", null));
    // Same name and birth date, other sex and phone: 3 of the auto threshold 3.5, so a review item, not a link.
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "rv-1", "Charles",
        "Olweny", "female", "1970-10-10", "0700 999 111", null));
    assertNotEquals(a.getHeader("LocationCRUID"), b.getHeader("LocationCRUID"));
    String source = b.bodyAsJsonObject().getString("id");
    String candidateGolden = a.getHeader("LocationCRUID").substring("Patient/".length());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         PreparedStatement ps = c.prepareStatement(
             "SELECT golden_id, grade, rule, reason, explanation, status FROM review_item WHERE source_id = ?")) {
      ps.setString(1, source);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "a review item was stored");
        assertEquals(candidateGolden, rs.getString("golden_id"));
        // The grade $match gives the same pair: lower half of the review band (3 in 3 to 3.5).
        assertEquals("possible", rs.getString("grade"));
        assertEquals("demographics", rs.getString("rule"));
        assertEquals("open", rs.getString("status"));
        String explanation = rs.getString("explanation");
        assertTrue(explanation.contains("\"field\":\"phone\"") && explanation.contains("FAIL"), explanation);
        assertTrue(explanation.contains("\"field\":\"gender\""), explanation);
        assertFalse(explanation.contains("Olweny"), "explanations never hold the values");
        assertFalse(rs.next(), "one item per candidate golden record");
      }
    }
  }

  @Test
  void anAutoMatchOnASecondGoldenRecordLinksToTheBestAndFlagsTheOther() throws Exception {
    // A and B: same name and birth date, other sex and phone (3: review, not linked); B has a national id.
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "dup-a", "Ruth", "Apio",
        "female", "1988-05-05", "0772 880 505", null));
    HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "dup-b", "Ruth", "Apio",
        "male", "1988-05-05", "0701 000 222", "CM88050512RUTH"));
    assertNotEquals(a.getHeader("LocationCRUID"), b.getHeader("LocationCRUID"));
    // C auto-matches both: A through sex and phone (4.5 of 4.5 possible), B through the national id (5 of 6.5).
    // Under the shipped bridge policy (review) the two golden records are not merged.
    HttpResponse<Buffer> c = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "dup-c", "Ruth", "Apio",
        "female", "1988-05-05", "0772880505", "CM88050512RUTH"));
    // Linked to one of them (the best comparison: A's, which agrees on every field both records have) ...
    String chosen = c.getHeader("LocationCRUID");
    assertTrue(chosen.equals(a.getHeader("LocationCRUID")) || chosen.equals(b.getHeader("LocationCRUID")), chosen);
    // ... never to both, and the other golden record waits for an administrator as a possible duplicate.
    String otherGolden = (chosen.equals(a.getHeader("LocationCRUID")) ? b : a).getHeader("LocationCRUID")
        .substring("Patient/".length());
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         PreparedStatement ps = db.prepareStatement(
             "SELECT grade, reason, status FROM review_item WHERE source_id = ? AND golden_id = ?")) {
      ps.setString(1, c.bodyAsJsonObject().getString("id"));
      ps.setString(2, otherGolden);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "the other golden record is flagged for review");
        assertEquals("certain", rs.getString("grade"));
        assertTrue(rs.getString("reason").contains("possible duplicate golden records"), rs.getString("reason"));
        assertEquals("open", rs.getString("status"));
      }
    }
  }

  @Test
  void aCrowdOfLookAlikesRaisesAFewItemsPerRecordAndAsksNoPairOfGoldenRecordsTwice() throws Exception {
    // Twelve records of one name and birth date, no sex or phone: every pair scores in the review band.
    io.vertx.core.json.JsonArray entries = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 12; i++) {
      entries.add(new io.vertx.core.json.JsonObject().put("resource", patient("openmrs", "crowd-" + i, "Ruth",
          "Apio", null, "1961-02-03", null, null)).put("request", new io.vertx.core.json.JsonObject()
          .put("method", "POST").put("url", "Patient")));
    }
    HttpResponse<Buffer> r = registry.post("openmrs", "/fhir", new io.vertx.core.json.JsonObject()
        .put("resourceType", "Bundle").put("type", "transaction").put("entry", entries));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    java.util.Map<String, Integer> perSource = new java.util.HashMap<>();
    java.util.Set<String> goldenPairs = new java.util.HashSet<>();
    int total = 0;
    boolean toldOfTheRest = false;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         PreparedStatement ps = db.prepareStatement("SELECT r.source_id, s.golden_id, r.golden_id, r.reason"
             + " FROM review_item r JOIN source_record s ON s.id = r.source_id"
             + " WHERE s.id_value LIKE 'crowd-%' AND r.status = 'open'");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        total++;
        perSource.merge(rs.getString(1), 1, Integer::sum);
        String a = rs.getString(2);
        String b = rs.getString(3);
        assertTrue(goldenPairs.add(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a), "asked twice: " + a + ", " + b);
        toldOfTheRest |= rs.getString(4).contains("more golden record(s) scored lower and were not raised");
      }
    }
    assertTrue(total >= 11, "every later record is a possible duplicate of one before it: " + total);
    assertTrue(perSource.values().stream().allMatch(n -> n <= LinkPlanner.MAX_ITEMS_PER_RECORD), perSource.toString());
    assertTrue(total < 12 * 11 / 2, "fewer than one item per pair of look-alikes: " + total);
    assertTrue(toldOfTheRest, "an item says how many candidates it left out");
  }

  @Test
  void aPairOfGoldenRecordsAlreadyInQuestionIsNotAskedAgainFromAnotherMember() throws Exception {
    // A, then B: same name and birth date, other sex and phone (a review item: B against A's golden record).
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "gp-a", "Moses", "Opio",
        "male", "1979-07-07", "0772 111 707", null));
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "gp-b", "Moses", "Opio",
        "female", "1979-07-07", "0700 222 808", null));
    String goldenA = a.getHeader("LocationCRUID").substring("Patient/".length());
    String goldenB = b.getHeader("LocationCRUID").substring("Patient/".length());
    assertNotEquals(goldenA, goldenB);
    // Later requests: C joins B and D joins A, each as uncertain about the other golden record as B was.
    HttpResponse<Buffer> c = registry.post("lims", "/fhir/Patient", patient("lims", "gp-c", "Moses", "Opio",
        "female", "1979-07-07", "0700 222 808", null));
    HttpResponse<Buffer> d = registry.post("lims", "/fhir/Patient", patient("lims", "gp-d", "Moses", "Opio",
        "male", "1979-07-07", "0772 111 707", null));
    assertEquals("Patient/" + goldenB, c.getHeader("LocationCRUID"));
    assertEquals("Patient/" + goldenA, d.getHeader("LocationCRUID"));
    java.util.List<String> asked = new java.util.ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         PreparedStatement ps = db.prepareStatement("SELECT s.id_value FROM review_item r JOIN source_record s"
             + " ON s.id = r.source_id WHERE s.id_value LIKE 'gp-%' AND r.status = 'open'");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        asked.add(rs.getString(1));
      }
    }
    assertEquals(java.util.List.of("gp-b"), asked, "one open question about the two golden records");
  }
}
