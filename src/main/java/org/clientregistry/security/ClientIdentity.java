package org.clientregistry.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The calling system's name from its verified TLS client certificate: the subject CN. */
public final class ClientIdentity {
  private ClientIdentity() {}

  /** Empty when the connection is not TLS or the client sent no certificate. */
  public static Optional<String> commonName(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      return commonName(leaf.getSubjectX500Principal().getName());
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  static Optional<String> commonName(String distinguishedName) {
    try {
      for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
