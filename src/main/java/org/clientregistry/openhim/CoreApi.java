package org.clientregistry.openhim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.clientregistry.config.RegistryConfig;

/** The calls the registry makes to OpenHIM core's API; one WebClient for core. */
public final class CoreApi {
  private final WebClient client;
  private final RegistryConfig.Core core;
  private final CoreAuth auth;
  private CoreTrust trust; // null on plain HTTP or with trustAll

  public CoreApi(Vertx vertx, RegistryConfig.Core core) {
    this.core = core;
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(core.timeoutSeconds() * 1000)
        .setUserAgent("client-registry");
    if (core.apiUrl().startsWith("https:")) {
      options.setSsl(true);
      if (core.trustAll()) {
        options.setTrustAll(true).setVerifyHost(false); // development only; ConfigLoader refuses it otherwise
      } else {
        trust = CoreTrust.of(core.trustCertificate());
        options.setTrustOptions(trust.options());
      }
    }
    this.client = WebClient.create(vertx, options);
    this.auth = CoreAuth.of(core, client);
  }

  /** {@code POST /mediators}: 201 on create, upgrade, or an already registered same-or-lower version. */
  public Future<Void> register(JsonObject mediator) {
    return send(client.postAbs(core.apiUrl() + "/mediators"), mediator).map(r -> {
      expect(r, 201, "POST /mediators");
      return null;
    });
  }

  /**
   * {@code POST /mediators/<urn>/heartbeat}: the config when core sends one (forced, or changed since the last
   * beat), else null. Bodies that are not a JSON object mean "no change".
   */
  public Future<JsonObject> heartbeat(String urn, long uptimeSeconds, boolean forceConfig) {
    JsonObject body = new JsonObject().put("uptime", uptimeSeconds);
    if (forceConfig) {
      body.put("config", true);
    }
    return send(client.postAbs(core.apiUrl() + "/mediators/" + encode(urn) + "/heartbeat"), body).map(r -> {
      expect(r, 200, "heartbeat");
      Buffer b = r.body();
      if (b == null || b.length() == 0) {
        return null;
      }
      try {
        Object parsed = b.toJsonValue();
        return parsed instanceof JsonObject o && !o.isEmpty() ? o : null;
      } catch (RuntimeException notJson) {
        return null;
      }
    });
  }

  /** {@code POST /mediators/<urn>/channels}: installs the named default channels. */
  public Future<Void> installChannels(String urn, JsonArray names) {
    return send(client.postAbs(core.apiUrl() + "/mediators/" + encode(urn) + "/channels"), names).map(r -> {
      expect(r, 201, "install channels");
      return null;
    });
  }

  /** {@code GET /channels}: the channels the registry's user may see (with their routes). */
  public Future<JsonArray> channels() {
    HttpRequest<Buffer> request = client.getAbs(core.apiUrl() + "/channels");
    return auth.headers().compose(headers -> request.putHeaders(headers).timeout(core.timeoutSeconds() * 1000L)
            .send())
        .recover(this::unanswered)
        .map(r -> {
          if (r.statusCode() == 401) {
            auth.rejected();
          }
          expect(r, 200, "GET /channels");
          return r.bodyAsJsonArray();
        });
  }

  /** {@code PUT /channels/<id>}: changes the given fields of an installed channel. */
  public Future<Void> updateChannel(String id, JsonObject fields) {
    return send(client.putAbs(core.apiUrl() + "/channels/" + encode(id)), fields).map(r -> {
      expect(r, 200, "PUT /channels/<id>");
      return null;
    });
  }

  private Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, Object json) {
    return auth.headers().compose(headers -> {
      request.putHeaders(headers).putHeader("Content-Type", "application/json")
          .timeout(core.timeoutSeconds() * 1000L);
      Buffer body = json instanceof JsonObject o ? o.toBuffer() : ((JsonArray) json).toBuffer();
      return request.sendBuffer(body);
    }).recover(this::unanswered).map(r -> {
          if (r.statusCode() == 401) {
            auth.rejected();
          }
          return r;
        });
  }

  /** A call core did not answer, said so that an operator knows what to fix (a TLS refusal names the certificate). */
  private <T> Future<T> unanswered(Throwable e) {
    if (e instanceof CoreException) {
      return Future.failedFuture(e);
    }
    String refused = trust == null ? null : trust.lastRefusal();
    boolean tls = refused != null && hasCause(e, javax.net.ssl.SSLException.class);
    return Future.failedFuture(new CoreException(tls ? "TLS to " + core.apiUrl() + " failed: " + refused
        : "core did not answer at " + core.apiUrl() + ": " + e.getMessage(), 0));
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private void expect(HttpResponse<Buffer> r, int status, String what) {
    if (r.statusCode() != status) {
      String hint = switch (r.statusCode()) {
        case 401 -> ": core refused the user '" + core.username() + "' (mediator.core.username and password, "
            + "auth scheme " + core.auth() + ")";
        case 403 -> ": the user '" + core.username() + "' lacks the rights (core 8.x: put it in the admin group)";
        default -> "";
      };
      throw new CoreException(what + " answered " + r.statusCode() + hint, r.statusCode());
    }
  }

  /** The urn as a path segment; ':' is legal there and what core's own mediator library sends. */
  private static String encode(String urn) {
    return URLEncoder.encode(urn, StandardCharsets.UTF_8).replace("%3A", ":");
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
