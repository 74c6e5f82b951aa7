package org.clientregistry.security;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.clientregistry.logging.BurstLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts client certificates that chain to the configured CA file, and logs each one it refuses with its subject
 * and issuer (system certificates name systems, not patients), so that onboarding a system whose certificate
 * comes from another CA can be debugged from the registry's log.
 */
final class RefusalLoggingTrust {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalLoggingTrust.class);

  private RefusalLoggingTrust() {}

  /**
   * Trust options for a server: the certificates in {@code files} (PEM; CAs, or a self-signed certificate trusted
   * as it is), refusals logged.
   */
  static TrustOptions of(Vertx vertx, List<Path> files) {
    try {
      BurstLog refusals = new BurstLog(vertx, LOG, "client certificates refused", 10_000);
      return TrustOptions.wrap(new WatchedTrust(WatchedTrust.of(files), (chain, e) -> refused(refusals, chain, e)));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the CA certificates in " + files + ": " + e.getMessage(), e);
    }
  }

  private static void refused(BurstLog refusals, X509Certificate[] chain, CertificateException e) {
    if (chain == null || chain.length == 0) {
      refusals.warn("TLS client refused: no certificate ({})", e.getMessage());
      return;
    }
    refusals.warn("TLS client certificate refused: subject '{}', issuer '{}': {}",
        chain[0].getSubjectX500Principal().getName(), chain[0].getIssuerX500Principal().getName(), e.getMessage());
  }
}
