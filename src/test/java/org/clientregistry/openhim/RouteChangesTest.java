package org.clientregistry.openhim;

import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route password or endpoint changed on the registry's side reaches core: the installed channel's route is
 * updated through core's API (core ignores a registration at the same version). A request core sends with a
 * password the registry no longer accepts is answered 401 with the envelope status Failed.
 */
class RouteChangesTest {
  @TempDir static Path dir;
  static CoreStub core;
  static TestRegistry registry;
  static WebClient http;

  /** As installed from an earlier registration: the old host and password; and someone else's channel. */
  private static JsonArray installed(String host, int port, String password) {
    return new JsonArray()
        .add(new JsonObject().put("_id", "5f1c0ffee").put("name", "Client Registry FHIR").put("routes",
            new JsonArray()
                .add(new JsonObject().put("name", "Client Registry").put("host", host).put("port", port)
                    .put("secured", false).put("username", "client-registry").put("password", password)
                    .put("primary", true))
                .add(new JsonObject().put("name", "Audit copy").put("host", "audit.internal").put("port", 9000)
                    .put("primary", false))))
        .add(new JsonObject().put("_id", "0ther").put("name", "Lab results").put("routes", new JsonArray()
            .add(new JsonObject().put("name", "Client Registry").put("host", "lab.internal").put("port", 8080)
                .put("primary", true))));
  }

  @BeforeAll
  static void start() throws Exception {
    core = new CoreStub();
    core.channels(installed("old-host.internal", 3000, "old-route-password"));
    java.util.Map<String, String> env = core.env();
    env.put("CR_MEDIATOR_ENDPOINT_HOST", "registry.internal");
    registry = new TestRegistry(dir, env).start();
    http = WebClient.create(registry.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(registry.port));
  }

  @AfterAll
  static void stop() {
    http.close();
    registry.close();
    core.close();
  }

  @Test
  void theInstalledChannelsRouteGetsTheNewPasswordAndEndpoint() throws Exception {
    CoreStub.await(() -> !core.server.findAll(putRequestedFor(urlEqualTo("/channels/5f1c0ffee"))).isEmpty(),
        "the channel update");
    LoggedRequest update = core.server.findAll(putRequestedFor(urlEqualTo("/channels/5f1c0ffee"))).get(0);
    JsonArray routes = new JsonObject(update.getBodyAsString()).getJsonArray("routes");
    JsonObject route = routes.getJsonObject(0);
    assertEquals("registry.internal", route.getString("host"));
    assertEquals(registry.port, route.getInteger("port"));
    assertEquals(CoreStub.ROUTE_PASSWORD, route.getString("password"));
    assertEquals(true, route.getBoolean("primary"), "fields the registry does not decide stay");
    assertEquals(installed("", 0, "").getJsonObject(0).getJsonArray("routes").getJsonObject(1), routes.getJsonObject(1),
        "another route of the channel is left alone");
    assertEquals(List.of(), core.server.findAll(putRequestedFor(urlEqualTo("/channels/0ther"))),
        "another channel is left alone");
  }

  @Test
  void aChannelInStepIsNotUpdated() {
    CoreStub other = new CoreStub();
    try {
      other.channels(installed("registry.internal", registry.port, CoreStub.ROUTE_PASSWORD));
      var config = org.clientregistry.config.ConfigLoader.load(Path.of("config"), withCore(other));
      CoreApi api = new CoreApi(registry.vertx, config.mediator().core());
      int updated = new ChannelSync(api, MediatorDescription.read(config.mediator()).forRegistration(config))
          .sync().await();
      assertEquals(0, updated);
      assertEquals(List.of(), other.server.findAll(putRequestedFor(urlEqualTo("/channels/5f1c0ffee"))));
      api.close();
    } finally {
      other.close();
    }
  }

  private static java.util.Map<String, String> withCore(CoreStub other) {
    java.util.Map<String, String> env = new java.util.HashMap<>(registry.env());
    env.putAll(other.env());
    env.put("CR_MEDIATOR_ENDPOINT_HOST", "registry.internal");
    return env;
  }

  @Test
  void aRequestWithAnOldRoutePasswordIsAFailedTransaction() {
    HttpResponse<Buffer> r = http.get("/fhir/Patient/$ihe-pix").putHeader("X-OpenHIM-ClientID", "openmrs")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            "client-registry:old-route-password".getBytes(StandardCharsets.UTF_8))).send().await();
    assertEquals(401, r.statusCode());
    JsonObject envelope = r.bodyAsJsonObject();
    assertEquals("Failed", envelope.getString("status"), "core shows it among failed transactions");
    assertEquals(401, envelope.getJsonObject("response").getInteger("status"));
    assertFalse(envelope.getJsonObject("response").getString("body").contains("old-route-password"));
  }
}
