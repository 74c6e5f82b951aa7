package org.clientregistry.openhim;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.clientregistry.config.ConfigLoader;

/** OpenHIM core played by WireMock (registration, heartbeats, the config it sends), and requests as core sends them. */
final class CoreStub implements AutoCloseable {
  static final String URN = "urn:mediator:client-registry";
  static final String ROUTE_PASSWORD = "route-secret-0123";
  final WireMockServer server = new WireMockServer(options().dynamicPort());

  CoreStub() {
    server.start();
    answer(null);
  }

  /** Core accepts registrations; every heartbeat gets {@code config} (null: "no change"). */
  CoreStub answer(JsonObject config) {
    server.resetMappings();
    server.stubFor(post("/mediators").willReturn(aResponse().withStatus(201)));
    server.stubFor(post("/mediators/" + URN + "/heartbeat").willReturn(config == null
        ? aResponse().withStatus(200)
        : aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(config.encode())));
    return this;
  }

  /** Core lists {@code channels} on GET /channels and accepts updates of any channel. */
  CoreStub channels(io.vertx.core.json.JsonArray channels) {
    server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/channels").willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json").withBody(channels.encode())));
    server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
            com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/channels/.*"))
        .willReturn(aResponse().withStatus(200).withBody("The channel was successfully updated")));
    return this;
  }

  /** Mediator mode on plain HTTP against this core, beating every second and asking for the config each beat. */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>(Map.of(
        "CR_MEDIATOR_REGISTER", "true",
        "CR_SERVER_TLS", "false",
        "CR_MEDIATOR_CORE_API_URL", "http://127.0.0.1:" + server.port(),
        "CR_MEDIATOR_CORE_PASSWORD", "a-core-password",
        "CR_MEDIATOR_ROUTE_PASSWORD", ROUTE_PASSWORD,
        "CR_MEDIATOR_HEARTBEAT_SECONDS", "1",
        "CR_MEDIATOR_CONFIG_EVERY_BEATS", "1"));
    return env;
  }

  /** mediator.json's default config, as the console starts. */
  static JsonObject defaultConfig() {
    return MediatorDescription.read(ConfigLoader.load(Path.of("config"), Map.of()).mediator()).defaultConfig();
  }

  /** A request as core forwards it: the route's credentials, a transaction id, the client's id. */
  static HttpRequest<Buffer> fromCore(HttpRequest<Buffer> request, String client) {
    String basic = Base64.getEncoder().encodeToString(("client-registry:" + ROUTE_PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    request.putHeader("Authorization", "Basic " + basic).putHeader("X-OpenHIM-TransactionID", "6a1f0c2e9d")
        .putHeader("Content-Type", "application/fhir+json");
    if (client != null) {
      request.putHeader("X-OpenHIM-ClientID", client);
    }
    return request;
  }

  /** Waits (generously: the machine may be loaded) until {@code done}. */
  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 90_000;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within 90 s: " + what);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
