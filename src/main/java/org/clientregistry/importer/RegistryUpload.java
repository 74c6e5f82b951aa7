package org.clientregistry.importer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** The running registry as one client sees it: batch Bundles posted over HTTPS with the client's certificate. */
final class RegistryUpload implements AutoCloseable {
  /** Generous: a batch waits for the locks of the records it could match, and CI machines are slow. */
  private static final int TIMEOUT_MS = 300_000;

  private final WebClient web;
  private final String basePath;

  RegistryUpload(Vertx vertx, URI url, Path certificates, String client) {
    boolean https = !"http".equals(url.getScheme());
    WebClientOptions options = new WebClientOptions().setSsl(https).setDefaultHost(url.getHost())
        .setDefaultPort(url.getPort() > 0 ? url.getPort() : https ? 443 : 80).setIdleTimeout(TIMEOUT_MS / 1000)
        .setUserAgent("client-registry-import");
    if (https) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(certificates.resolve("ca.crt").toString()))
          .setKeyCertOptions(new PemKeyCertOptions()
              .setCertPath(certificates.resolve("clients/" + client + ".crt").toString())
              .setKeyPath(certificates.resolve("clients/" + client + ".key").toString()));
    }
    this.web = WebClient.create(vertx, options);
    this.basePath = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
  }

  /** Posts the rows' Patients as one batch Bundle; the answer is read by the caller. */
  Future<HttpResponse<Buffer>> post(List<ImportRow> rows) {
    JsonArray entries = new JsonArray();
    rows.forEach(r -> entries.add(new JsonObject().put("resource", r.patient())
        .put("request", new JsonObject().put("method", "POST").put("url", "Patient"))));
    Buffer body = new JsonObject().put("resourceType", "Bundle").put("type", "batch").put("entry", entries)
        .toBuffer();
    return web.post(basePath + "/fhir").timeout(TIMEOUT_MS).putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(body);
  }

  @Override
  public void close() {
    web.close();
  }
}
