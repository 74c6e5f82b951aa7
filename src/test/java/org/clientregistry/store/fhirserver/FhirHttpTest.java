package org.clientregistry.store.fhirserver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The FHIR client wrapper: credentials sent, every exchange recorded with the Authorization header redacted. */
class FhirHttpTest {
  private final Vertx vertx = Vertx.vertx();
  private WireMockServer wiremock;

  @BeforeEach
  void start() {
    wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wiremock.start();
  }

  @AfterEach
  void stop() {
    wiremock.stop();
    vertx.close().await();
  }

  /** Timeouts far above any answer's time on a loaded machine: no test here waits for one to expire. */
  private static final int TIMEOUT_MS = 60_000;

  private RegistryConfig.FhirServer config(String user, String password, String bearer) {
    return new RegistryConfig.FhirServer("http://127.0.0.1:" + wiremock.port() + "/fhir", user, password, bearer,
        TIMEOUT_MS, TIMEOUT_MS, "", 0, 100, 3, 2);
  }

  @Test
  void basicCredentialsAreSentAndRedactedInTheRecord() {
    wiremock.stubFor(get(urlPathEqualTo("/fhir/Patient")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/fhir+json").withBody("{\"resourceType\":\"Bundle\"}")));
    CallLog.Recorder log = CallLog.recorder();
    FhirHttp http = new FhirHttp(vertx, config("cr", "s3cret", ""));
    FhirHttp.Reply reply = http.send("FHIR: search", HttpMethod.GET, "/Patient?identifier=a%7Cb",
        Map.of("Cache-Control", "no-cache"), null, log).await();
    assertEquals(200, reply.status());
    wiremock.verify(getRequestedFor(urlPathEqualTo("/fhir/Patient"))
        .withHeader("Authorization", equalTo("Basic Y3I6czNjcmV0")).withHeader("Cache-Control", equalTo("no-cache")));
    UpstreamCall call = log.calls().get(0);
    assertEquals("FHIR: search", call.name());
    assertEquals("GET", call.request().method());
    assertEquals("/fhir/Patient", call.request().path());
    assertEquals("identifier=a%7Cb", call.request().query());
    assertEquals(wiremock.port(), call.request().port());
    assertEquals("[redacted]", call.request().headers().entrySet().stream()
        .filter(h -> h.getKey().equalsIgnoreCase("Authorization")).findFirst().orElseThrow().getValue());
    assertFalse(call.request().headers().toString().contains("Y3I6czNjcmV0"));
    assertEquals(200, call.response().status());
    assertEquals("{\"resourceType\":\"Bundle\"}", call.response().body());
  }

  @Test
  void aBearerTokenIsSent() {
    wiremock.stubFor(get(urlPathEqualTo("/fhir/metadata")).willReturn(aResponse().withStatus(200).withBody("{}")));
    new FhirHttp(vertx, config("", "", "tok-1")).send("FHIR: metadata", HttpMethod.GET, "/metadata", Map.of(), null,
        CallLog.NONE).await();
    wiremock.verify(getRequestedFor(urlPathEqualTo("/fhir/metadata"))
        .withHeader("Authorization", equalTo("Bearer tok-1")));
  }

  @Test
  void noAnswerIsUnavailableAndRecordedWithStatusZero() {
    CallLog.Recorder log = CallLog.recorder();
    RegistryConfig.FhirServer down = config("", "", "");
    wiremock.stop();
    Throwable e = assertThrows(RuntimeException.class, () -> new FhirHttp(vertx, down).send("FHIR: read",
        HttpMethod.GET, "/Patient/x", Map.of(), null, log).await());
    assertInstanceOf(StoreUnavailableException.class, e);
    assertEquals(3, ((StoreUnavailableException) e).retryAfterSeconds());
    assertEquals(0, log.calls().get(0).response().status());
    wiremock.start();
  }

  /** An https FHIR server is trusted through the configured PEM (a private CA), and not without it. */
  @Test
  void httpsServersAreTrustedThroughTheConfiguredPem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    org.clientregistry.security.DevCertificateAuthority.ensure(dir, List.of());
    io.vertx.core.http.HttpServer https = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
            .setSsl(true).setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
                .setCertPath(dir.resolve("server.crt").toString()).setKeyPath(dir.resolve("server.key").toString())))
        .requestHandler(req -> req.response().putHeader("Content-Type", "application/fhir+json")
            .end("{\"resourceType\":\"Bundle\"}"))
        .listen(0, "127.0.0.1").await();
    String base = "https://127.0.0.1:" + https.actualPort() + "/fhir";
    RegistryConfig.FhirServer trusted = new RegistryConfig.FhirServer(base, "", "", "", TIMEOUT_MS, TIMEOUT_MS,
        dir.resolve("ca.crt").toString(), 0, 100, 3, 2);
    assertEquals(200, new FhirHttp(vertx, trusted).send("FHIR: ping", HttpMethod.GET, "/Patient", Map.of(), null,
        CallLog.NONE).await().status());
    // Refused at the handshake (an unknown CA), not by a timeout.
    RegistryConfig.FhirServer untrusted = new RegistryConfig.FhirServer(base, "", "", "", TIMEOUT_MS, TIMEOUT_MS,
        "", 0, 100, 3, 2);
    assertThrows(StoreUnavailableException.class, () -> new FhirHttp(vertx, untrusted).send("FHIR: ping",
        HttpMethod.GET, "/Patient", Map.of(), null, CallLog.NONE).await());
    https.close().await();
  }
}
