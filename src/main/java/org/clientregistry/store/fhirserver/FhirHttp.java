package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.store.StoreUnavailableException;

/**
 * The one HTTP client of the FHIR server: credentials, timeouts, TLS trust, and a record of every exchange in the
 * caller's {@link CallLog} (OpenHIM orchestrations), with the Authorization header redacted. No answer (refused,
 * timed out) fails with {@link StoreUnavailableException}; any HTTP answer is returned for the caller to judge.
 */
final class FhirHttp {
  static final String FHIR_JSON = "application/fhir+json";

  /** An HTTP answer. */
  record Reply(int status, MultiMap headers, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final WebClient client;
  private final String host;
  private final int port;
  private final String basePath;
  private final RegistryConfig.FhirServer config;

  FhirHttp(Vertx vertx, RegistryConfig.FhirServer config) {
    this.config = config;
    URI uri = URI.create(config.baseUrl());
    boolean tls = "https".equals(uri.getScheme());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    this.basePath = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    WebClientOptions options = new WebClientOptions().setDefaultHost(host).setDefaultPort(port).setSsl(tls)
        .setConnectTimeout(config.connectTimeoutMs()).setKeepAlive(true)
        .setUserAgent("client-registry");
    if (tls && !config.trustPem().isEmpty()) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(config.trustPem()));
    }
    // Enough connections for concurrent submissions; each waits for the server's answer.
    this.client = WebClient.create(vertx, options, new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  /**
   * Sends one request; {@code pathAndQuery} is relative to the base URL (e.g. {@code /Patient?_count=10}). A read
   * (GET) whose pooled connection the server closed under it is sent once more on a fresh connection: servers close
   * keep-alive connections (Tomcat after its 100th request) and a read is safe to repeat.
   */
  Future<Reply> send(String name, HttpMethod method, String pathAndQuery, Map<String, String> headers, String body,
                     CallLog log) {
    Future<Reply> first = sendOnce(name, method, pathAndQuery, headers, body, log);
    if (method != HttpMethod.GET) {
      return first;
    }
    return first.recover(e -> e.getCause() != null && closedUnder(e.getCause())
        ? sendOnce(name, method, pathAndQuery, headers, body, log) : Future.failedFuture(e));
  }

  /** The connection was closed by the other side (not a timeout, not a refusal): the request may never have run. */
  static boolean closedUnder(Throwable e) {
    if (e instanceof io.vertx.core.http.HttpClosedException) {
      return true;
    }
    String m = e.getMessage();
    return e instanceof java.io.IOException && m != null && (m.contains("reset") || m.contains("closed"));
  }

  private Future<Reply> sendOnce(String name, HttpMethod method, String pathAndQuery, Map<String, String> headers,
                                 String body, CallLog log) {
    String full = basePath + pathAndQuery;
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    String query = q < 0 ? null : full.substring(q + 1);
    HttpRequest<Buffer> request = client.request(method, port, host, full).timeout(config.requestTimeoutMs())
        .putHeader("Accept", FHIR_JSON);
    headers.forEach(request::putHeader);
    String transaction = org.clientregistry.calls.TransactionIds.current();
    if (transaction != null && !headers.containsKey("X-Request-ID")) {
      request.putHeader("X-Request-ID", transaction); // HAPI logs it: the OpenHIM transaction in the server's log
    }
    if (body != null) {
      request.putHeader("Content-Type", FHIR_JSON);
    }
    if (!config.username().isEmpty()) {
      request.basicAuthentication(config.username(), config.password());
    } else if (!config.bearerToken().isEmpty()) {
      request.bearerTokenAuthentication(config.bearerToken());
    }
    Instant at = Instant.now();
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
    return sent.transform(ar -> {
      UpstreamCall.Request recorded = new UpstreamCall.Request(host, port, method.name(), path, query,
          redacted(request.headers()), body, at);
      if (ar.failed()) {
        log.record(new UpstreamCall(name, recorded, new UpstreamCall.Response(0, Map.of(),
            ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage(), Instant.now())));
        // The path only, never the query: queries carry identifiers, and this message reaches logs.
        return Future.failedFuture(new StoreUnavailableException("FHIR server did not answer " + method + " "
            + path + " (" + reason(ar.cause()) + ")", ar.cause(), config.retryAfterSeconds()));
      }
      HttpResponse<Buffer> response = ar.result();
      String text = response.body() == null ? "" : response.bodyAsString();
      log.record(new UpstreamCall(name, recorded, new UpstreamCall.Response(response.statusCode(),
          flat(response.headers()), text, Instant.now())));
      return Future.succeededFuture(new Reply(response.statusCode(), response.headers(), text));
    });
  }

  private String reason(Throwable e) {
    if (e instanceof java.util.concurrent.TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
      return "no answer within " + config.requestTimeoutMs() + " ms";
    }
    return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }

  Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  private static Map<String, String> redacted(MultiMap headers) {
    Map<String, String> out = flat(headers);
    out.replaceAll((name, value) -> name.equalsIgnoreCase("Authorization") ? "[redacted]" : value);
    return out;
  }

  private static Map<String, String> flat(MultiMap headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.names().forEach(n -> out.put(n, String.join(", ", headers.getAll(n))));
    return out;
  }
}
