package org.clientregistry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code config.json} and {@code clients.json} from the config directory, applies environment overrides and
 * validates everything once. Every leaf key of config.json can be overridden by an environment variable named
 * {@code CR_} + the key path in upper snake case, e.g. {@code server.port} → {@code CR_SERVER_PORT},
 * {@code store.dataDir} → {@code CR_STORE_DATA_DIR}.
 */
public final class ConfigLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SYNC_MODES = Set.of("full", "normal");
  private static final Set<String> STORE_TYPES = Set.of("embedded", "fhirserver");

  private ConfigLoader() {}

  /** Loads from the directory named by CR_CONFIG_DIR (default {@code config}) with the process environment. */
  public static RegistryConfig fromEnvironment() {
    Map<String, String> env = System.getenv();
    return load(Path.of(env.getOrDefault("CR_CONFIG_DIR", "config")), env);
  }

  public static RegistryConfig load(Path configDir, Map<String, String> env) {
    ObjectNode root = readObject(configDir.resolve("config.json"), "config.json");
    EnvironmentNames.check(root, env);
    applyEnvironment(root, "", env);
    return build(root, configDir);
  }

  /** Variables read outside config.json (the config directory itself, logging). */
  private static final Set<String> OTHER_VARIABLES = Set.of("CR_CONFIG_DIR", "CR_LOG_LEVEL", "CR_ACCESS_LOG_LEVEL",
      envName("store.keepIndex"));

  /** {@code CR_*} variables that name no setting (a typo would otherwise be silently ignored), sorted. */
  public static List<String> unknownVariables(Path configDir, Map<String, String> env) {
    Set<String> known = new java.util.HashSet<>(OTHER_VARIABLES);
    collectNames(readObject(configDir.resolve("config.json"), "config.json"), "", known);
    return env.keySet().stream().filter(k -> k.startsWith("CR_") && !known.contains(k)).sorted().toList();
  }

  private static void collectNames(JsonNode node, String prefix, Set<String> names) {
    node.fields().forEachRemaining(e -> {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject()) {
        collectNames(e.getValue(), path, names);
      } else {
        names.add(envName(path));
      }
    });
  }

  /**
   * A relative data or certificates folder lies beside the config directory (its parent holds all three), so a
   * service started from another folder with CR_CONFIG_DIR=/opt/cr/config finds /opt/cr/data.
   */
  static Path besideConfig(Path configDir, String dir) {
    Path path = Path.of(dir);
    Path home = configDir.getParent();
    return path.isAbsolute() || home == null ? path : home.resolve(path);
  }

  /** The environment variable that overrides a dotted key path. */
  public static String envName(String keyPath) {
    return "CR_" + keyPath.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
  }

  private static void applyEnvironment(ObjectNode node, String prefix, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    List<String> names = new ArrayList<>();
    fields.forEachRemaining(e -> names.add(e.getKey()));
    for (String name : names) {
      JsonNode value = node.get(name);
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      if (value.isObject()) {
        applyEnvironment((ObjectNode) value, path, env);
        continue;
      }
      String override = env.get(envName(path));
      if (override == null) {
        continue;
      }
      if (value.isNumber()) {
        try {
          node.put(name, Long.parseLong(override.trim()));
        } catch (NumberFormatException e) {
          throw new ConfigException(path, "environment variable " + envName(path) + " must be a whole number, got '"
              + override + "'");
        }
      } else if (value.isBoolean()) {
        if (!override.equalsIgnoreCase("true") && !override.equalsIgnoreCase("false")) {
          throw new ConfigException(path, "environment variable " + envName(path) + " must be true or false");
        }
        node.put(name, Boolean.parseBoolean(override));
      } else {
        node.put(name, override);
      }
    }
  }

  private static RegistryConfig build(ObjectNode root, Path configDir) {
    Reader r = new Reader(root);
    int port = r.integer("server.port", 0, 65535);
    RegistryConfig.Server server = new RegistryConfig.Server(
        r.text("server.host"), port, r.integer("server.instances", 1, 64), r.optionalText("server.publicBaseUrl"),
        r.integer("server.bodyLimitBytes", 1024, Integer.MAX_VALUE), r.integer("server.maxBundleEntries", 1, 1_000_000),
        r.bool("server.tls"), connections(r));
    Path certDir = besideConfig(configDir, r.text("tls.certificatesDir"));
    RegistryConfig.Tls tls = new RegistryConfig.Tls(certDir, r.bool("tls.createDevCertificates"),
        certDir.resolve(r.text("tls.serverCertificate")), certDir.resolve(r.text("tls.serverKey")),
        certDir.resolve(r.text("tls.caCertificate")));
    RegistryConfig.Store store = store(r, configDir);
    RegistryConfig.Matching matching = new RegistryConfig.Matching(configDir.resolve(r.text("matching.rulesFile")),
        r.integer("matching.maxCandidates", 1, 1_000_000), r.integer("matching.watchRulesSeconds", 0, 86_400),
        configDir.resolve(r.text("matching.nicknamesFile")),
        r.optionalInt("matching.maxComparisonsPerRequest", 1000, 100_000_000, 200_000),
        r.optionalInt("matching.maxReviewItemsPerRequest", 10, 10_000_000, 1000));
    String cruidSystem = r.text("cruidSystem");
    Path clientsFile = configDir.resolve(r.text("clientsFile"));
    Map<String, ClientConfig> clients = readClients(clientsFile);
    RegistryConfig.Identity identity = identity(r, clientsFile, clients, cruidSystem);
    RegistryConfig.Mediator mediator = mediator(r, certDir);
    if (!server.tls() && !mediator.register()) {
      throw new ConfigException("server.tls", "plain HTTP is only allowed in mediator mode (mediator.register), "
          + "where OpenHIM core authenticates clients");
    }
    ProductionChecks.clients(clients, identity.domains(), cruidSystem);
    RegistryConfig config = new RegistryConfig(server, tls, store, matching, cruidSystem,
        r.integer("workerPoolSize", 1, 256), clients, mediator, r.bool("audit.lookups"), console(r, store), identity,
        r.optionalBool("production", false), new RegistryConfig.Lookups(
            r.optionalInt("lookups.perClientPerMinute", 0, 10_000_000, 1200),
            r.optionalInt("lookups.matchMinAgreeingFields", 0, 50, 2)),
        survivorship(r, clients, mediator.register()));
    if (config.production()) {
      ProductionChecks.settings(config, r.optionalBool("mediator.allowDevelopmentDefaults", false));
    }
    return config;
  }

  /** The console section came after the first release: a config file without it gets a console on localhost. */
  private static RegistryConfig.Console console(Reader r, RegistryConfig.Store store) {
    boolean present = !r.root().path("console").isMissingNode();
    String users = present ? r.optionalText("console.usersFile") : "";
    return new RegistryConfig.Console(r.optionalBool("console.enabled", true),
        present ? r.text("console.host") : "127.0.0.1", present ? r.integer("console.port", 0, 65535) : 3001,
        users.isBlank() ? store.dataDir().resolve("console-users.json") : Path.of(users),
        present ? r.integer("console.idleSeconds", 1, 86_400) : 900,
        present ? r.integer("console.maxFailures", 1, 100) : 5, present ? r.integer("console.lockMinutes", 1, 1440) : 15);
  }

  /** PDQm survivorship (came later: absent means most-recent); trusted clients must be clients of the file. */
  private static org.clientregistry.pdq.Survivorship survivorship(Reader r, Map<String, ClientConfig> clients,
                                                                  boolean mediator) {
    org.clientregistry.pdq.Survivorship s;
    try {
      s = org.clientregistry.pdq.Survivorship.parse(r.optionalText("pdq.survivorship"),
          r.optionalText("pdq.trustedClients"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("pdq.survivorship", e.getMessage());
    }
    if (!mediator) { // in mediator mode the console's clients are known later
      s.unknownClient(clients.keySet()).ifPresent(id -> {
        throw new ConfigException("pdq.trustedClients", "'" + id + "' is no client of the clients file");
      });
    }
    return s;
  }

  private static final Set<String> UNKNOWN_DOMAINS = Set.of("refuse", "accept");

  /** The clients file's {@code domains}; {@code identity.unknownDomains} came later, so it defaults to refuse. */
  private static RegistryConfig.Identity identity(Reader r, Path clientsFile, Map<String, ClientConfig> clients,
                                                  String cruidSystem) {
    String unknown = r.optionalText("identity.unknownDomains");
    unknown = unknown.isBlank() ? "refuse" : unknown;
    if (!UNKNOWN_DOMAINS.contains(unknown)) {
      throw new ConfigException("identity.unknownDomains", "must be one of " + UNKNOWN_DOMAINS + ", got '"
          + unknown + "'");
    }
    var domains = org.clientregistry.identity.DomainConfig.fromJson(readObject(clientsFile, "clientsFile")
        .get("domains"), "domains");
    // Built once here so that duplicate systems or OIDs stop the start with a message.
    org.clientregistry.identity.IdentityDomains.of(domains, clients.values(), cruidSystem, unknown.equals("accept"));
    return new RegistryConfig.Identity(List.copyOf(domains), unknown.equals("accept"));
  }

  private static RegistryConfig.Connections connections(Reader r) {
    String cert = r.optionalText("server.clientCertificate");
    if (!cert.isEmpty() && !cert.equals("required") && !cert.equals("requested")) {
      throw new ConfigException("server.clientCertificate", "must be required or requested, got '" + cert + "'");
    }
    return new RegistryConfig.Connections(!cert.equals("requested"),
        r.optionalInt("server.tlsHandshakeTimeoutSeconds", 1, 600, 10),
        r.optionalInt("server.headerTimeoutSeconds", 1, 600, 10),
        r.optionalInt("server.bodyTimeoutSeconds", 1, 3600, 60),
        r.optionalInt("server.idleTimeoutSeconds", 1, 3600, 60),
        r.optionalInt("server.maxConnections", 1, 1_000_000, 1000),
        r.optionalInt("server.maxConnectionsPerAddress", 1, 1_000_000, 200),
        r.optionalInt("server.healthPort", 0, 65535, 0));
  }

  private static final Set<String> CORE_AUTH = Set.of("basic", "token", "auto");

  private static RegistryConfig.Mediator mediator(Reader r, Path certDir) {
    boolean register = r.bool("mediator.register");
    String auth = r.text("mediator.core.auth");
    if (!CORE_AUTH.contains(auth)) {
      throw new ConfigException("mediator.core.auth", "must be one of " + CORE_AUTH + ", got '" + auth + "'");
    }
    String trust = r.optionalText("mediator.core.trustCertificate");
    String coreClient = r.optionalText("mediator.coreClientCertificate");
    String apiUrl = r.text("mediator.core.apiUrl");
    if (!apiUrl.matches("https?://[^/]+/?")) {
      throw new ConfigException("mediator.core.apiUrl", "must be http(s)://host:port, got '" + apiUrl + "'");
    }
    RegistryConfig.Core core = new RegistryConfig.Core(apiUrl.replaceAll("/$", ""), r.text("mediator.core.username"),
        r.optionalText("mediator.core.password"), auth, trust.isBlank() ? null : certDir.resolve(trust),
        r.bool("mediator.core.trustAll"), r.integer("mediator.core.timeoutSeconds", 1, 300));
    RegistryConfig.Route route = new RegistryConfig.Route(r.text("mediator.route.username"),
        r.optionalText("mediator.route.password"));
    RegistryConfig.Mediator mediator = new RegistryConfig.Mediator(register, Path.of(r.text("mediator.descriptionFile")),
        core, route, r.text("mediator.endpointHost"), r.integer("mediator.heartbeatSeconds", 1, 30),
        r.integer("mediator.configEveryBeats", 1, 10_000), r.optionalText("mediator.coreCertificateName"),
        r.bool("mediator.orchestrationBodies"), coreClient.isBlank() ? null : certDir.resolve(coreClient));
    if (register) {
      checkMediatorSecrets(mediator, r.bool("mediator.allowDevelopmentDefaults"));
    }
    return mediator;
  }

  /** Production safety (openhim.md): no default or empty passwords, no trust-all, unless explicitly developing. */
  private static void checkMediatorSecrets(RegistryConfig.Mediator m, boolean development) {
    if (m.core().password().isEmpty()) {
      throw new ConfigException("mediator.core.password", "is required in mediator mode (env "
          + envName("mediator.core.password") + ")");
    }
    if (m.route().password().length() < 12) {
      throw new ConfigException("mediator.route.password", "must be at least 12 characters in mediator mode (env "
          + envName("mediator.route.password") + "); core's channel route presents it");
    }
    if (development) {
      return;
    }
    if (m.core().password().equals("openhim-password")) {
      throw new ConfigException("mediator.core.password", "is OpenHIM's default password; change it in core, or set "
          + "mediator.allowDevelopmentDefaults for a development machine");
    }
    if (m.core().trustAll()) {
      throw new ConfigException("mediator.core.trustAll", "trusts any certificate; set mediator.core.trustCertificate "
          + "to core's certificate, or mediator.allowDevelopmentDefaults for a development machine");
    }
  }

  private static RegistryConfig.Store store(Reader r, Path configDir) {
    String storeType = r.text("store.type");
    if (!STORE_TYPES.contains(storeType)) {
      throw new ConfigException("store.type", "unknown store '" + storeType + "' (known: " + STORE_TYPES + ")");
    }
    String sync = r.text("store.synchronous");
    if (!SYNC_MODES.contains(sync)) {
      throw new ConfigException("store.synchronous", "must be one of " + SYNC_MODES + ", got '" + sync + "'");
    }
    RegistryConfig.FhirServer fhir = storeType.equals("fhirserver") ? fhirServer(r) : null;
    return new RegistryConfig.Store(storeType, besideConfig(configDir, r.text("store.dataDir")), sync,
        r.optionalBool("store.keepIndex", true), fhir, r.optionalText("store.recordIdKey"));
  }

  private static RegistryConfig.FhirServer fhirServer(Reader r) {
    String base = r.text("store.fhirServer.baseUrl").replaceAll("/+$", "");
    try {
      java.net.URI uri = java.net.URI.create(base);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new ConfigException("store.fhirServer.baseUrl", "must be an http(s) URL, got '" + base + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("store.fhirServer.baseUrl", "is not a URL: " + e.getMessage());
    }
    String user = r.optionalText("store.fhirServer.username");
    String password = r.optionalText("store.fhirServer.password");
    String bearer = r.optionalText("store.fhirServer.bearerToken");
    if (user.isEmpty() != password.isEmpty()) {
      throw new ConfigException(user.isEmpty() ? "store.fhirServer.username" : "store.fhirServer.password",
          "Basic credentials need both username and password");
    }
    if (!user.isEmpty() && !bearer.isEmpty()) {
      throw new ConfigException("store.fhirServer.bearerToken", "set either Basic credentials or a bearer token");
    }
    String trust = r.optionalText("store.fhirServer.trustPem");
    if (!trust.isEmpty() && !Files.isReadable(Path.of(trust))) {
      throw new ConfigException("store.fhirServer.trustPem", "cannot read " + trust);
    }
    return new RegistryConfig.FhirServer(base, user, password, bearer,
        r.integer("store.fhirServer.connectTimeoutMs", 100, 600_000),
        r.integer("store.fhirServer.requestTimeoutMs", 100, 600_000), trust,
        r.integer("store.fhirServer.followSeconds", 0, 86_400), r.integer("store.fhirServer.pageSize", 10, 10_000),
        r.integer("store.fhirServer.retryAfterSeconds", 1, 3_600),
        r.optionalInt("store.fhirServer.transactionsInFlight", 1, 64, 2));
  }

  private static Map<String, ClientConfig> readClients(Path file) {
    JsonNode list = readObject(file, "clientsFile").get("clients");
    if (list == null || !list.isArray()) {
      throw new ConfigException("clients", "clients file " + file + " must hold {\"clients\": [...]}");
    }
    Map<String, ClientConfig> clients = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String key = "clients[" + i + "]";
      JsonNode c = list.get(i);
      String id = requiredText(c, key + ".id");
      List<String> systems = new ArrayList<>();
      c.path("internalIdSystems").forEach(s -> systems.add(s.asText()));
      Set<Role> roles = EnumSet.noneOf(Role.class);
      c.path("roles").forEach(role -> roles.add(Role.parse(key + ".roles", role.asText())));
      List<String> pixTargets = new ArrayList<>();
      c.path("pixTargets").forEach(s -> pixTargets.add(s.asText().trim()));
      if (clients.put(id, new ClientConfig(id, c.path("name").asText(id), List.copyOf(systems),
          Collections.unmodifiableSet(roles), pixTargets)) != null) {
        throw new ConfigException(key + ".id", "duplicate client id '" + id + "'");
      }
    }
    return Collections.unmodifiableMap(clients);
  }

  private static String requiredText(JsonNode node, String key) {
    JsonNode v = node.get(key.substring(key.lastIndexOf('.') + 1));
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ConfigException(key, "is required and must be a non-empty string");
    }
    return v.asText();
  }

  private static ObjectNode readObject(Path file, String key) {
    try {
      JsonNode node = JSON.readTree(Files.readString(file));
      if (node == null || !node.isObject()) {
        throw new ConfigException(key, file + " must hold a JSON object");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Typed access to dotted keys with messages that name the key. */
  private record Reader(ObjectNode root) {
    JsonNode at(String key) {
      JsonNode node = root;
      for (String part : key.split("\\.")) {
        node = node.path(part);
      }
      if (node.isMissingNode() || node.isNull()) {
        throw new ConfigException(key, "is required");
      }
      return node;
    }

    String text(String key) {
      JsonNode v = at(key);
      if (!v.isTextual() || v.asText().isBlank()) {
        throw new ConfigException(key, "must be a non-empty string");
      }
      return v.asText();
    }

    String optionalText(String key) {
      JsonNode node = root;
      for (String part : key.split("\\.")) {
        node = node.path(part);
      }
      return node.isTextual() ? node.asText() : "";
    }

    int integer(String key, int min, int max) {
      JsonNode v = at(key);
      if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
        throw new ConfigException(key, "must be a whole number from " + min + " to " + max + ", got " + v);
      }
      return v.asInt();
    }

    /** A number added after the first release: older config files leave it out, and get the default. */
    int optionalInt(String key, int min, int max, int otherwise) {
      JsonNode node = root;
      for (String part : key.split("\\.")) {
        node = node.path(part);
      }
      return node.isMissingNode() || node.isNull() ? otherwise : integer(key, min, max);
    }

    /** A switch added after the first release: older config files leave it out, and get the default. */
    boolean optionalBool(String key, boolean otherwise) {
      JsonNode node = root;
      for (String part : key.split("\\.")) {
        node = node.path(part);
      }
      return node.isMissingNode() || node.isNull() ? otherwise : bool(key);
    }

    boolean bool(String key) {
      JsonNode v = at(key);
      if (!v.isBoolean()) {
        throw new ConfigException(key, "must be true or false, got " + v);
      }
      return v.asBoolean();
    }
  }
}
