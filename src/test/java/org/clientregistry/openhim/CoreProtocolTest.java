package org.clientregistry.openhim;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.codec.digest.DigestUtils;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our side of the OpenHIM core API protocol, with WireMock standing in for core: the exact requests we send. */
class CoreProtocolTest {
  private static final String URN = "urn:mediator:client-registry";
  private static final String PASSWORD = "a-core-password";
  private WireMockServer core;
  private Vertx vertx;

  @BeforeEach
  void start() {
    core = new WireMockServer(options().dynamicPort());
    core.start();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    core.stop();
  }

  private RegistryConfig config(String auth, int timeoutSeconds) {
    Map<String, String> env = new HashMap<>();
    env.put("CR_MEDIATOR_REGISTER", "true");
    env.put("CR_MEDIATOR_CORE_API_URL", "http://127.0.0.1:" + core.port());
    env.put("CR_MEDIATOR_CORE_USERNAME", "mediators@example.org");
    env.put("CR_MEDIATOR_CORE_PASSWORD", PASSWORD);
    env.put("CR_MEDIATOR_CORE_AUTH", auth);
    env.put("CR_MEDIATOR_CORE_TIMEOUT_SECONDS", Integer.toString(timeoutSeconds));
    env.put("CR_MEDIATOR_ROUTE_PASSWORD", "route-secret-0123");
    env.put("CR_MEDIATOR_ENDPOINT_HOST", "registry.internal");
    env.put("CR_SERVER_PORT", "5001");
    return ConfigLoader.load(Path.of("config"), env);
  }

  private CoreApi api(RegistryConfig config) {
    return new CoreApi(vertx, config.mediator().core());
  }

  @Test
  void registersWithBasicAuthAndTheCompleteDescription() {
    core.stubFor(post("/mediators").willReturn(aResponse().withStatus(201).withBody("Mediator registered")));
    RegistryConfig config = config("basic", 5);
    JsonObject body = MediatorDescription.read(config.mediator()).forRegistration(config);

    api(config).register(body).await();

    List<LoggedRequest> sent = core.findAll(postRequestedFor(urlEqualTo("/mediators")));
    assertEquals(1, sent.size());
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        ("mediators@example.org:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, sent.get(0).getHeader("Authorization"));
    assertTrue(sent.get(0).getHeader("Content-Type").startsWith("application/json"));
    JsonObject posted = new JsonObject(sent.get(0).getBodyAsString());
    assertEquals(URN, posted.getString("urn"));
    assertTrue(posted.getString("version").matches("\\d+\\.\\d+\\.\\d+"));
    JsonObject route = posted.getJsonArray("defaultChannelConfig").getJsonObject(0).getJsonArray("routes")
        .getJsonObject(0);
    assertEquals("registry.internal", route.getString("host"));
    assertEquals("5001", route.getString("port"));
    assertEquals("route-secret-0123", route.getString("password"));
    assertEquals("^/(fhir|review|links)(/.*)?$",
        posted.getJsonArray("defaultChannelConfig").getJsonObject(0).getString("urlPattern"));
    // Every config key has a definition, and the default config is complete.
    List<String> defs = posted.getJsonArray("configDefs").stream()
        .map(d -> ((JsonObject) d).getString("param")).toList();
    assertEquals(List.copyOf(posted.getJsonObject("config").fieldNames()).stream().sorted().toList(),
        defs.stream().sorted().toList());
  }

  @Test
  void tokenSchemeFetchesTheSaltOnceAndSignsEachRequest() {
    core.stubFor(get("/authenticate/mediators@example.org").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"salt\":\"s4lt\",\"ts\":\"2026-11-23T00:00:00.000Z\"}")));
    core.stubFor(post("/mediators").willReturn(aResponse().withStatus(201)));
    RegistryConfig config = config("token", 5);
    CoreApi api = api(config);
    JsonObject body = MediatorDescription.read(config.mediator()).forRegistration(config);

    api.register(body).await();
    api.register(body).await();

    assertEquals(1, core.findAll(getRequestedFor(urlEqualTo("/authenticate/mediators@example.org"))).size());
    String passwordHash = DigestUtils.sha512Hex("s4lt" + PASSWORD);
    for (LoggedRequest r : core.findAll(postRequestedFor(urlEqualTo("/mediators")))) {
      assertEquals("mediators@example.org", r.getHeader("auth-username"));
      assertNull(r.getHeader("Authorization"));
      String expected = DigestUtils.sha512Hex(passwordHash + r.getHeader("auth-salt") + r.getHeader("auth-ts"));
      assertEquals(expected, r.getHeader("auth-token"));
    }
  }

  @Test
  void heartbeatAsksForConfigWhenForcedAndReadsIt() {
    core.stubFor(post("/mediators/" + URN + "/heartbeat").withRequestBody(matchingJsonPath("$.config"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"auditLookups\":true}")));
    core.stubFor(post("/mediators/" + URN + "/heartbeat").atPriority(10)
        .willReturn(aResponse().withStatus(200).withBody("")));
    CoreApi api = api(config("basic", 5));

    JsonObject forced = api.heartbeat(URN, 12, true).await();
    JsonObject unforced = api.heartbeat(URN, 13, false).await();

    assertEquals(true, forced.getBoolean("auditLookups"));
    assertNull(unforced, "an empty body means no change");
    List<LoggedRequest> beats = core.findAll(postRequestedFor(urlEqualTo("/mediators/" + URN + "/heartbeat")));
    assertEquals(new JsonObject().put("uptime", 12).put("config", true), new JsonObject(beats.get(0).getBodyAsString()));
    assertEquals(new JsonObject().put("uptime", 13), new JsonObject(beats.get(1).getBodyAsString()));
  }

  @Test
  void aTimeoutOrAnErrorFailsTheCallWithoutHanging() {
    core.stubFor(post("/mediators").willReturn(aResponse().withStatus(201).withFixedDelay(3_000)));
    core.stubFor(post("/mediators/" + URN + "/heartbeat").willReturn(aResponse().withStatus(500)));
    RegistryConfig config = config("basic", 1);
    CoreApi api = api(config);
    JsonObject body = MediatorDescription.read(config.mediator()).forRegistration(config);

    CoreException timeout = assertThrows(CoreException.class, () -> api.register(body).await());
    assertEquals(0, timeout.status());
    CoreException error = assertThrows(CoreException.class, () -> api.heartbeat(URN, 1, false).await());
    assertEquals(500, error.status());
  }

  @Test
  void linkRetriesRegistrationBeatsWithConfigAndRegistersAgainAfter404() throws Exception {
    // core is down (500) twice, then registers; the first beat after each registration asks for config.
    core.stubFor(post("/mediators").inScenario("reg").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(500)).willSetStateTo("failed once"));
    core.stubFor(post("/mediators").inScenario("reg").whenScenarioStateIs("failed once")
        .willReturn(aResponse().withStatus(401)).willSetStateTo("up"));
    core.stubFor(post("/mediators").inScenario("reg").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(201)));
    core.stubFor(post("/mediators/" + URN + "/heartbeat").inScenario("beat").whenScenarioStateIs(Scenario.STARTED)
        .withRequestBody(equalToJson("{\"uptime\":\"${json-unit.any-number}\",\"config\":true}"))
        .willReturn(aResponse().withStatus(200).withBody("{\"orchestrationBodies\":true}"))
        .willSetStateTo("configured"));
    core.stubFor(post("/mediators/" + URN + "/heartbeat").inScenario("beat").whenScenarioStateIs("configured")
        .willReturn(aResponse().withStatus(404)).willSetStateTo("deleted"));
    core.stubFor(post("/mediators/" + URN + "/heartbeat").inScenario("beat").whenScenarioStateIs("deleted")
        .willReturn(aResponse().withStatus(200).withBody("")));
    RegistryConfig config = config("basic", 2);
    List<JsonObject> configs = new CopyOnWriteArrayList<>();
    MediatorLink link = new MediatorLink(vertx, api(config),
        MediatorDescription.read(config.mediator()).forRegistration(config), 100, 1000, c -> {
          configs.add(c);
          return Future.succeededFuture();
        });

    link.start(); // backoff 1 s, then 2 s: registered after about 3 s
    waitFor(() -> core.findAll(postRequestedFor(urlEqualTo("/mediators"))).size() >= 4, 15_000);
    waitFor(() -> core.findAll(postRequestedFor(urlEqualTo("/mediators/" + URN + "/heartbeat"))).size() >= 5,
        10_000);
    link.stop();
    int beatsAtStop = core.findAll(postRequestedFor(urlEqualTo("/mediators/" + URN + "/heartbeat"))).size();

    assertTrue(link.registered());
    assertEquals(List.of(new JsonObject().put("orchestrationBodies", true)), configs);
    // register: 500, 401, 201, then again after the 404 → 4 posts
    assertEquals(4, core.findAll(postRequestedFor(urlEqualTo("/mediators"))).size());
    List<LoggedRequest> beats = core.findAll(postRequestedFor(urlEqualTo("/mediators/" + URN + "/heartbeat")));
    assertTrue(new JsonObject(beats.get(0).getBodyAsString()).getBoolean("config", false));
    assertFalse(new JsonObject(beats.get(1).getBodyAsString()).containsKey("config"), "only the first beat forces");
    assertTrue(new JsonObject(beats.get(2).getBodyAsString()).getBoolean("config", false),
        "the first beat after re-registering forces the config again");
    Thread.sleep(400);
    assertEquals(beatsAtStop, core.findAll(postRequestedFor(urlEqualTo("/mediators/" + URN + "/heartbeat"))).size(),
        "no beats after stop");
    assertEquals(0, core.findAll(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
        com.github.tomakehurst.wiremock.client.WireMock.anyUrl())).size(), "never deregisters");
  }

  @Test
  void everyNthBeatAsksForTheConfigAgain() throws Exception {
    core.stubFor(post("/mediators").willReturn(aResponse().withStatus(201)));
    core.stubFor(post("/mediators/" + URN + "/heartbeat").willReturn(aResponse().withStatus(200).withBody("")));
    RegistryConfig config = config("basic", 2);
    MediatorLink link = new MediatorLink(vertx, api(config),
        MediatorDescription.read(config.mediator()).forRegistration(config), 50, 3, c -> Future.succeededFuture());
    link.start();
    waitFor(() -> core.findAll(postRequestedFor(urlEqualTo("/mediators/" + URN + "/heartbeat"))).size() >= 8,
        10_000);
    link.stop();
    List<LoggedRequest> beats = core.findAll(postRequestedFor(urlEqualTo("/mediators/" + URN + "/heartbeat")));
    for (int i = 0; i < 8; i++) {
      JsonObject beat = new JsonObject(beats.get(i).getBodyAsString());
      assertTrue(beat.containsKey("uptime"), beat.encode());
      // beats 0, 3, 6 ask: the first after registering, then every third
      assertEquals(i % 3 == 0, beat.getBoolean("config", false), "beat " + i + ": " + beat.encode());
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(50);
    }
  }

  @Test
  void coresCertificateIsTrustedFromAPemFileAndNoOtherIs(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // core's API certificate: the development CA's server certificate (SAN 127.0.0.1), served by WireMock
    org.clientregistry.security.DevCertificateAuthority.ensure(dir, List.of());
    org.clientregistry.security.DevCertificateAuthority.createCa(dir.resolve("other"), "Some other CA");
    Path keystore = dir.resolve("core.p12");
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    String keyPem = java.nio.file.Files.readString(dir.resolve("server.key")).replaceAll("-----[A-Z ]+-----|\\s", "");
    java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC").generatePrivate(
        new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(keyPem)));
    java.security.cert.Certificate cert;
    try (var in = java.nio.file.Files.newInputStream(dir.resolve("server.crt"))) {
      cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    ks.setKeyEntry("core", key, "changeit".toCharArray(), new java.security.cert.Certificate[] {cert});
    try (var out = java.nio.file.Files.newOutputStream(keystore)) {
      ks.store(out, "changeit".toCharArray());
    }
    WireMockServer https = new WireMockServer(options().dynamicPort().dynamicHttpsPort()
        .keystorePath(keystore.toString()).keystorePassword("changeit").keyManagerPassword("changeit")
        .keystoreType("PKCS12"));
    https.start();
    try {
      https.stubFor(post("/mediators").willReturn(aResponse().withStatus(201)));
      Map<String, String> env = new HashMap<>();
      env.put("CR_MEDIATOR_CORE_API_URL", "https://127.0.0.1:" + https.httpsPort());
      env.put("CR_TLS_CERTIFICATES_DIR", dir.toString());
      env.put("CR_MEDIATOR_CORE_TRUST_CERTIFICATE", "ca.crt");
      RegistryConfig trusting = ConfigLoader.load(Path.of("config"), env);
      new CoreApi(vertx, trusting.mediator().core()).register(new JsonObject().put("urn", URN)).await();
      assertEquals(1, https.findAll(postRequestedFor(urlEqualTo("/mediators"))).size());

      env.put("CR_MEDIATOR_CORE_TRUST_CERTIFICATE", "other/ca.crt");
      RegistryConfig wrong = ConfigLoader.load(Path.of("config"), env);
      CoreException refused = assertThrows(CoreException.class,
          () -> new CoreApi(vertx, wrong.mediator().core()).register(new JsonObject().put("urn", URN)).await());
      assertEquals(0, refused.status(), "an untrusted certificate is a failed connection, not an answer");
      assertEquals(1, https.findAll(postRequestedFor(urlEqualTo("/mediators"))).size());
    } finally {
      https.stop();
    }
  }

  @Test
  void autoFallsBackToTokensWhenCoreRefusesBasic() throws Exception {
    core.stubFor(post("/mediators").withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock
        .matching("Basic .*")).willReturn(aResponse().withStatus(401)));
    core.stubFor(post("/mediators").withHeader("auth-token", com.github.tomakehurst.wiremock.client.WireMock
        .matching("[0-9a-f]{128}")).willReturn(aResponse().withStatus(201)));
    core.stubFor(get("/authenticate/mediators@example.org").willReturn(aResponse().withStatus(200)
        .withBody("{\"salt\":\"s4lt\",\"ts\":\"2026-11-23T00:00:00.000Z\"}")));
    RegistryConfig config = config("auto", 5);
    CoreApi api = api(config);
    JsonObject body = new JsonObject().put("urn", URN);

    assertThrows(CoreException.class, () -> api.register(body).await());
    waitFor(() -> !core.findAll(getRequestedFor(urlEqualTo("/authenticate/mediators@example.org"))).isEmpty(),
        5_000);
    Thread.sleep(200); // the probe's answer switches the scheme
    api.register(body).await();
    List<LoggedRequest> sent = core.findAll(postRequestedFor(urlEqualTo("/mediators")));
    assertEquals(2, sent.size());
    assertTrue(sent.get(0).containsHeader("Authorization"));
    assertTrue(sent.get(1).containsHeader("auth-token"));
  }
}
