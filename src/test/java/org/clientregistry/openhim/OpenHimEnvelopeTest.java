package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clientregistry.api.FhirResponse;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.store.StoreUnavailableException;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The envelope's fields, status values, error, and what it keeps of recorded calls. */
class OpenHimEnvelopeTest {
  private final AtomicBoolean bodies = new AtomicBoolean(false);
  private final OpenHimEnvelope envelope = new OpenHimEnvelope("urn:mediator:client-registry", bodies::get);
  private final UpstreamCall call = new UpstreamCall("FHIR transaction",
      new UpstreamCall.Request("fhir.internal", 8080, "POST", "/fhir", null,
          Map.of("Authorization", "Basic c2VjcmV0", "Content-Type", "application/fhir+json"),
          "{\"resourceType\":\"Bundle\",\"name\":\"Grace\"}", Instant.parse("2026-11-23T10:00:00Z")),
      new UpstreamCall.Response(200, Map.of("Content-Type", "application/fhir+json"), "{\"resourceType\":\"Bundle\"}",
          Instant.parse("2026-11-23T10:00:01Z")));

  @Test
  void statusFollowsTheAnswer() {
    assertEquals("Successful", OpenHimEnvelope.status(FhirResponse.of(201, new Patient())));
    assertEquals("Completed with error(s)", OpenHimEnvelope.status(FhirResponse.of(200, null)
        .property("failedEntries", "2")));
    assertEquals("Completed", OpenHimEnvelope.status(FhirResponse.of(404, null)));
    assertEquals("Failed", OpenHimEnvelope.status(FhirResponse.of(503, null)));
  }

  @Test
  void serverFailuresCarryAnErrorForAutoRetryAndClientErrorsDoNot() {
    JsonObject failed = envelope.envelope(FhirResponse.of(503, null), "{}", List.of(),
        new StoreUnavailableException("down", null));
    assertEquals("Failed", failed.getString("status"));
    assertTrue(failed.getJsonObject("error").getString("message").contains("503"));
    assertFalse(failed.getJsonObject("error").getString("stack").contains("down"));
    JsonObject rejected = envelope.envelope(FhirResponse.of(400, null), "{}", List.of(), null);
    assertFalse(rejected.containsKey("error"));
  }

  @Test
  void orchestrationsMaskSecretsAndKeepBodiesOnlyWhenSwitchedOn() {
    JsonObject e = envelope.envelope(FhirResponse.of(200, null).property("cruid", "g1"), null, List.of(call), null);
    assertEquals("urn:mediator:client-registry", e.getString("x-mediator-urn"));
    assertEquals("", e.getJsonObject("response").getString("body"));
    assertTrue(e.getJsonObject("response").getJsonObject("headers").containsKey("content-type"));
    assertEquals("g1", e.getJsonObject("properties").getString("cruid"));
    JsonObject o = e.getJsonArray("orchestrations").getJsonObject(0);
    assertEquals("FHIR transaction", o.getString("name"));
    assertEquals("8080", o.getJsonObject("request").getString("port"));
    assertEquals("2026-11-23T10:00:00Z", o.getJsonObject("request").getString("timestamp"));
    assertEquals("***", o.getJsonObject("request").getJsonObject("headers").getString("Authorization"));
    assertFalse(o.getJsonObject("request").containsKey("body"), "demographics stay out by default");
    assertFalse(o.getJsonObject("response").containsKey("body"));

    bodies.set(true);
    JsonObject shown = envelope.envelope(FhirResponse.of(200, null), null, List.of(call), null)
        .getJsonArray("orchestrations").getJsonObject(0);
    assertTrue(shown.getJsonObject("request").getString("body").contains("Grace"));
    assertEquals("***", shown.getJsonObject("request").getJsonObject("headers").getString("Authorization"));
  }
}
