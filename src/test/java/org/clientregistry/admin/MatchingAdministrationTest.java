package org.clientregistry.admin;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.clientregistry.SharedRegistryTest;
import org.junit.jupiter.api.Test;

/** The administration API over real HTTPS: review queue, decisions, break/unbreak/merge/link, history, changes. */
class MatchingAdministrationTest extends SharedRegistryTest {

  static String golden(HttpResponse<Buffer> r) {
    return r.getHeader("LocationCRUID").substring("Patient/".length());
  }

  static String id(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getString("id");
  }

  /** Two records the shipped rules find uncertain: same name and birth date, other sex and phones. */
  static String[] uncertainPair(String tag, String given, String family, String birthDate) {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", tag + "-a", given, family,
        "male", birthDate, "0772 101 070", null));
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", tag + "-b", given, family,
        "female", birthDate, "0700 999 111", null));
    assertNotEquals(golden(a), golden(b), "uncertain: not linked");
    return new String[] {id(a), golden(a), id(b), golden(b)};
  }

  static JsonObject itemFor(String sourceId) {
    JsonObject page = registry.get("admin", "/review?client=dhis2&_count=100").bodyAsJsonObject();
    for (Object o : page.getJsonArray("items")) {
      JsonObject item = (JsonObject) o;
      if (item.getJsonObject("source").getString("id").equals("Patient/" + sourceId)) {
        return item;
      }
    }
    throw new AssertionError("no open review item for Patient/" + sourceId + " in " + page.encode());
  }

  static JsonArray links(String goldenId) {
    return registry.get("admin", "/links?goldenId=Patient/" + goldenId).bodyAsJsonObject().getJsonArray("links");
  }

  @Test
  void theQueueShowsBothRecordsSideBySideAndADecisionIsTakenOnce() {
    String[] p = uncertainPair("rq", "Charles", "Olweny", "1970-10-10");
    JsonObject item = itemFor(p[2]);
    assertEquals("Patient/" + p[1], item.getString("golden"));
    assertEquals("Patient/" + p[0], item.getJsonObject("candidate").getString("id"));
    assertEquals("openmrs", item.getJsonObject("candidate").getString("client"));
    assertEquals("Olweny", item.getJsonObject("source").getJsonObject("resource").getJsonArray("name")
        .getJsonObject(0).getString("family"), "admins see the demographics");
    assertTrue(List.of("probable", "possible").contains(item.getString("grade")), item.encode());
    JsonObject phone = item.getJsonArray("fields").stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("field").equals("phone")).findFirst().orElseThrow();
    assertEquals("fail", phone.getString("agreement"));
    assertNotNull(phone.getString("valueA"));
    assertNotEquals(phone.getString("valueA"), phone.getString("valueB"));
    assertFalse(item.getBoolean("rescored"), "nothing changed since it was raised");

    JsonObject none = registry.get("admin", "/review?client=dhis2&minScore=1.01").bodyAsJsonObject();
    assertEquals(0, none.getLong("total"));
    assertTrue(registry.get("admin", "/review").bodyAsJsonObject().getLong("total") >= 1);

    HttpResponse<Buffer> decided = registry.post("admin", "/review/" + item.getString("id"),
        new JsonObject().put("decision", "match").put("comment", "same person, new phone"));
    assertEquals(200, decided.statusCode(), decided.bodyAsString());
    JsonObject moved = links(p[1]).stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("source").equals("Patient/" + p[2])).findFirst().orElseThrow();
    assertEquals("manual", moved.getString("method"));

    HttpResponse<Buffer> again = registry.post("admin", "/review/" + item.getString("id"),
        new JsonObject().put("decision", "no-match"));
    assertEquals(409, again.statusCode());
    assertEquals("OperationOutcome", again.bodyAsJsonObject().getString("resourceType"));
    JsonObject resolved = registry.get("admin", "/review/" + item.getString("id")).bodyAsJsonObject();
    assertEquals("resolved", resolved.getString("status"));
    assertEquals("match", resolved.getString("decision"));
    assertEquals("admin", resolved.getString("resolvedBy"));
  }

  @Test
  void twoAdministratorsDecidingAtOnceGetOneSuccessAndOneConflict() {
    String[] p = uncertainPair("rc", "Peter", "Okello", "1966-06-16");
    String itemId = itemFor(p[2]).getString("id");
    List<Future<HttpResponse<Buffer>>> both = new ArrayList<>();
    for (String decision : new String[] {"match", "no-match"}) {
      both.add(registry.client("admin").post(registry.port, "localhost", "/review/" + itemId)
          .sendJsonObject(new JsonObject().put("decision", decision)));
    }
    Future.all(both).await();
    List<Integer> statuses = both.stream().map(f -> f.result().statusCode()).sorted().toList();
    assertEquals(List.of(200, 409), statuses);
  }

  @Test
  void aBrokenLinkStaysBrokenWhenBothRecordsAreSentAgainAndUnbreakJoinsThem() {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "bk-a", "Grace",
        "Auma", "female", "1981-01-18", "0772 181 181", null));
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "bk-b", "Grace", "Auma",
        "female", "1981-01-18", "0772181181", null));
    assertEquals(golden(a), golden(b), "linked automatically");

    HttpResponse<Buffer> broken = registry.post("admin", "/links/break",
        new JsonObject().put("source", "Patient/" + id(b)).put("comment", "twins"));
    assertEquals(200, broken.statusCode(), broken.bodyAsString());
    assertEquals(2, broken.bodyAsJsonObject().getJsonArray("links").size());

    HttpResponse<Buffer> a2 = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "bk-a", "Grace",
        "Auma", "female", "1981-01-18", "+256 772 181181", null));
    HttpResponse<Buffer> b2 = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "bk-b", "Grace", "Auma",
        "female", "1981-01-18", "772181181", null));
    assertNotEquals(golden(a2), golden(b2), "the break is never undone by automatic matching");

    HttpResponse<Buffer> unbroken = registry.post("admin", "/links/unbreak",
        new JsonObject().put("source", "Patient/" + id(b)).put("other", "Patient/" + id(a)));
    assertEquals(200, unbroken.statusCode(), unbroken.bodyAsString());
    String ga = registry.get("admin", "/links?sourceId=Patient/" + id(a)).bodyAsJsonObject().getJsonArray("links")
        .getJsonObject(0).getString("golden");
    String gb = registry.get("admin", "/links?sourceId=Patient/" + id(b)).bodyAsJsonObject().getJsonArray("links")
        .getJsonObject(0).getString("golden");
    assertEquals(ga, gb, "matched again once the mark is gone");
  }

  @Test
  void aMergedGoldenRecordStillResolvesThroughPix() {
    HttpResponse<Buffer> x = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "mg-x", "Moses",
        "Kato", "male", "1955-05-05", "0772 555 001", null));
    // Names and sex agree, the birth date's year and day differ: too little for the rules, an administrator merges.
    HttpResponse<Buffer> y = registry.post("lims", "/fhir/Patient", patient("lims", "mg-y", "Mozes", "Katto",
        "male", "1956-05-06", "0701 555 002", null));
    assertNotEquals(golden(x), golden(y));
    HttpResponse<Buffer> merged = registry.post("admin", "/links/merge", new JsonObject()
        .put("from", "Patient/" + golden(x)).put("into", "Patient/" + golden(y)).put("comment", "same man"));
    assertEquals(200, merged.statusCode(), merged.bodyAsString());
    assertEquals(2, merged.bodyAsJsonObject().getJsonArray("links").size());

    HttpResponse<Buffer> pix = registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier="
        + "http://openclientregistry.org/fhir/CRUID|" + golden(x));
    assertEquals(200, pix.statusCode(), pix.bodyAsString());
    assertTrue(pix.bodyAsString().contains(golden(y)), "the old CRUID resolves to the survivor");
    assertTrue(pix.bodyAsString().contains("mg-y"), pix.bodyAsString());

    HttpResponse<Buffer> twice = registry.post("admin", "/links/merge", new JsonObject()
        .put("from", "Patient/" + golden(x)).put("into", "Patient/" + golden(y)));
    assertEquals(404, twice.statusCode(), "an emptied golden record has nothing left to merge");
  }

  @Test
  void aHandMadeLinkChecksTheVersionSeenAndIsKeptInHistoryAndTheChangeFeed() {
    String since = registry.get("admin", "/links/changes?_count=1000").bodyAsJsonObject().getString("next");
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "hl-a", "Alice",
        "Nabirye", "female", "1999-09-09", "0772 999 001", null));
    HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "hl-b", "Alicia", "Nabiryo",
        "female", "1999-10-19", "0701 999 002", null));
    assertNotEquals(golden(a), golden(b));
    JsonObject body = new JsonObject().put("source", "Patient/" + id(b)).put("golden", "Patient/" + golden(a))
        .put("comment", "confirmed at the clinic");
    HttpResponse<Buffer> stale = registry.client("admin").post(registry.port, "localhost", "/links/link")
        .putHeader("If-Match", "W/\"7\"").sendJsonObject(body).await();
    assertEquals(409, stale.statusCode(), stale.bodyAsString());
    HttpResponse<Buffer> linked = registry.client("admin").post(registry.port, "localhost", "/links/link")
        .putHeader("If-Match", "W/\"1\"").sendJsonObject(body).await();
    assertEquals(200, linked.statusCode(), linked.bodyAsString());

    JsonArray history = registry.get("admin", "/links/history?source=Patient/" + id(b)).bodyAsJsonObject()
        .getJsonArray("events");
    assertEquals(2, history.size(), history.encode());
    assertEquals("auto", history.getJsonObject(0).getString("method"));
    assertEquals("lims", history.getJsonObject(0).getString("actor"));
    JsonObject manual = history.getJsonObject(1);
    assertEquals("manual", manual.getString("method"));
    assertEquals("admin", manual.getString("actor"));
    assertEquals("confirmed at the clinic", manual.getString("comment"));
    assertEquals("Patient/" + golden(b), manual.getString("previousGolden"));
    JsonArray ofGolden = registry.get("admin", "/links/history?golden=Patient/" + golden(a)).bodyAsJsonObject()
        .getJsonArray("events");
    assertEquals(2, ofGolden.size(), "the golden record's own member, then the one linked by hand");

    JsonArray changes = registry.get("admin", "/links/changes" + (since == null ? "" : "?since=" + since))
        .bodyAsJsonObject().getJsonArray("changes");
    assertEquals(List.of("Patient/" + id(a), "Patient/" + id(b), "Patient/" + id(b)), changes.stream()
        .map(c -> ((JsonObject) c).getString("source")).toList(), "every link change, in order");
  }

  @Test
  void anUpdateThatLeavesItsPeerSendsThePairToReview() {
    HttpResponse<Buffer> om = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "OM-1001x", "Jane",
        "Nakato", "female", "1990-04-12", "+256 772 123456", null));
    HttpResponse<Buffer> dh = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "TEI-77x", "Jane",
        "Nakatto", "female", "1990-04-12", "0772123456", null));
    assertEquals(golden(om), golden(dh));
    // A new phone and no sex recorded any more: names and birth date alone (3) are a review, not a link.
    HttpResponse<Buffer> updated = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "OM-1001x", "Jane",
        "Nakato", null, "1990-04-12", "+256 701 000999", null));
    assertEquals(200, updated.statusCode());
    assertNotEquals(golden(dh), golden(updated), "the update takes the pair below the auto-match threshold");
    {
      JsonObject page = registry.get("admin", "/review?client=openmrs&_count=100").bodyAsJsonObject();
      boolean raised = page.getJsonArray("items").stream().map(JsonObject.class::cast).anyMatch(i ->
          i.getJsonObject("source").getString("id").equals("Patient/" + id(om))
              && i.getString("golden").equals("Patient/" + golden(dh)));
      assertTrue(raised, "a split the rules are unsure of is never silent: " + page.encode());
    }
  }

  @Test
  void badRequestsAreRefusedWithAnOperationOutcome() {
    HttpResponse<Buffer> noBody = registry.post("admin", "/links/break", new JsonObject());
    assertEquals(400, noBody.statusCode());
    assertEquals("OperationOutcome", noBody.bodyAsJsonObject().getString("resourceType"));
    assertEquals(404, registry.post("admin", "/links/break", new JsonObject().put("source", "Patient/nope"))
        .statusCode());
    assertEquals(403, registry.get("openmrs", "/review").statusCode(), "point-of-service systems cannot review");
    assertEquals(400, registry.get("admin", "/review?status=maybe").statusCode());
    assertEquals(400, registry.get("admin", "/links").statusCode());
    assertEquals(404, registry.get("admin", "/review/none").statusCode());
  }
}
