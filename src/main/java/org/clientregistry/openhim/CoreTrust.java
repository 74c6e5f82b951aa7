package org.clientregistry.openhim;

import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.clientregistry.security.WatchedTrust;

/**
 * Trust in core's API certificate (the PEM of {@code mediator.core.trustCertificate}, or the JVM's CAs), remembering
 * the last certificate it refused, so that a failing registration names it (subject and issuer) instead of a bare
 * "PKIX path building failed".
 */
final class CoreTrust {
  private final String source;
  private final WatchedTrust trust;
  private volatile String lastRefused;

  private CoreTrust(Path pem) throws IOException, GeneralSecurityException {
    this.source = pem == null ? "the JVM's trusted CAs" : "mediator.core.trustCertificate (" + pem + ")";
    this.trust = new WatchedTrust(WatchedTrust.of(pem == null ? List.of() : List.of(pem)), this::refused);
  }

  /** @param pem the CA or certificate file to trust; null: the JVM's trusted CAs */
  static CoreTrust of(Path pem) {
    try {
      return new CoreTrust(pem);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read core's trusted certificate " + pem + ": " + e.getMessage(), e);
    }
  }

  TrustOptions options() {
    return TrustOptions.wrap(trust);
  }

  /** The last refused certificate and why, named for an operator; null when none was refused. */
  String lastRefusal() {
    return lastRefused;
  }

  private void refused(X509Certificate[] chain, CertificateException e) {
    lastRefused = chain == null || chain.length == 0 ? "core presented no certificate"
        : "core's certificate (subject '" + chain[0].getSubjectX500Principal().getName() + "', issuer '"
            + chain[0].getIssuerX500Principal().getName() + "') is not trusted by " + source + ": " + e.getMessage();
  }
}
