package org.clientregistry.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.clientregistry.Registry;
import org.clientregistry.TestRegistry;
import org.clientregistry.security.DevCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production refuses development certificates and defaults; every mode refuses client lists that mix records up. */
class ProductionModeTest {
  static final Path CONFIG = Path.of("config");

  @TempDir
  Path dir;

  static void assertRefused(String key, Runnable start) {
    Throwable e = assertThrows(Throwable.class, start::run);
    Throwable cause = e.getCause() instanceof ConfigException ? e.getCause() : e;
    assertTrue(cause instanceof ConfigException && cause.getMessage().contains(key), String.valueOf(cause));
  }

  @Test
  void productionRefusesToMakeOrTrustDevelopmentCertificatesAndDevelopmentDefaults() throws Exception {
    Map<String, String> production = Map.of("CR_PRODUCTION", "true");
    assertRefused("tls.createDevCertificates", () -> ConfigLoader.load(CONFIG, production));

    Map<String, String> devDefaults = new HashMap<>(production);
    devDefaults.put("CR_TLS_CREATE_DEV_CERTIFICATES", "false");
    devDefaults.put("CR_MEDIATOR_ALLOW_DEVELOPMENT_DEFAULTS", "true");
    assertRefused("mediator.allowDevelopmentDefaults", () -> ConfigLoader.load(CONFIG, devDefaults));

    Map<String, String> trustAll = new HashMap<>(production);
    trustAll.put("CR_TLS_CREATE_DEV_CERTIFICATES", "false");
    trustAll.put("CR_MEDIATOR_CORE_TRUST_ALL", "true");
    assertRefused("mediator.core.trustAll", () -> ConfigLoader.load(CONFIG, trustAll));

    // Development certificates made earlier (say, by a demo) are refused at start.
    DevCertificateAuthority.ensure(dir.resolve("certificates"), java.util.List.of("openmrs"));
    TestRegistry registry = new TestRegistry(dir, Map.of("CR_PRODUCTION", "true",
        "CR_TLS_CREATE_DEV_CERTIFICATES", "false"));
    try {
      assertRefused("tls.caCertificate", () -> Registry.start(registry.vertx, registry.config()).await());
    } finally {
      registry.close();
    }
  }

  @Test
  void clientsSharingASystemOrClaimingTheCruidSystemAreRefused() throws Exception {
    Files.writeString(dir.resolve("config.json"), Files.readString(CONFIG.resolve("config.json")));
    Files.writeString(dir.resolve("clients.json"), "{\"clients\": ["
        + "{\"id\": \"a\", \"roles\": [\"pos\"], \"internalIdSystems\": [\"http://x.org/mrn\"]},"
        + "{\"id\": \"b\", \"roles\": [\"pos\"], \"internalIdSystems\": [\"http://x.org/mrn\"]}]}");
    assertRefused("clients[1].internalIdSystems", () -> ConfigLoader.load(dir, Map.of()));

    Files.writeString(dir.resolve("clients.json"), "{\"clients\": [{\"id\": \"a\", \"roles\": [\"pos\"], "
        + "\"internalIdSystems\": [\"http://openclientregistry.org/fhir/CRUID\"]}]}");
    assertRefused("clients[0].internalIdSystems", () -> ConfigLoader.load(dir, Map.of()));

    // The national id (by its URL or its OID): a domain every client assigns is no one client's record numbers.
    String domains = "], \"domains\": [{\"system\": \"http://x.org/nid\", \"oid\": \"1.2.3\", \"unique\": true, "
        + "\"assigners\": [\"*\"]}, {\"system\": \"http://x.org/mrn\", \"assigners\": [\"a\"]}]}";
    for (String claimed : new String[] {"http://x.org/nid", "urn:oid:1.2.3"}) {
      Files.writeString(dir.resolve("clients.json"), "{\"clients\": [{\"id\": \"a\", \"roles\": [\"pos\"], "
          + "\"internalIdSystems\": [\"http://x.org/mrn\"]}, {\"id\": \"b\", \"roles\": [\"pos\"], "
          + "\"internalIdSystems\": [\"" + claimed + "\"]}" + domains);
      assertRefused("clients[1].internalIdSystems", () -> ConfigLoader.load(dir, Map.of()));
    }
    // A declared domain that its own client alone assigns (to give it an OID) is that client's.
    Files.writeString(dir.resolve("clients.json"), "{\"clients\": [{\"id\": \"a\", \"roles\": [\"pos\"], "
        + "\"internalIdSystems\": [\"http://x.org/mrn\"]}" + domains);
    ConfigLoader.load(dir, Map.of());
  }

  @Test
  void aMisspelledVariableStopsTheStart() {
    assertRefused("CR_SERVER_PROT", () -> ConfigLoader.load(CONFIG, Map.of("CR_SERVER_PROT", "8443")));
    ConfigLoader.load(CONFIG, Map.of("CR_LOG_LEVEL", "DEBUG", "CR_CONFIG_DIR", "config", "PATH", "/bin"));
  }

  @Test
  void aMissingNicknameTableStopsTheStart() {
    TestRegistry registry = new TestRegistry(dir, Map.of("CR_MATCHING_NICKNAMES_FILE", "no-such-nicknames.csv"));
    try {
      assertRefused("matching.nicknamesFile", () -> Registry.start(registry.vertx, registry.config()).await());
    } finally {
      registry.close();
    }
  }
}
