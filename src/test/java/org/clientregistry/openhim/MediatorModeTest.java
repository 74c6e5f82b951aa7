package org.clientregistry.openhim;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.clientregistry.config.LiveSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The registry in mediator mode, on plain HTTP as behind core: only core's route credentials are let in, the
 * client comes from X-OpenHIM-ClientID, every answer is the OpenHIM envelope, log lines carry the transaction id,
 * and config from core (here WireMock) is applied live.
 */
class MediatorModeTest {
  private static final String ROUTE_PASSWORD = CoreStub.ROUTE_PASSWORD;
  private static final String URN = "urn:mediator:client-registry";
  @TempDir static Path dir;
  static WireMockServer core;
  static TestRegistry registry;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    core = new WireMockServer(options().dynamicPort());
    core.start();
    core.stubFor(post("/mediators").willReturn(aResponse().withStatus(201)));
    // The forced beat gets a config that adds the client "emr-kampala"; later beats get "no change".
    JsonObject config = MediatorDescription.read(new TestRegistry(dir).config().mediator()).defaultConfig();
    config.getJsonArray("clients").add(new JsonObject().put("id", "emr-kampala").put("name", "Kampala EMR")
        .put("internalIdSystems", "http://clientregistry.org/emr-kampala").put("roles", "pos"));
    config.put("orchestrationBodies", true);
    config.put("auditLookups", true);
    core.stubFor(post("/mediators/" + URN + "/heartbeat").withRequestBody(matchingJsonPath("$.config"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(config.encode())));
    core.stubFor(post("/mediators/" + URN + "/heartbeat").atPriority(10).willReturn(aResponse().withStatus(200)));
    registry = new TestRegistry(dir, Map.of(
        "CR_MEDIATOR_REGISTER", "true",
        "CR_SERVER_TLS", "false",
        "CR_MEDIATOR_CORE_API_URL", "http://127.0.0.1:" + core.port(),
        "CR_MEDIATOR_CORE_PASSWORD", "a-core-password",
        "CR_MEDIATOR_ROUTE_PASSWORD", ROUTE_PASSWORD,
        "CR_MEDIATOR_HEARTBEAT_SECONDS", "1")).start();
    http = WebClient.create(registry.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(registry.port));
    long deadline = System.currentTimeMillis() + 15_000;
    while (registry.registry().live().client("emr-kampala").isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the config from core was not applied");
      }
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    http.close();
    registry.close();
    core.stop();
  }

  private static HttpRequest<Buffer> fromCore(HttpRequest<Buffer> request, String client) {
    return CoreStub.fromCore(request, client);
  }

  @Test
  void aSubmissionAnswersInTheEnvelopeWithOrchestrationsAndProperties() {
    HttpResponse<Buffer> r = fromCore(http.post("/fhir/Patient"), "emr-kampala")
        .sendBuffer(Patients.patient("emr-kampala", "K-1", "Grace", "Auma", "female", "1985-02-03", null, null)
            .toBuffer()).await();

    assertEquals(201, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json+openhim"));
    JsonObject envelope = r.bodyAsJsonObject();
    assertEquals(URN, envelope.getString("x-mediator-urn"));
    assertEquals("Successful", envelope.getString("status"));
    JsonObject response = envelope.getJsonObject("response");
    assertEquals(201, response.getInteger("status"));
    assertTrue(response.getJsonObject("headers").getString("content-type").startsWith("application/fhir+json"));
    assertNotNull(response.getString("timestamp"));
    JsonObject patient = new JsonObject(response.getString("body"));
    assertEquals("Patient", patient.getString("resourceType"));
    JsonArray orchestrations = envelope.getJsonArray("orchestrations");
    // The store calls made: for a new record in the embedded store, the commit only (the index knows it is new).
    assertTrue(orchestrations.stream().anyMatch(o -> ((JsonObject) o).getString("name").equals("Store: commit")),
        orchestrations.toString());
    for (Object o : orchestrations) {
      JsonObject orchestration = (JsonObject) o;
      assertFalse(orchestration.getString("name").isBlank());
      assertNotNull(orchestration.getJsonObject("request").getString("timestamp"));
      assertNotNull(orchestration.getJsonObject("response").getInteger("status"));
    }
    assertTrue(orchestrations.stream().anyMatch(o -> ((JsonObject) o).getString("name").contains("commit")));
    JsonObject properties = envelope.getJsonObject("properties");
    assertEquals("created", properties.getString("outcome"));
    assertEquals(r.getHeader("LocationCRUID"), null, "headers travel inside the envelope");
    assertEquals(response.getJsonObject("headers").getString("LocationCRUID"),
        "Patient/" + properties.getString("cruid"));
  }

  @Test
  void readyOnceRegisteredAndOperationsRoutesNeedNoEnvelope() {
    HttpResponse<Buffer> ready = http.get("/ready").send().await();
    assertEquals(200, ready.statusCode());
    assertEquals("UP", ready.bodyAsJsonObject().getString("status"));
    assertTrue(http.get("/metrics").send().await().bodyAsString().contains("cr_openhim_registered 1"));
  }

  @Test
  void onlyCoreGetsInAndClientsComeFromTheOpenHimHeader() {
    HttpResponse<Buffer> noAuth = http.get("/fhir/Patient/$ihe-pix").putHeader("X-OpenHIM-ClientID", "openmrs")
        .send().await();
    assertEquals(401, noAuth.statusCode());
    HttpResponse<Buffer> wrongPassword = http.get("/fhir/metadata").putHeader("Authorization", "Basic "
        + Base64.getEncoder().encodeToString("client-registry:guess".getBytes(StandardCharsets.UTF_8))).send().await();
    assertEquals(401, wrongPassword.statusCode());

    HttpResponse<Buffer> noClient = fromCore(http.get("/fhir/Patient/$ihe-pix?sourceIdentifier=a|b"), null)
        .send().await();
    assertEquals(401, noClient.statusCode());
    assertEquals("Failed", noClient.bodyAsJsonObject().getString("status"), "a channel that does not authenticate");

    HttpResponse<Buffer> unknown = fromCore(http.get("/fhir/Patient/$ihe-pix?sourceIdentifier=a|b"), "stranger")
        .send().await();
    assertEquals(403, unknown.statusCode());
    JsonObject envelope = unknown.bodyAsJsonObject();
    assertEquals("Completed", envelope.getString("status"));
    assertEquals(403, envelope.getJsonObject("response").getInteger("status"));
    assertEquals("OperationOutcome", new JsonObject(envelope.getJsonObject("response").getString("body"))
        .getString("resourceType"));
    assertFalse(envelope.containsKey("error"), "client errors are not retried");

    HttpResponse<Buffer> posNotAdmin = fromCore(http.get("/fhir/Patient/abc"), "openmrs").send().await();
    assertEquals(403, posNotAdmin.statusCode());
  }

  @Test
  void everyLogLineOfARequestCarriesItsTransactionId() throws InterruptedException {
    Logger access = (Logger) LoggerFactory.getLogger("access");
    List<String> lines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        // Converted while logging, on the logging thread, as the real appender does.
        lines.add(new TransactionIdConverter().convert(event) + " " + event.getFormattedMessage());
      }
    };
    capture.start();
    Level before = access.getLevel();
    access.setLevel(Level.INFO);
    access.addAppender(capture);
    try {
      HttpResponse<Buffer> r = fromCore(http.get("/fhir/Patient/$ihe-pix?sourceIdentifier="
          + Patients.system("openmrs") + "|nobody"), "openmrs").send().await();
      assertEquals(404, r.statusCode());
      // The access line is written when the response has ended, which may be just after the client has it.
      long deadline = System.currentTimeMillis() + 5_000;
      while (lines.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      access.detachAppender(capture);
      access.setLevel(before);
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("tx=6a1f0c2e9d ") && l.contains("$ihe-pix")), lines.toString());
  }

  @Test
  void lookupsAreAuditedWhenCoreSwitchesItOn() throws Exception {
    assertTrue(registry.registry().live().get().auditLookups());
    String identifier = Patients.system("openmrs") + "|AUDIT-1";
    HttpResponse<Buffer> r = fromCore(http.get("/fhir/Patient/$ihe-pix?sourceIdentifier=" + identifier), "openmrs")
        .send().await();
    assertEquals(404, r.statusCode());
    try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:"
            + registry.dir.resolve("data/registry.db"));
         java.sql.ResultSet rows = db.createStatement().executeQuery(
             "SELECT client_id, outcome, detail FROM audit_event WHERE action = 'pix' AND detail LIKE 'source="
                 + Patients.system("openmrs") + "%'")) {
      assertTrue(rows.next(), "the PIX lookup was not audited");
      assertEquals("openmrs", rows.getString(1));
      assertEquals("refused 404", rows.getString(2));
      assertFalse(rows.getString(3).contains("AUDIT-1"), "no identifier value in the audit");
    }
  }

  @Test
  void configsArrivingDuringARulesRebuildAreAppliedInOrder() {
    ConfigApplier applier = new ConfigApplier(registry.vertx.createSharedWorkerExecutor("test-config-order"),
        registry.registry().matching(), registry.registry().live(), registry.config().matching().rulesFile());
    JsonObject first = MediatorDescription.read(registry.config().mediator()).defaultConfig();
    first.put("thresholds", new JsonArray().add(new JsonObject().put("ruleSet", "demographics")
        .put("autoMatchThreshold", 5).put("potentialMatchThreshold", 3)));
    JsonObject second = first.copy();
    second.getJsonArray("thresholds").getJsonObject(0).put("autoMatchThreshold", 6);
    second.getJsonArray("clients").add(new JsonObject().put("id", "lab-gulu")
        .put("internalIdSystems", "http://clientregistry.org/lab-gulu").put("roles", "pos"));
    JsonObject restore = MediatorDescription.read(registry.config().mediator()).defaultConfig();
    restore.getJsonArray("clients").add(new JsonObject().put("id", "emr-kampala")
        .put("internalIdSystems", "http://clientregistry.org/emr-kampala").put("roles", "pos"));
    restore.put("orchestrationBodies", true).put("auditLookups", true);
    try {
      var a = applier.apply(first);
      var b = applier.apply(second); // while the first rebuild may still run
      a.await();
      b.await();
      assertEquals(6.0, registry.registry().matching().get().rules().ruleSets().get(0).autoThreshold());
      assertTrue(registry.registry().live().client("lab-gulu").isPresent());
    } finally {
      applier.apply(restore).await();
    }
    assertEquals(3.5, registry.registry().matching().get().rules().ruleSets().get(0).autoThreshold(),
        "the shipped rules' threshold again");
  }

  @Test
  void pdqSurvivorshipFromTheConsoleDecidesWhoseDemographicsPdqmShows() {
    ConfigApplier applier = new ConfigApplier(registry.vertx.createSharedWorkerExecutor("test-config-pdq"),
        registry.registry().matching(), registry.registry().live(), registry.config().matching().rulesFile());
    JsonObject restore = MediatorDescription.read(registry.config().mediator()).defaultConfig();
    restore.getJsonArray("clients").add(new JsonObject().put("id", "emr-kampala")
        .put("internalIdSystems", "http://clientregistry.org/emr-kampala").put("roles", "pos"));
    restore.put("orchestrationBodies", true).put("auditLookups", true);
    JsonObject trusted = restore.copy().put("pdqSurvivorship", "trusted-client")
        .put("pdqTrustedClients", "openmrs, lims");
    try {
      applier.apply(trusted).await();
      HttpResponse<Buffer> a = fromCore(http.post("/fhir/Patient"), "openmrs").sendBuffer(Patients.patient("openmrs",
          "SV-1", "Beatrice", "Nakato", "female", "1990-04-02", "0772 111 222", "NIN-SV-1").toBuffer()).await();
      HttpResponse<Buffer> b = fromCore(http.post("/fhir/Patient"), "lims").sendBuffer(Patients.patient("lims",
          "L-SV-1", "Beatrice", "Nakato", "female", "1990-04-02", "0772 999 000", "NIN-SV-1").toBuffer()).await();
      assertEquals(201, b.statusCode(), b.bodyAsString());
      assertEquals(cruid(a), cruid(b), "one person");
      assertEquals("0772 111 222", pdqPhone(), "openmrs is trusted first although lims wrote later");

      // A config without the setting (saved in core before it existed) keeps the rule in force.
      JsonObject older = trusted.copy();
      older.remove("pdqSurvivorship");
      older.remove("pdqTrustedClients");
      applier.apply(older).await();
      assertEquals(List.of("openmrs", "lims"), registry.registry().live().survivorship().trustedClients());

      applier.apply(restore).await();
      assertEquals("0772 999 000", pdqPhone(), "most-recent again: the member updated last");
    } finally {
      applier.apply(restore).await();
    }
  }

  private static String cruid(HttpResponse<Buffer> submitted) {
    return submitted.bodyAsJsonObject().getJsonObject("properties").getString("cruid");
  }

  /** The phone PDQm shows for the person with national id NIN-SV-1. */
  private static String pdqPhone() {
    HttpResponse<Buffer> r = fromCore(http.get("/fhir/Patient?identifier="
        + java.net.URLEncoder.encode("http://clientregistry.org/national-id|NIN-SV-1", StandardCharsets.UTF_8)),
        "admin").send().await();
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray entries = new JsonObject(r.bodyAsJsonObject().getJsonObject("response").getString("body"))
        .getJsonArray("entry");
    List<JsonObject> persons = entries.stream().map(JsonObject.class::cast)
        .filter(e -> "match".equals(e.getJsonObject("search").getString("mode"))).toList();
    assertEquals(1, persons.size(), entries.encode());
    return persons.get(0).getJsonObject("resource").getJsonArray("telecom").getJsonObject(0).getString("value");
  }

  @Test
  void aBadConfigIsRefusedAndTheOldOneStays() {
    LiveSettings.Values before = registry.registry().live().get();
    ConfigApplier applier = new ConfigApplier(registry.vertx.createSharedWorkerExecutor("test-config"),
        registry.registry().matching(), registry.registry().live(), registry.config().matching().rulesFile());
    JsonObject bad = before.clients().isEmpty() ? new JsonObject() : MediatorDescription.read(
        registry.config().mediator()).defaultConfig();
    bad.put("decisionRules", "{\"rules\": [{\"name\": \"x\", \"fields\": {}}]}");
    bad.put("auditLookups", true);

    assertThrows(Exception.class, () -> applier.apply(bad).await());
    assertEquals(before, registry.registry().live().get());

    JsonObject duplicateClients = MediatorDescription.read(registry.config().mediator()).defaultConfig();
    duplicateClients.getJsonArray("clients").add(duplicateClients.getJsonArray("clients").getJsonObject(0).copy());
    Exception e = assertThrows(Exception.class, () -> applier.apply(duplicateClients).await());
    assertTrue(e.getMessage().contains("clients["), e.getMessage());
    assertEquals(before, registry.registry().live().get());

    JsonObject strangerTrusted = MediatorDescription.read(registry.config().mediator()).defaultConfig()
        .put("pdqSurvivorship", "trusted-client").put("pdqTrustedClients", "openmrs,nobody");
    e = assertThrows(Exception.class, () -> applier.apply(strangerTrusted).await());
    assertTrue(e.getMessage().contains("pdqTrustedClients") && e.getMessage().contains("nobody"), e.getMessage());
    JsonObject noTrusted = strangerTrusted.copy().put("pdqTrustedClients", "");
    e = assertThrows(Exception.class, () -> applier.apply(noTrusted).await());
    assertTrue(e.getMessage().contains("pdqSurvivorship") && e.getMessage().contains("needs the trusted clients")
        && !e.getMessage().contains("pdq."), "named as the console names it: " + e.getMessage());
    assertEquals(before, registry.registry().live().get());
  }
}
