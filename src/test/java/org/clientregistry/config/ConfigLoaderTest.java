package org.clientregistry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final Path CONFIG = Path.of("config");

  @Test
  void shippedConfigLoadsWithTheExampleClients() {
    RegistryConfig config = ConfigLoader.load(CONFIG, Map.of());
    assertEquals(3000, config.server().port());
    assertEquals("embedded", config.store().type());
    assertEquals(4, config.clients().size());
    ClientConfig openmrs = config.client("openmrs").orElseThrow();
    assertTrue(openmrs.has(Role.POS));
    assertFalse(openmrs.has(Role.ADMIN));
    assertTrue(config.client("admin").orElseThrow().has(Role.POS), "admin may do everything");
    assertEquals("https://localhost:3000", config.baseUrl());
  }

  @Test
  void environmentOverridesLeafKeys() {
    RegistryConfig config = ConfigLoader.load(CONFIG, Map.of("CR_SERVER_PORT", "8443",
        "CR_STORE_DATA_DIR", "/var/lib/registry", "CR_TLS_CREATE_DEV_CERTIFICATES", "false",
        "CR_SERVER_PUBLIC_BASE_URL", "https://cr.example.org/"));
    assertEquals(8443, config.server().port());
    assertEquals(Path.of("/var/lib/registry"), config.store().dataDir());
    assertFalse(config.tls().createDevCertificates());
    assertEquals("https://cr.example.org", config.baseUrl());
  }

  @Test
  void envNamesFollowTheKeyPath() {
    assertEquals("CR_SERVER_BODY_LIMIT_BYTES", ConfigLoader.envName("server.bodyLimitBytes"));
    assertEquals("CR_CRUID_SYSTEM", ConfigLoader.envName("cruidSystem"));
  }

  @Test
  void badValuesNameTheKey() {
    ConfigException port = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(CONFIG, Map.of("CR_SERVER_PORT", "abc")));
    assertTrue(port.getMessage().contains("server.port") && port.getMessage().contains("CR_SERVER_PORT"),
        port.getMessage());
    ConfigException range = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(CONFIG, Map.of("CR_SERVER_PORT", "70000")));
    assertTrue(range.getMessage().contains("server.port"), range.getMessage());
    ConfigException sync = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(CONFIG, Map.of("CR_STORE_SYNCHRONOUS", "sometimes")));
    assertTrue(sync.getMessage().contains("store.synchronous"), sync.getMessage());
    ConfigException flag = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(CONFIG, Map.of("CR_TLS_CREATE_DEV_CERTIFICATES", "yes")));
    assertTrue(flag.getMessage().contains("tls.createDevCertificates"), flag.getMessage());
  }

  @Test
  void badFilesNameTheKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("config.json"), Files.readString(CONFIG.resolve("config.json"))
        .replace("\"instances\": 2", "\"instances\": \"two\""));
    Files.copy(CONFIG.resolve("clients.json"), dir.resolve("clients.json"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertTrue(e.getMessage().contains("server.instances"), e.getMessage());

    Files.writeString(dir.resolve("config.json"), Files.readString(CONFIG.resolve("config.json")));
    Files.writeString(dir.resolve("clients.json"), "{\"clients\": [{\"id\": \"a\", \"roles\": [\"superuser\"]}]}");
    ConfigException role = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertTrue(role.getMessage().contains("clients[0].roles"), role.getMessage());

    Files.writeString(dir.resolve("clients.json"), "{\"clients\": [{\"name\": \"no id\"}]}");
    ConfigException id = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertTrue(id.getMessage().contains("clients[0].id"), id.getMessage());
  }

  @Test
  void mediatorModeRefusesUnsafeSettingsOutsideDevelopment() {
    Path config = Path.of("config");
    Map<String, String> base = Map.of("CR_MEDIATOR_REGISTER", "true", "CR_MEDIATOR_CORE_PASSWORD", "openhim-password",
        "CR_MEDIATOR_ROUTE_PASSWORD", "route-secret-0123");
    ConfigException defaults = assertThrows(ConfigException.class, () -> ConfigLoader.load(config, base));
    assertTrue(defaults.getMessage().contains(": mediator.core.password: "), defaults.getMessage());

    Map<String, String> trustAll = new java.util.HashMap<>(base);
    trustAll.put("CR_MEDIATOR_CORE_PASSWORD", "a-real-password");
    trustAll.put("CR_MEDIATOR_CORE_TRUST_ALL", "true");
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(config, trustAll)).getMessage()
        .contains(": mediator.core.trustAll: "));

    Map<String, String> shortRoute = new java.util.HashMap<>(base);
    shortRoute.put("CR_MEDIATOR_CORE_PASSWORD", "a-real-password");
    shortRoute.put("CR_MEDIATOR_ROUTE_PASSWORD", "short");
    ConfigException route = assertThrows(ConfigException.class, () -> ConfigLoader.load(config, shortRoute));
    assertTrue(route.getMessage().contains(": mediator.route.password: "), route.getMessage());
    assertFalse(route.getMessage().contains("'short'"), "secrets stay out of messages");

    Map<String, String> development = new java.util.HashMap<>(trustAll);
    development.put("CR_MEDIATOR_ALLOW_DEVELOPMENT_DEFAULTS", "true");
    assertTrue(ConfigLoader.load(config, development).mediator().core().trustAll());

    ConfigException plain = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(config, Map.of("CR_SERVER_TLS", "false")));
    assertTrue(plain.getMessage().contains(": server.tls: "), plain.getMessage());
  }

  @Test
  void theFhirServerStoreIsConfiguredByKeysAndEnvironment() {
    RegistryConfig config = ConfigLoader.load(CONFIG, Map.of("CR_STORE_TYPE", "fhirserver",
        "CR_STORE_FHIR_SERVER_BASE_URL", "https://hapi.example.org/fhir/", "CR_STORE_FHIR_SERVER_USERNAME", "cr",
        "CR_STORE_FHIR_SERVER_PASSWORD", "s3cret", "CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "2500"));
    RegistryConfig.FhirServer fhir = config.store().fhirServer();
    assertEquals("fhirserver", config.store().type());
    assertEquals("https://hapi.example.org/fhir", fhir.baseUrl());
    assertEquals("cr", fhir.username());
    assertEquals("s3cret", fhir.password());
    assertEquals(2500, fhir.requestTimeoutMs());
    assertEquals(1000, fhir.pageSize());
  }

  @Test
  void badFhirServerSettingsNameTheKey() {
    Map<String, String> fhir = Map.of("CR_STORE_TYPE", "fhirserver");
    assertKey("store.type", Map.of("CR_STORE_TYPE", "mongodb"));
    assertKey("store.fhirServer.baseUrl", with(fhir, "CR_STORE_FHIR_SERVER_BASE_URL", "ftp://hapi/fhir"));
    assertKey("store.fhirServer.password", with(fhir, "CR_STORE_FHIR_SERVER_USERNAME", "cr"));
    assertKey("store.fhirServer.bearerToken", with(with(with(fhir, "CR_STORE_FHIR_SERVER_USERNAME", "cr"),
        "CR_STORE_FHIR_SERVER_PASSWORD", "pw"), "CR_STORE_FHIR_SERVER_BEARER_TOKEN", "tok"));
    assertKey("store.fhirServer.trustPem", with(fhir, "CR_STORE_FHIR_SERVER_TRUST_PEM", "/nowhere/ca.pem"));
    assertKey("store.fhirServer.requestTimeoutMs", with(fhir, "CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "5"));
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> out = new java.util.HashMap<>(env);
    out.put(key, value);
    return out;
  }

  private static void assertKey(String key, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(CONFIG, env));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
