package org.clientregistry.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clientregistry.identity.IdentityDomain;

/**
 * What a production registry refuses to start with (docs/security.md): development certificates, trust in any
 * certificate, development defaults; and, in every mode, client lists that would mix up whose records are whose.
 */
public final class ProductionChecks {
  /** The subject CN of the CA that {@code tls.createDevCertificates} makes. */
  public static final String DEVELOPMENT_CA = "Client Registry Development CA";

  private ProductionChecks() {}

  /** The settings alone (no files read); production only. */
  static void settings(RegistryConfig config, boolean developmentDefaults) {
    if (config.tls().createDevCertificates()) {
      throw new ConfigException("tls.createDevCertificates", "must be false in production (the development CA "
          + "would be made and trusted); set production to false to try the registry out");
    }
    if (developmentDefaults) {
      throw new ConfigException("mediator.allowDevelopmentDefaults", "must be false in production");
    }
    if (config.mediator().core().trustAll()) {
      throw new ConfigException("mediator.core.trustAll", "must be false in production");
    }
  }

  /**
   * No two clients share an internal-identifier system, none claims the registry's own CRUID system, and none
   * claims a declared domain that others assign (a national id: assigners {@code *}, or a list without it), whether in
   * the clients file at start or in a config pushed from the OpenHIM console (refused, the one in force stays).
   *
   * @param declared    the declared identity domains
   * @param cruidSystem the registry's CRUID system (null: unknown, not checked)
   */
  public static void clients(Map<String, ClientConfig> clients, List<IdentityDomain> declared, String cruidSystem) {
    Map<String, String> owners = new HashMap<>();
    Map<String, IdentityDomain> domains = new HashMap<>();
    for (IdentityDomain d : declared) {
      domains.put(d.system(), d);
      if (d.oid() != null) {
        domains.put(d.oid(), d);
      }
    }
    int i = 0;
    for (ClientConfig client : clients.values()) {
      for (String system : client.internalIdSystems()) {
        String key = "clients[" + i + "].internalIdSystems";
        IdentityDomain domain = domains.get(system);
        if (domain != null && (domain.open() || !domain.assigners().isEmpty()
            && !domain.assigners().contains(client.id()))) {
          throw new ConfigException(key, "client '" + client.id() + "' claims the identity domain "
              + domain.system() + ", which " + (domain.open() ? "every client" : "other clients") + " assign "
              + "(domains); a client's internal-id system is its own record numbers");
        }
        if (system.equals(cruidSystem)) {
          throw new ConfigException(key, "client '" + client.id() + "' claims the CRUID system " + cruidSystem
              + " (cruidSystem), which only the registry issues");
        }
        String other = owners.putIfAbsent(system, client.id());
        if (other != null && !other.equals(client.id())) {
          throw new ConfigException(key, "clients '" + other + "' and '" + client.id() + "' share the internal-"
              + "identifier system " + system + "; each client's records need a system of their own");
        }
      }
      i++;
    }
  }

  /** At start, with the certificate files in place: a production registry does not trust the development CA. */
  public static void certificates(RegistryConfig config) {
    if (!config.production() || !Files.isReadable(config.tls().caCertificate())) {
      return;
    }
    try (InputStream in = Files.newInputStream(config.tls().caCertificate())) {
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        String subject = ((X509Certificate) cert).getSubjectX500Principal().getName();
        if (subject.contains("CN=" + DEVELOPMENT_CA)) {
          throw new ConfigException("tls.caCertificate", config.tls().caCertificate() + " is the development CA; "
              + "production needs your own CA (or set production to false to try the registry out)");
        }
      }
    } catch (IOException | CertificateException e) {
      throw new ConfigException("tls.caCertificate", "cannot read " + config.tls().caCertificate() + ": "
          + e.getMessage());
    }
  }
}
