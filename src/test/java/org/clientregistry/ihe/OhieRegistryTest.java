package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clientregistry.OnFhirServer;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the OHIE-CR conformance classes: one running registry (HTTPS; the fhirserver store for subclasses that
 * implement {@link OnFhirServer}) whose clients file adds the test harness and the cases' identity domains.
 */
public abstract class OhieRegistryTest {
  static final String TEST = "http://ohie.org/test/test";
  static final String TEST_OID = "urn:oid:1.3.6.1.4.1.52820.3.72.5.9.1";
  static final String TEST_A = "http://ohie.org/test/test_a";
  static final String TEST_B = "http://ohie.org/test/test_b";
  static final String CRUID = "http://openclientregistry.org/fhir/CRUID";
  static final String HARNESS = "test-harness";
  static final String HARNESS_A = "test-harness-a";
  static final String HARNESS_B = "test-harness-b";
  static final String NID = "http://ohie.org/test/nid";
  static final String VIEWER = "pdq-viewer";
  static final String PMIR_EVENT = "urn:ihe:iti:pmir:2019:patient-feed";

  @TempDir
  protected static Path dir;
  protected static TestRegistry registry;

  @BeforeAll
  static void startRegistry(TestInfo test) {
    Map<String, String> env = new HashMap<>(OnFhirServer.env(test.getTestClass().orElseThrow()));
    env.put("CR_CLIENTS_FILE", Path.of("src/test/resources/ohie/clients.json").toAbsolutePath().toString());
    // The shipped rules, and the cases' NID domain weighed like a national id (OHIE-CR-06: explicit identifiers).
    env.put("CR_MATCHING_RULES_FILE", Path.of("src/test/resources/ohie/decision-rules.json").toAbsolutePath()
        .toString());
    registry = new TestRegistry(dir, env).start();
    if (OnFhirServer.class.isAssignableFrom(test.getTestClass().orElseThrow())) {
      awaitSearchParameters();
    }
  }

  /**
   * On a FHIR server: waits until the server searches by the Patient parameters the registry defines there at
   * start (mothersMaidenName, mother-identifier), which the metadata then declares.
   */
  private static void awaitSearchParameters() {
    List<String> wanted = List.of("mothersMaidenName", "mother-identifier");
    List<String> declared = declaredSearchParameters();
    for (int i = 0; i < 600 && !declared.containsAll(wanted); i++) {
      refreshServerSearchParameters();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      declared = declaredSearchParameters();
    }
    assertTrue(declared.containsAll(wanted), "the FHIR server searches by them: " + declared);
  }

  /**
   * Makes the in-process HAPI take defined SearchParameters into force now: on its own it may wait for its next
   * scheduled refresh (up to a minute), which the registry's probes would wait for.
   */
  public static void refreshServerSearchParameters() {
    org.clientregistry.store.fhirserver.HapiTestServer.shared()
        .bean(ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl.class).forceRefresh();
  }

  /** The Patient search parameters the registry's CapabilityStatement declares. */
  static List<String> declaredSearchParameters() {
    return registry.get(VIEWER, "/fhir/metadata").bodyAsJsonObject().getJsonArray("rest").getJsonObject(0)
        .getJsonArray("resource").getJsonObject(0).getJsonArray("searchParam").stream()
        .map(o -> ((JsonObject) o).getString("name")).toList();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  /** A Patient as the cases send them: identifiers as {@code {system, value, use}} triples (use may be null). */
  static JsonObject casePatient(String family, String given, String gender, String birthDate, String[]... identifiers) {
    JsonArray ids = new JsonArray();
    for (String[] i : identifiers) {
      JsonObject id = new JsonObject().put("value", i[1]);
      if (i[0] != null) {
        id.put("system", i[0]);
      }
      if (i.length > 2 && i[2] != null) {
        id.put("use", i[2]);
      }
      ids.add(id);
    }
    JsonObject p = new JsonObject().put("resourceType", "Patient").put("active", true).put("identifier", ids)
        .put("name", new JsonArray().add(new JsonObject().put("use", "official").put("family", family)
            .put("given", new JsonArray().add(given))))
        .put("gender", gender);
    return birthDate == null ? p : p.put("birthDate", birthDate); // a minimal record may have none
  }

  static String[] id(String system, String value) {
    return new String[] {system, value, null};
  }

  static String[] official(String system, String value) {
    return new String[] {system, value, "official"};
  }

  static HttpResponse<Buffer> pix(String client, String query) {
    return registry.get(client, "/fhir/Patient/$ihe-pix?" + query);
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The targetIdentifier (system|value) or targetId (reference) values of a PIX answer. */
  public static List<String> values(JsonObject parameters, String name) {
    List<String> out = new ArrayList<>();
    for (Object o : parameters.getJsonArray("parameter", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      if (p.getString("name").equals(name)) {
        out.add(p.containsKey("valueIdentifier")
            ? p.getJsonObject("valueIdentifier").getString("system") + "|"
                + p.getJsonObject("valueIdentifier").getString("value")
            : p.getJsonObject("valueReference").getString("reference"));
      }
    }
    return out;
  }

  /** The first issue of an OperationOutcome answer: code and diagnostics. */
  static JsonObject issue(HttpResponse<Buffer> r) {
    JsonObject body = r.bodyAsJsonObject();
    if (!"OperationOutcome".equals(body.getString("resourceType"))) {
      throw new AssertionError("expected an OperationOutcome, got " + r.bodyAsString());
    }
    return body.getJsonArray("issue").getJsonObject(0);
  }

  /** A PMIR feed message (ITI-93): a MessageHeader with the feed event, then a history Bundle of the entries. */
  static JsonObject pmirMessage(JsonObject... entries) {
    JsonObject header = new JsonObject().put("resourceType", "MessageHeader").put("id", "msg-" + System.nanoTime())
        .put("eventUri", PMIR_EVENT).put("source", new JsonObject().put("endpoint", "http://ohie.org/test/harness"))
        .put("destination", new JsonArray().add(new JsonObject().put("endpoint", "http://ohie.org/test/endpoint")))
        .put("focus", new JsonArray().add(new JsonObject().put("reference", "Bundle/history")));
    JsonObject history = new JsonObject().put("resourceType", "Bundle").put("id", "history").put("type", "history")
        .put("entry", new JsonArray(List.of((Object[]) entries)));
    return new JsonObject().put("resourceType", "Bundle").put("type", "message").put("entry", new JsonArray()
        .add(new JsonObject().put("fullUrl", "urn:uuid:header").put("resource", header))
        .add(new JsonObject().put("fullUrl", "urn:uuid:history").put("resource", history)));
  }

  /** A history entry: the resource (may be null) and its request. */
  static JsonObject historyEntry(String method, String url, JsonObject resource) {
    JsonObject e = new JsonObject().put("request", new JsonObject().put("method", method).put("url", url));
    if (resource != null) {
      e.put("fullUrl", "http://ohie.org/test/" + url).put("resource", resource);
    }
    return e;
  }

  static HttpResponse<Buffer> feed(String client, JsonObject... entries) {
    return registry.post(client, "/fhir", pmirMessage(entries));
  }

  /** MessageHeader.response.code of a PMIR answer (which must be a message Bundle). */
  static String responseCode(HttpResponse<Buffer> r) {
    JsonObject body = r.bodyAsJsonObject();
    if (!"message".equals(body.getString("type"))) {
      throw new AssertionError("expected a message Bundle, got " + r.bodyAsString());
    }
    JsonObject header = body.getJsonArray("entry").getJsonObject(0).getJsonObject("resource");
    if (!"MessageHeader".equals(header.getString("resourceType"))) {
      throw new AssertionError("the first entry is not a MessageHeader: " + r.bodyAsString());
    }
    return header.getJsonObject("response").getString("code");
  }

  /** The OperationOutcome of a PMIR answer (the MessageHeader's response details). */
  static JsonObject messageOutcome(HttpResponse<Buffer> r) {
    JsonObject outcome = r.bodyAsJsonObject().getJsonArray("entry").getJsonObject(1).getJsonObject("resource");
    if (!"OperationOutcome".equals(outcome.getString("resourceType"))) {
      throw new AssertionError("no OperationOutcome entry: " + r.bodyAsString());
    }
    return outcome;
  }

  /** The Patients a PMIR answer reports written, in message order. */
  static List<JsonObject> fedPatients(HttpResponse<Buffer> r) {
    JsonObject history = r.bodyAsJsonObject().getJsonArray("entry").getJsonObject(2).getJsonObject("resource");
    List<JsonObject> out = new ArrayList<>();
    history.getJsonArray("entry").forEach(e -> out.add(((JsonObject) e).getJsonObject("resource")));
    return out;
  }

  /** The master identity (CRUID) a fed Patient's refer link points to. */
  static String referTo(JsonObject patient) {
    for (Object o : patient.getJsonArray("link", new JsonArray())) {
      JsonObject l = (JsonObject) o;
      if ("refer".equals(l.getString("type"))) {
        return l.getJsonObject("other").getString("reference").substring("Patient/".length());
      }
    }
    throw new AssertionError("no refer link: " + patient.encode());
  }

  /** PDQm as the demographics consumer (point-of-service clients get no demographics). */
  static HttpResponse<Buffer> pdq(String query) {
    return registry.get(VIEWER, "/fhir/Patient?" + query);
  }

  static List<JsonObject> entries(HttpResponse<Buffer> searchset) {
    List<JsonObject> out = new ArrayList<>();
    searchset.bodyAsJsonObject().getJsonArray("entry", new JsonArray())
        .forEach(e -> out.add(((JsonObject) e).getJsonObject("resource")));
    return out;
  }

  /** system|value of every identifier of a resource. */
  static List<String> identifiers(JsonObject resource) {
    List<String> out = new ArrayList<>();
    resource.getJsonArray("identifier", new JsonArray()).forEach(o -> out.add(((JsonObject) o).getString("system")
        + "|" + ((JsonObject) o).getString("value")));
    return out;
  }

  static String cruid(HttpResponse<Buffer> created) {
    return created.getHeader("LocationCRUID").substring("Patient/".length());
  }
}
