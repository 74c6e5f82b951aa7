package org.clientregistry.api;

import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One request cannot make the registry do unbounded work: past a limit it is refused, naming it; nothing is kept. */
class WorkLimitsTest {
  @TempDir
  static Path dir;
  static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(dir, Map.of("CR_SERVER_MAX_BUNDLE_ENTRIES", "300",
        "CR_MATCHING_MAX_COMPARISONS_PER_REQUEST", "2000", "CR_MATCHING_MAX_REVIEW_ITEMS_PER_REQUEST", "10")).start();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /**
   * n entries of the same person as different records of one system (each compared with all before it); with
   * {@code linked} false, without sex or phone, so that every pair scores in the review band.
   */
  static JsonObject lookAlikes(String type, String prefix, int n, boolean linked) {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < n; i++) {
      entries.add(new JsonObject().put("resource", patient("openmrs", prefix + i, "Jane", "Nakato",
          linked ? "female" : null, "1990-04-12", linked ? "+256 772 123456" : null, null))
          .put("request", new JsonObject().put("method", "POST").put("url", "Patient")));
    }
    return new JsonObject().put("resourceType", "Bundle").put("type", type).put("entry", entries);
  }

  static void assertRefused(int status, HttpResponse<Buffer> r, String setting) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject outcome = r.bodyAsJsonObject();
    assertEquals("OperationOutcome", outcome.getString("resourceType"));
    assertTrue(outcome.getJsonArray("issue").getJsonObject(0).getString("diagnostics").contains(setting),
        r.bodyAsString());
  }

  static void assertNothingStored(String id) {
    assertEquals(404, registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("openmrs") + "|"
        + id).statusCode());
  }

  @Test
  void tooManyEntriesIs413() {
    assertRefused(413, registry.post("openmrs", "/fhir", lookAlikes("batch", "e-", 301, true)),
        "server.maxBundleEntries");
  }

  @Test
  void aTransactionComparingTooManyCandidatesIs422AndKeepsNothing() {
    assertRefused(422, registry.post("openmrs", "/fhir", lookAlikes("transaction", "c-", 250, true)),
        "matching.maxComparisonsPerRequest");
    assertNothingStored("c-0");
    assertEquals(200, registry.get("openmrs", "/ready").statusCode());
  }

  @Test
  void aTransactionRaisingTooManyReviewItemsIs422AndKeepsNothing() {
    assertRefused(422, registry.post("openmrs", "/fhir", lookAlikes("transaction", "r-", 40, false)),
        "matching.maxReviewItemsPerRequest");
    assertNothingStored("r-0");
  }

  @Test
  void aBatchOfTheSameEntriesIsWithinTheLimitsEntryByEntry() {
    HttpResponse<Buffer> r = registry.post("openmrs", "/fhir", lookAlikes("batch", "b-", 40, true));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }
}
