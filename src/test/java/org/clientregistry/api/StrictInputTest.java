package org.clientregistry.api;

import static org.clientregistry.Patients.jane;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.clientregistry.RawHttps;
import org.clientregistry.SharedRegistryTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Input FHIR forbids is refused with a 400 OperationOutcome naming the element, and nothing is stored. */
class StrictInputTest extends SharedRegistryTest {

  @AfterEach
  void stillServing() {
    assertEquals(200, registry.get("openmrs", "/ready").statusCode());
  }

  static HttpResponse<Buffer> post(String path, byte[] body) {
    return registry.client("openmrs").post(path).putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body)).await();
  }

  static HttpResponse<Buffer> post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  static void assertRefused(int status, HttpResponse<Buffer> r, String... diagnosticsParts) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("OperationOutcome", body.getString("resourceType"), r.bodyAsString());
    String diagnostics = body.getJsonArray("issue").getJsonObject(0).getString("diagnostics");
    for (String part : diagnosticsParts) {
      assertTrue(diagnostics.contains(part), diagnostics);
    }
  }

  static void assertNotStored(String id) {
    assertEquals(404, registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("openmrs") + "|"
        + id).statusCode(), "nothing was stored");
  }

  void assertPatientRefused(String id, JsonObject patient, String... diagnosticsParts) {
    assertRefused(400, post("/fhir/Patient", patient.encode()), diagnosticsParts);
    assertNotStored(id);
  }

  @Test
  void birthDateWithATime() {
    assertPatientRefused("s-1", jane("openmrs", "s-1").put("birthDate", "1990-04-12T10:00:00Z"), "Patient.birthDate",
        "FHIR date");
  }

  @Test
  void birthDateWithFullWidthDigits() {
    assertPatientRefused("s-2", jane("openmrs", "s-2").put("birthDate", "\uff11\uff19\uff19\uff10-04-12"),
        "Patient.birthDate");
  }

  @Test
  void genderAsAnArray() {
    assertPatientRefused("s-3", jane("openmrs", "s-3").put("gender", new JsonArray().add("female")), "Patient.gender",
        "single value");
  }

  @Test
  void nulInAName() {
    JsonObject p = jane("openmrs", "s-4");
    p.getJsonArray("name").getJsonObject(0).put("family", "Naka\u0000to");
    assertPatientRefused("s-4", p, "Patient.name[0].family", "control character");
  }

  @Test
  void escapeInAGivenName() {
    JsonObject p = jane("openmrs", "s-5");
    p.getJsonArray("name").getJsonObject(0).put("given", new JsonArray().add("Ja\u001b[31mne"));
    assertPatientRefused("s-5", p, "Patient.name[0].given[0]", "control character");
  }

  @Test
  void singleQuotedJson() {
    assertRefused(400, post("/fhir/Patient", jane("openmrs", "s-6").encode().replace('"', '\'')), "not a valid FHIR");
    assertNotStored("s-6");
  }

  @Test
  void invalidUtf8() {
    byte[] body = jane("openmrs", "s-7").encode().replace("Nakato", "Nak#to").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '#') {
        body[i] = (byte) 0xC3; // a lead byte followed by an ASCII letter: not UTF-8
      }
    }
    assertRefused(400, post("/fhir/Patient", body), "not a valid FHIR", "UTF-8");
    assertNotStored("s-7");
  }

  @Test
  void duplicateKeys() {
    String body = jane("openmrs", "s-8").encode().replace("\"gender\":\"female\"",
        "\"gender\":\"female\",\"gender\":\"male\"");
    assertRefused(400, post("/fhir/Patient", body), "not a valid FHIR");
    assertNotStored("s-8");
  }

  @Test
  void aBadPatientInABundleIsNamedByItsEntry() {
    JsonObject bad = jane("openmrs", "s-9").put("birthDate", "1990-04-12T00:00:00");
    JsonObject bundle = new JsonObject().put("resourceType", "Bundle").put("type", "transaction")
        .put("entry", new JsonArray().add(new JsonObject().put("resource", jane("openmrs", "s-10"))
            .put("request", new JsonObject().put("method", "POST").put("url", "Patient")))
            .add(new JsonObject().put("resource", bad)
                .put("request", new JsonObject().put("method", "POST").put("url", "Patient"))));
    assertRefused(400, post("/fhir", bundle.encode()), "Bundle.entry[1].resource.birthDate");
    assertNotStored("s-9");
    assertNotStored("s-10");
  }

  @Test
  void matchParametersWithoutANameOrWithANullName() {
    JsonObject withoutName = new JsonObject().put("resourceType", "Parameters").put("parameter", new JsonArray()
        .add(new JsonObject().put("resource", jane("openmrs", "s-11"))));
    assertRefused(400, post("/fhir/Patient/$match", withoutName.encode()), "name");
    JsonObject nullName = new JsonObject().put("resourceType", "Parameters").put("parameter", new JsonArray()
        .add(new JsonObject().putNull("name").put("resource", jane("openmrs", "s-12"))));
    HttpResponse<Buffer> r = post("/fhir/Patient/$match", nullName.encode());
    assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.bodyAsString());
    assertEquals("OperationOutcome", r.bodyAsJsonObject().getString("resourceType"));
  }

  @Test
  void aMalformedChunkedBodyIsA400OrAClose() throws Exception {
    String answer = RawHttps.exchange(registry, "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/fhir+json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\nZZ-not-a-size\r\n{}\r\n0\r\n\r\n");
    // When the broken chunk arrives before the request is dispatched, the connection closes with no answer at all;
    // otherwise the answer is a 400 OperationOutcome. Never a 500.
    assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400") && answer.contains("OperationOutcome"), answer);
  }

  @Test
  void headOfHealth() {
    HttpResponse<Buffer> r = registry.client("openmrs").head("/health").send().await();
    assertEquals(200, r.statusCode());
  }
}
