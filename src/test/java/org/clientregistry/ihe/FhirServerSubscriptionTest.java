package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.clientregistry.OnFhirServer;
import org.junit.jupiter.api.Test;

/** The FHIR-server store keeps no ordered change feed of golden records: subscriptions are refused, 501. */
class FhirServerSubscriptionTest extends OhieRegistryTest implements OnFhirServer {
  @Test
  void subscriptionsAreNotSupportedOnThisStore() {
    HttpResponse<Buffer> created = registry.post(SubscriptionTest.SUBSCRIBER, "/fhir/Subscription",
        new io.vertx.core.json.JsonObject().put("resourceType", "Subscription").put("status", "requested")
            .put("reason", "r").put("criteria", "Patient").put("channel", new io.vertx.core.json.JsonObject()
                .put("type", "rest-hook").put("endpoint", "https://his.example.org/hook")));
    assertEquals(501, created.statusCode(), created.bodyAsString());
    assertEquals("not-supported", issue(created).getString("code"));
    assertEquals(501, registry.get(SubscriptionTest.SUBSCRIBER, "/fhir/Subscription").statusCode());
  }
}
