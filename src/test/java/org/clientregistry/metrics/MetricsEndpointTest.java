package org.clientregistry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.clientregistry.Registry;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a registry whose Vert.x reports metrics, as {@code serve} makes it: the names. */
class MetricsEndpointTest {
  @TempDir Path dir;

  @Test
  void metricsNameTheRegistrysHttpJvmAndProcessMeters() {
    Vertx vertx = VertxMeters.newVertx(new VertxOptions());
    try (TestRegistry test = new TestRegistry(dir)) {
      Registry registry = Registry.start(vertx, test.config()).await();
      try {
        JsonObject patient = new JsonObject().put("resourceType", "Patient")
            .put("identifier", new JsonArray().add(new JsonObject().put("system", "http://clientregistry.org/openmrs")
                .put("value", "OM-METRICS-1")))
            .put("name", new JsonArray().add(new JsonObject().put("family", "Zzyzx").put("given",
                new JsonArray().add("Quentin"))))
            .put("gender", "male").put("birthDate", "1970-01-01");
        assertEquals(201, test.post("openmrs", "/fhir/Patient", patient).statusCode());
        var answer = test.get("openmrs", "/metrics");
        assertEquals(200, answer.statusCode());
        assertTrue(answer.getHeader("Content-Type").startsWith("text/plain"));
        String text = answer.bodyAsString();
        for (String name : List.of(
            // the registry's own (names kept from the hand-written exposition)
            "cr_http_requests_total{method=\"POST\",route=\"/fhir/Patient\",status=\"201\"}",
            "cr_http_request_seconds_bucket{method=\"POST\",route=\"/fhir/Patient\",status=\"201\",le=\"0.005\"}",
            "cr_http_request_seconds_count{", "cr_http_request_seconds_sum{",
            "cr_submissions_total{outcome=\"created\"}", "cr_index_records ", "cr_index_from_snapshot ",
            "cr_candidate_lookups_total ", "cr_candidates_total ", "cr_candidates_per_lookup ",
            "cr_candidate_lookups_capped_total ", "cr_rule_set_candidates_total{rule_set=\"demographics\"}",
            "cr_review_items_open ", "cr_config_refused_total{source=\"rules_file\"}", "cr_jvm_heap_used_bytes ",
            // JVM and process
            "jvm_memory_used_bytes{", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
            "process_cpu_usage ", "process_uptime_seconds ", "system_cpu_count ",
            // Vert.x's HTTP server, with a latency histogram, by route pattern
            "vertx_http_server_requests_total{", "vertx_http_server_response_time_seconds_bucket{")) {
          assertTrue(text.contains(name), name + " in\n" + text);
        }
        // Vert.x names the chain of routes that handled the request; the last is the resource's pattern
        assertTrue(text.matches("(?s).*vertx_http_server_requests_total\\{[^}]*route=\"[^\"]*/fhir/Patient\".*"),
            text);
        assertFalse(text.contains("OM-METRICS-1") || text.contains("Zzyzx"), "no identifiers or names");
      } finally {
        registry.stop().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
