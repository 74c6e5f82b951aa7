package org.clientregistry.store.fhirserver;

import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FHIR server that closes pooled keep-alive connections under the registry: a small proxy in front of the
 * in-process HAPI server passes every request on, but drops the connection instead of answering every
 * {@value #EVERY}th (the request did reach HAPI, as when Tomcat closes a connection after its 100th request). Reads
 * are sent again; an unanswered transaction is checked and found written. No 503, no 500, nothing doubled.
 */
class ClosedConnectionsTest {
  private static final int EVERY = 4;
  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static HttpServer proxy;
  private static TestRegistry registry;
  private static final AtomicInteger requests = new AtomicInteger();
  private static final AtomicInteger dropped = new AtomicInteger();

  @BeforeAll
  static void start() {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    vertx = Vertx.vertx();
    HttpClient toHapi = vertx.createHttpClient();
    proxy = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
          .setPort(hapi.port()).setURI(req.uri());
      req.headers().forEach((name, value) -> {
        if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
          options.addHeader(name, value);
        }
      });
      boolean drop = requests.incrementAndGet() % EVERY == 0;
      toHapi.request(options).compose(out -> out.send(body)).compose(in -> in.body().map(b -> {
        if (drop) {
          dropped.incrementAndGet();
          req.connection().close(); // handled by HAPI, never answered
          return null;
        }
        req.response().setStatusCode(in.statusCode());
        in.headers().forEach((name, value) -> {
          if (!name.equalsIgnoreCase("Transfer-Encoding") && !name.equalsIgnoreCase("Content-Length")
              && !name.equalsIgnoreCase("Connection")) {
            req.response().putHeader(name, value);
          }
        });
        req.response().end(b);
        return null;
      })).onFailure(e -> req.connection().close());
    })).listen(0, "127.0.0.1").await();
    Map<String, String> env = new HashMap<>(hapi.registryEnv());
    env.put("CR_STORE_FHIR_SERVER_BASE_URL", "http://127.0.0.1:" + proxy.actualPort() + "/fhir");
    env.put("CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "60000");
    registry = new TestRegistry(dir, env).start();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    vertx.close().await();
  }

  @Test
  void closedConnectionsAreNeitherErrorsNorDoubledWrites() {
    int before = dropped.get();
    for (int n = 0; n < 12; n++) {
      var record = patient("openmrs", "cc-" + n, "Given" + (char) ('a' + n), "Closed" + n, "female",
          "1980-01-1" + (n % 10), null, null);
      HttpResponse<Buffer> created = registry.post("openmrs", "/fhir/Patient", record);
      assertEquals(201, created.statusCode(), created.bodyAsString());
      HttpResponse<Buffer> pix = registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier="
          + system("openmrs") + "|cc-" + n);
      assertEquals(200, pix.statusCode(), pix.bodyAsString());
      HttpResponse<Buffer> again = registry.post("openmrs", "/fhir/Patient", record);
      assertEquals(200, again.statusCode(), again.bodyAsString());
      assertEquals(created.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));
    }
    assertTrue(dropped.get() - before >= 6, "connections were dropped under the registry: " + dropped.get());
    HttpResponse<Buffer> ready = registry.get("admin", "/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
  }
}
