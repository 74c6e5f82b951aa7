package org.clientregistry.security;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.clientregistry.logging.BurstLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts client certificates that chain to the configured CA file, and logs each one it refuses with its subject
 * and issuer (system certificates name systems, not patients), so that onboarding a system whose certificate
 * comes from another CA can be debugged from the registry's log.
 */
final class RefusalLoggingTrust extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalLoggingTrust.class);

  private final X509ExtendedTrustManager delegate;
  private final BurstLog refusals;

  private RefusalLoggingTrust(X509ExtendedTrustManager delegate, BurstLog refusals) {
    this.delegate = delegate;
    this.refusals = refusals;
  }

  /**
   * Trust options for a server: the certificates in {@code files} (PEM; CAs, or a self-signed certificate trusted
   * as it is), refusals logged.
   */
  static TrustOptions of(Vertx vertx, java.util.List<Path> files) {
    Path caFile = null;
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Path file : files) {
        caFile = file;
        int before = i;
        try (InputStream in = Files.newInputStream(file)) {
          for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("ca-" + i++, cert);
          }
        }
        if (i == before) {
          throw new IllegalArgumentException("no certificate in " + file);
        }
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x509) {
          return TrustOptions.wrap(new RefusalLoggingTrust(x509,
              new BurstLog(vertx, LOG, "client certificates refused", 10_000)));
        }
      }
      throw new IllegalStateException("the JDK offers no X.509 trust manager");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the CA certificates in " + caFile + ": " + e.getMessage(), e);
    }
  }

  private void refused(X509Certificate[] chain, CertificateException e) {
    if (chain == null || chain.length == 0) {
      refusals.warn("TLS client refused: no certificate ({})", e.getMessage());
      return;
    }
    refusals.warn("TLS client certificate refused: subject '{}', issuer '{}': {}",
        chain[0].getSubjectX500Principal().getName(), chain[0].getIssuerX500Principal().getName(), e.getMessage());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      refused(chain, e);
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      refused(chain, e);
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      refused(chain, e);
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
