package org.clientregistry.openhim;

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

/**
 * Trust in core's API certificate (the PEM of {@code mediator.core.trustCertificate}, or the JVM's CAs), remembering
 * the last certificate it refused, so that a failing registration names it (subject and issuer) instead of a bare
 * "PKIX path building failed".
 */
final class CoreTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final String source;
  private volatile String lastRefused;

  private CoreTrust(X509ExtendedTrustManager delegate, String source) {
    this.delegate = delegate;
    this.source = source;
  }

  /** @param pem the CA or certificate file to trust; null: the JVM's trusted CAs */
  static CoreTrust of(Path pem) {
    try {
      KeyStore store = null;
      if (pem != null) {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
          int i = 0;
          for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("core-" + i++, cert);
          }
        }
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x509) {
          return new CoreTrust(x509, pem == null ? "the JVM's trusted CAs" : "mediator.core.trustCertificate ("
              + pem + ")");
        }
      }
      throw new IllegalStateException("the JDK offers no X.509 trust manager");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read core's trusted certificate " + pem + ": " + e.getMessage(), e);
    }
  }

  TrustOptions options() {
    return TrustOptions.wrap(this);
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

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      refused(chain, e);
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      refused(chain, e);
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      refused(chain, e);
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
