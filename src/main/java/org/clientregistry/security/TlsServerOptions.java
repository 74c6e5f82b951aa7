package org.clientregistry.security;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.Vertx;
import org.clientregistry.config.RegistryConfig;

/** HTTPS options of the standalone server: our certificate, and client certificates verified against the CA. */
public final class TlsServerOptions {
  private TlsServerOptions() {}

  /** HTTPS, or plain HTTP when {@code server.tls} is off (mediator mode only, behind core). */
  public static HttpServerOptions forServer(Vertx vertx, RegistryConfig config) {
    if (!config.server().tls()) {
      // No h2c upgrade: core speaks HTTP/1.1 to mediators but forwards its clients' Upgrade headers, and an
      // upgraded answer would be HTTP/2 frames that core cannot read (the request then times out).
      return new HttpServerOptions().setHost(config.server().host()).setPort(config.server().port())
          .setHttp2ClearTextEnabled(false).setCompressionSupported(true);
    }
    return standalone(vertx, config);
  }

  public static HttpServerOptions standalone(Vertx vertx, RegistryConfig config) {
    RegistryConfig.Tls tls = config.tls();
    // Standalone, every caller is a system with a certificate: requiring it at the handshake means a connection
    // without one never gets past it (nor holds a socket longer than the handshake timeout). In mediator mode core
    // may call with the route password and no certificate, so there it is only requested.
    boolean required = config.connections().certificateRequired() && !config.mediator().register();
    return new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(tls.serverCertificate().toString())
            .setKeyPath(tls.serverKey().toString()))
        .setTrustOptions(RefusalLoggingTrust.of(vertx, trusted(config)))
        // Requested (server.clientCertificate=requested): a caller without one gets a readable 401 on every FHIR
        // route instead of a bare handshake failure. A certificate that does not verify fails the handshake.
        .setClientAuth(required ? ClientAuth.REQUIRED : ClientAuth.REQUEST)
        .setSslHandshakeTimeout(config.connections().tlsHandshakeTimeoutSeconds())
        .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setSslEngineOptions(engine())
        .setCompressionSupported(true);
  }

  /**
   * The CA file; in mediator mode also core's certificate when configured: core presents its own certificate on
   * HTTPS routes, and one that does not verify would fail the handshake even with the right route password.
   */
  private static java.util.List<java.nio.file.Path> trusted(RegistryConfig config) {
    java.nio.file.Path core = config.mediator().register() ? config.mediator().coreClientCertificate() : null;
    return core == null ? java.util.List.of(config.tls().caCertificate())
        : java.util.List.of(config.tls().caCertificate(), core);
  }

  /** BoringSSL when its native library loads here (several times cheaper per request), else the JDK's engine. */
  public static SSLEngineOptions engine() {
    return OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }
}
