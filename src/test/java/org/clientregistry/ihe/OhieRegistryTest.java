package org.clientregistry.ihe;

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

  @TempDir
  protected static Path dir;
  protected static TestRegistry registry;

  @BeforeAll
  static void startRegistry(TestInfo test) {
    Map<String, String> env = new HashMap<>(OnFhirServer.env(test.getTestClass().orElseThrow()));
    env.put("CR_CLIENTS_FILE", Path.of("src/test/resources/ohie/clients.json").toAbsolutePath().toString());
    registry = new TestRegistry(dir, env).start();
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
    return new JsonObject().put("resourceType", "Patient").put("active", true).put("identifier", ids)
        .put("name", new JsonArray().add(new JsonObject().put("use", "official").put("family", family)
            .put("given", new JsonArray().add(given))))
        .put("gender", gender).put("birthDate", birthDate);
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
  static List<String> values(JsonObject parameters, String name) {
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

  static String cruid(HttpResponse<Buffer> created) {
    return created.getHeader("LocationCRUID").substring("Patient/".length());
  }
}
