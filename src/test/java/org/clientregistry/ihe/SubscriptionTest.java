package org.clientregistry.ihe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions (ITI-94) over HTTPS: a rest-hook endpoint (WireMock) gets a notification per changed person, in
 * change order, identifiers and links only; a failing endpoint is retried with exponential back-off (status error)
 * and then gets them in order; a restart resumes after the last delivered change.
 */
class SubscriptionTest extends OhieRegistryTest {
  static final String SUBSCRIBER = "subscriber";
  static WireMockServer endpoint;

  @BeforeAll
  static void startEndpoint() {
    endpoint = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    endpoint.start();
    endpoint.stubFor(any(urlPathMatching("/ok(/.*)?")).willReturn(aResponse().withStatus(200)));
    for (String path : new String[] {"flaky", "restart"}) {
      endpoint.stubFor(any(urlPathMatching("/" + path + "(/.*)?")).inScenario(path).whenScenarioStateIs(STARTED)
          .willReturn(aResponse().withStatus(200)));
      endpoint.stubFor(any(urlPathMatching("/" + path + "(/.*)?")).inScenario(path).whenScenarioStateIs("down")
          .willReturn(aResponse().withStatus(503)));
    }
  }

  @AfterAll
  static void stopEndpoint() {
    endpoint.stop();
  }

  static JsonObject subscription(String path, boolean payload) {
    JsonObject channel = new JsonObject().put("type", "rest-hook")
        .put("endpoint", "http://127.0.0.1:" + endpoint.port() + "/" + path)
        .put("header", new JsonArray().add("Authorization: Bearer secret-of-" + path));
    if (payload) {
      channel.put("payload", "application/fhir+json");
    }
    return new JsonObject().put("resourceType", "Subscription").put("status", "requested")
        .put("reason", "follow patient changes").put("criteria", "Patient").put("channel", channel);
  }

  static String subscribe(String path, boolean payload) {
    HttpResponse<Buffer> r = registry.post(SUBSCRIBER, "/fhir/Subscription", subscription(path, payload));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("active", r.bodyAsJsonObject().getString("status"));
    return r.bodyAsJsonObject().getString("id");
  }

  /** Notifications received on a path, oldest first, as {@code status id version} (PUTs) or {@code status POST}. */
  static List<String> received(String path) {
    List<ServeEvent> events = new ArrayList<>(endpoint.getAllServeEvents());
    Collections.reverse(events); // WireMock lists the newest first
    List<String> out = new ArrayList<>();
    for (ServeEvent e : events) {
      String url = e.getRequest().getUrl();
      if (!url.startsWith("/" + path + "/") && !url.equals("/" + path)) {
        continue;
      }
      assertEquals("Bearer secret-of-" + path, e.getRequest().getHeader("Authorization"));
      String body = e.getRequest().getBodyAsString();
      if (body.isEmpty()) {
        out.add(e.getResponse().getStatus() + " POST");
        continue;
      }
      JsonObject p = new JsonObject(body);
      for (String demographic : new String[] {"name", "birthDate", "gender", "telecom", "address"}) {
        assertFalse(p.containsKey(demographic), "notifications carry no demographics: " + body);
      }
      out.add(e.getResponse().getStatus() + " " + p.getString("id") + " v" + p.getJsonObject("meta")
          .getString("versionId") + (p.getBoolean("active") ? "" : " replaced-by " + p.getJsonArray("link")
          .getJsonObject(0).getJsonObject("other").getString("reference")));
    }
    return out;
  }

  static void await(String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static boolean arrived(String path, String entry) {
    return received(path).contains(entry);
  }

  static String create(String client, String id, String given, String family, String birthDate) {
    HttpResponse<Buffer> r = registry.post(client, "/fhir/Patient", patient(client, id, given, family, "female",
        birthDate, null, null));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return cruid(r);
  }

  static JsonObject readSubscription(String id) {
    HttpResponse<Buffer> r = registry.get(SUBSCRIBER, "/fhir/Subscription/" + id);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static void unsubscribe(String id) {
    assertEquals(204, registry.client(SUBSCRIBER).delete("/fhir/Subscription/" + id).send().await().statusCode());
    assertEquals(404, registry.get(SUBSCRIBER, "/fhir/Subscription/" + id).statusCode());
  }

  @Test
  void createUpdateAndMergeAreNotifiedInOrderWithIdentifiersOnly() {
    String sub = subscribe("ok", true);
    String a = create("openmrs", "sub-1", "Winnie", "Subscribeda", "1971-02-03");
    await("the create", () -> arrived("ok", "200 " + a + " v1"));
    HttpResponse<Buffer> update = registry.put("openmrs", "/fhir/Patient?identifier=" + enc(system("openmrs")
        + "|sub-1"), patient("openmrs", "sub-1", "Winnie", "Subscribeda", "female", "1971-02-03", "0772 000 111",
        null));
    assertEquals(200, update.statusCode(), update.bodyAsString());
    await("the update", () -> arrived("ok", "200 " + a + " v2"));
    String b = create("lims", "sub-2", "Zawadi", "Othersubscribed", "1985-11-30");
    await("the second create", () -> arrived("ok", "200 " + b + " v1"));
    HttpResponse<Buffer> merge = registry.client("admin").post("/links/merge").putHeader("Content-Type",
        "application/json").sendJsonObject(new JsonObject().put("from", b).put("into", a)
        .put("comment", "the same woman")).await();
    assertEquals(200, merge.statusCode(), merge.bodyAsString());
    await("the merge", () -> arrived("ok", "200 " + b + " v2 replaced-by Patient/" + a)
        && arrived("ok", "200 " + a + " v3"));
    List<String> got = received("ok").stream().filter(n -> n.contains(a) || n.contains(b)).toList();
    assertEquals(List.of("200 " + a + " v1", "200 " + a + " v2", "200 " + b + " v1"), got.subList(0, 3));
    assertEquals(java.util.Set.of("200 " + b + " v2 replaced-by Patient/" + a, "200 " + a + " v3"),
        java.util.Set.copyOf(got.subList(3, 5)), "the merge changes both persons, once each: " + got);
    JsonObject merged = lastBody("ok", a);
    List<String> ids = merged.getJsonArray("identifier").stream().map(o -> ((JsonObject) o).getString("system")
        + "|" + ((JsonObject) o).getString("value")).toList();
    assertTrue(ids.containsAll(List.of(CRUID + "|" + a, system("openmrs") + "|sub-1", system("lims") + "|sub-2")),
        ids.toString());
    assertEquals("active", readSubscription(sub).getString("status"));
    unsubscribe(sub);
  }

  static JsonObject lastBody(String path, String id) {
    return endpoint.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/" + path
        + "/Patient/" + id)).findFirst().map(e -> new JsonObject(e.getRequest().getBodyAsString())).orElseThrow();
  }

  @Test
  void aFailingEndpointIsRetriedWithBackOffThenGetsTheNotificationsInOrder() {
    String sub = subscribe("flaky", true);
    endpoint.setScenarioState("flaky", "down");
    String c = create("openmrs", "sub-3", "Pendo", "Flakyone", "1990-01-01");
    String d = create("openmrs", "sub-4", "Rehema", "Flakytwo", "1960-12-12");
    await("three failed attempts", () -> received("flaky").stream().filter(n -> n.startsWith("503")).count() >= 3);
    // The endpoint saw the third failure; the subscription's state is saved just after it.
    await("the third failure in the subscription's error", () -> !readSubscription(sub).getString("error", "")
        .matches(".*failed [12] time\\(s\\).*"));
    JsonObject failing = readSubscription(sub);
    assertEquals("error", failing.getString("status"));
    Matcher m = Pattern.compile("failed (\\d+) time\\(s\\), next attempt in (\\d+) s").matcher(
        failing.getString("error"));
    assertTrue(m.find(), failing.getString("error"));
    int failures = Integer.parseInt(m.group(1));
    assertTrue(failures >= 3, failing.getString("error"));
    assertEquals(Math.min(300, 1 << (failures - 1)), Integer.parseInt(m.group(2)), "exponential back-off");
    endpoint.setScenarioState("flaky", STARTED);
    await("both notifications", () -> arrived("flaky", "200 " + d + " v1"));
    List<String> got = received("flaky").stream().filter(n -> n.contains(c) || n.contains(d)).toList();
    int firstOk = got.indexOf("200 " + c + " v1");
    assertTrue(firstOk >= 3, got.toString());
    assertTrue(got.subList(0, firstOk).stream().allMatch(n -> n.equals("503 " + c + " v1")),
        "the head notification is retried alone: " + got);
    assertEquals(List.of("200 " + c + " v1", "200 " + d + " v1"), got.subList(firstOk, got.size()));
    await("the status back to active", () -> "active".equals(readSubscription(sub).getString("status")));
    unsubscribe(sub);
  }

  @Test
  void aRestartResumesAfterTheLastDeliveredChange() {
    String sub = subscribe("restart", false);
    String e = create("openmrs", "sub-5", "Imani", "Restartone", "1955-05-05");
    await("the first notification", () -> received("restart").contains("200 POST"));
    endpoint.setScenarioState("restart", "down");
    String f = create("openmrs", "sub-6", "Baraka", "Restarttwo", "1944-04-04");
    await("a failed attempt", () -> received("restart").contains("503 POST"));
    registry.stop();
    int before = received("restart").size();
    endpoint.setScenarioState("restart", STARTED);
    registry.start();
    await("the pending notification after the restart", () -> since(before).contains("200 POST"));
    List<String> after = since(before);
    assertEquals(List.of("200 POST"), after, "only the pending change is sent again, the delivered one is not");
    // The status is saved after the endpoint answered (on a FHIR server, a write of its own): waited for.
    await("the subscription active again", () -> "active".equals(readSubscription(sub).getString("status")));
    assertTrue(e != null && f != null);
    unsubscribe(sub);
  }

  static List<String> since(int before) {
    List<String> all = received("restart");
    return all.subList(before, all.size());
  }

  @Test
  void aCruidChangeNotifiesBothPersons() {
    String sub = subscribe("ok", true);
    HttpResponse<Buffer> first = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "sub-7", "Neema",
        "Splitsubscribed", "female", "1999-09-09", "0772 909 909", "NIN-SUB-7"));
    HttpResponse<Buffer> second = registry.post("lims", "/fhir/Patient", patient("lims", "sub-8", "Neema",
        "Splitsubscribed", "female", "1999-09-09", "0772 909 909", "NIN-SUB-7"));
    String person = cruid(first);
    assertEquals(person, cruid(second), "one person");
    await("the link", () -> arrived("ok", "200 " + person + " v2"));
    String source = second.getHeader("Location").substring(second.getHeader("Location").lastIndexOf('/') + 1);
    HttpResponse<Buffer> broken = registry.client("admin").post("/links/break").putHeader("Content-Type",
        "application/json").sendJsonObject(new JsonObject().put("source", source).put("comment", "not her"))
        .await();
    assertEquals(200, broken.statusCode(), broken.bodyAsString());
    String moved = registry.get("admin", "/fhir/Patient/" + source).bodyAsJsonObject().getJsonArray("link")
        .getJsonObject(0).getJsonObject("other").getString("reference").substring("Patient/".length());
    assertFalse(moved.equals(person), "the record has a new CRUID");
    await("both persons", () -> arrived("ok", "200 " + person + " v3") && arrived("ok", "200 " + moved + " v1"));
    assertEquals(1, lastBody("ok", moved).getJsonArray("link").size(), "the new person has the moved record");
    assertEquals("Patient/" + source, lastBody("ok", moved).getJsonArray("link").getJsonObject(0)
        .getJsonObject("other").getString("reference"));
    unsubscribe(sub);
  }

  @Test
  void onlySubscribersAndAdminsSubscribeAndOnlyToPatientRestHooks() {
    assertEquals(403, registry.post("openmrs", "/fhir/Subscription", subscription("ok", true)).statusCode());
    JsonObject wrongCriteria = subscription("ok", true).put("criteria", "Observation");
    assertEquals(400, registry.post(SUBSCRIBER, "/fhir/Subscription", wrongCriteria).statusCode());
    JsonObject wrongPayload = subscription("ok", true);
    wrongPayload.getJsonObject("channel").put("payload", "application/fhir+xml");
    assertEquals(400, registry.post(SUBSCRIBER, "/fhir/Subscription", wrongPayload).statusCode());
    JsonObject email = subscription("ok", true);
    email.getJsonObject("channel").put("type", "email");
    assertEquals(400, registry.post(SUBSCRIBER, "/fhir/Subscription", email).statusCode());
    HttpResponse<Buffer> byAdmin = registry.post("admin", "/fhir/Subscription", subscription("ok", false));
    assertEquals(201, byAdmin.statusCode(), byAdmin.bodyAsString());
    String id = byAdmin.bodyAsJsonObject().getString("id");
    assertEquals(404, registry.get(SUBSCRIBER, "/fhir/Subscription/" + id).statusCode(), "not the subscriber's");
    assertEquals(200, registry.get("admin", "/fhir/Subscription/" + id).statusCode());
    assertEquals(204, registry.client("admin").delete("/fhir/Subscription/" + id).send().await().statusCode());
  }
}
