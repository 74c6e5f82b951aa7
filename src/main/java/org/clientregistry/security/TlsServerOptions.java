package org.clientregistry.security;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import org.clientregistry.config.RegistryConfig;

/** HTTPS options of the standalone server: our certificate, and client certificates verified against the CA. */
public final class TlsServerOptions {
  private TlsServerOptions() {}

  /** HTTPS, or plain HTTP when {@code server.tls} is off (mediator mode only, behind core). */
  public static HttpServerOptions forServer(RegistryConfig config) {
    if (!config.server().tls()) {
      // No h2c upgrade: core speaks HTTP/1.1 to mediators but forwards its clients' Upgrade headers, and an
      // upgraded answer would be HTTP/2 frames that core cannot read (the request then times out).
      return new HttpServerOptions().setHost(config.server().host()).setPort(config.server().port())
          .setHttp2ClearTextEnabled(false).setCompressionSupported(true);
    }
    return standalone(config);
  }

  public static HttpServerOptions standalone(RegistryConfig config) {
    RegistryConfig.Tls tls = config.tls();
    return new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(tls.serverCertificate().toString())
            .setKeyPath(tls.serverKey().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.caCertificate().toString()))
        // Requested rather than required at the TLS layer, so that a caller without a certificate gets a
        // readable 401 OperationOutcome instead of a bare handshake failure; every FHIR route then requires it.
        // A certificate that does not verify against the CA still fails the handshake.
        .setClientAuth(ClientAuth.REQUEST)
        .setSslEngineOptions(engine())
        .setCompressionSupported(true);
  }

  /** BoringSSL when its native library loads here (several times cheaper per request), else the JDK's engine. */
  public static SSLEngineOptions engine() {
    return OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }
}
