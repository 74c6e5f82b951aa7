package org.clientregistry.security;

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
import java.util.List;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that reports each certificate chain it refuses before refusing it, so that the registry can name
 * a refused certificate (subject and issuer: systems, never patients) instead of leaving a bare handshake failure.
 */
public final class WatchedTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final BiConsumer<X509Certificate[], CertificateException> refused;

  public WatchedTrust(X509ExtendedTrustManager delegate, BiConsumer<X509Certificate[], CertificateException> refused) {
    this.delegate = delegate;
    this.refused = refused;
  }

  /**
   * The JDK's trust manager for the certificates in {@code pemFiles} (CAs, or certificates trusted as they are);
   * no files: the JVM's trusted CAs.
   */
  public static X509ExtendedTrustManager of(List<Path> pemFiles) throws IOException, GeneralSecurityException {
    KeyStore store = null;
    if (!pemFiles.isEmpty()) {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Path file : pemFiles) {
        int before = i;
        try (InputStream in = Files.newInputStream(file)) {
          for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("trusted-" + i++, cert);
          }
        }
        if (i == before) {
          throw new GeneralSecurityException("no certificate in " + file);
        }
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JDK offers no X.509 trust manager");
  }

  private interface Check {
    void run() throws CertificateException;
  }

  private void watch(X509Certificate[] chain, Check check) throws CertificateException {
    try {
      check.run();
    } catch (CertificateException e) {
      refused.accept(chain, e);
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    watch(chain, () -> delegate.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    watch(chain, () -> delegate.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    watch(chain, () -> delegate.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    watch(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    watch(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    watch(chain, () -> delegate.checkServerTrusted(chain, authType));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
