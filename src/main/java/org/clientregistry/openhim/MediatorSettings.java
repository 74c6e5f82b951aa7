package org.clientregistry.openhim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.LiveSettings;
import org.clientregistry.config.Role;
import org.clientregistry.identity.DomainConfig;
import org.clientregistry.identity.IdentityDomain;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.pdq.Survivorship;

/**
 * The config core pushes (the {@code configDefs} of mediator.json), validated in full before anything is applied.
 * Messages name the parameter at fault, never a value (password parameters must not reach the logs).
 */
public record MediatorSettings(String rulesJson, LiveSettings.Values values, FhirServer fhirServer) {

  /** FHIR server connection from the console; null when its base URL is empty (the registry's own config). */
  public record FhirServer(String baseUrl, String username, String password, String bearerToken) {}
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param config        the object core sent
   * @param fileRulesJson the rules file's text, used when {@code decisionRules} is empty
   */
  public static MediatorSettings parse(JsonObject config, String fileRulesJson) {
    return parse(config, fileRulesJson, null);
  }

  /**
   * @param live the settings in force (null: none yet): their identity domains and PDQm survivorship are kept
   *             when the config has none (a config saved in core before these settings existed), and their domains
   *             give the CRUID system
   */
  public static MediatorSettings parse(JsonObject config, String fileRulesJson, LiveSettings.Values live) {
    IdentityDomains inForce = live == null ? null : live.domains();
    String rules = text(config, "decisionRules");
    String base = rules.isBlank() ? fileRulesJson : rules;
    String withThresholds = applyThresholds(base, array(config, "thresholds"));
    Map<String, ClientConfig> clients = clients(array(config, "clients"));
    List<IdentityDomain> declared = config.getValue("domains") == null && inForce != null ? inForce.declared()
        : domains(array(config, "domains"));
    boolean acceptUnknown = config.getValue("acceptUnknownDomains") == null && inForce != null
        ? inForce.acceptsUnknown() : bool(config, "acceptUnknownDomains");
    // The same client checks as the clients file at start: a pushed config that fails them is refused.
    org.clientregistry.config.ProductionChecks.clients(clients, declared,
        inForce == null ? null : inForce.cruidSystem());
    IdentityDomains domains = inForce != null ? inForce.with(declared, clients.values(), acceptUnknown)
        : IdentityDomains.of(declared, clients.values(), null, acceptUnknown);
    return new MediatorSettings(withThresholds, new LiveSettings.Values(clients,
        bool(config, "orchestrationBodies"), bool(config, "auditLookups"), domains,
        survivorship(config, clients, live == null ? null : live.survivorship())), fhirServer(config));
  }

  /** PDQm survivorship; the trusted clients must be clients of this config (a kept rule's too). */
  private static Survivorship survivorship(JsonObject config, Map<String, ClientConfig> clients,
                                           Survivorship inForce) {
    Survivorship s;
    if (config.getValue("pdqSurvivorship") == null && inForce != null) {
      s = inForce;
    } else {
      try {
        s = Survivorship.parse(text(config, "pdqSurvivorship"), text(config, "pdqTrustedClients"),
            "the trusted clients");
      } catch (IllegalArgumentException e) {
        throw new ConfigException("pdqSurvivorship", e.getMessage());
      }
    }
    s.unknownClient(clients.keySet()).ifPresent(id -> {
      throw new ConfigException("pdqTrustedClients", "'" + id + "' is no client of this config");
    });
    return s;
  }

  /** The console's domains: system, OID, unique, and the assigning clients comma-separated ({@code *}: any). */
  private static List<IdentityDomain> domains(JsonArray list) {
    List<IdentityDomain> domains = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String key = "domains[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject d)) {
        throw new ConfigException(key, "must be an object");
      }
      Set<String> assigners = new java.util.LinkedHashSet<>();
      Arrays.stream(text(d, "assigners").split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .forEach(assigners::add);
      domains.add(DomainConfig.domain(key, text(d, "system"), text(d, "oid"), bool(d, "unique"), assigners));
    }
    return domains;
  }

  private static FhirServer fhirServer(JsonObject config) {
    Object v = config.getValue("fhirServer");
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new ConfigException("fhirServer", "must be an object");
    }
    String baseUrl = o.getString("baseUrl", "").trim();
    if (baseUrl.isEmpty()) {
      return null;
    }
    if (!baseUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
      throw new ConfigException("fhirServer.baseUrl", "must be an http(s) URL");
    }
    FhirServer s = new FhirServer(baseUrl.replaceAll("/+$", ""), o.getString("username", ""),
        o.getString("password", ""), o.getString("bearerToken", ""));
    if (s.username().isEmpty() != s.password().isEmpty()) {
      throw new ConfigException("fhirServer.password", "user name and password go together");
    }
    if (!s.username().isEmpty() && !s.bearerToken().isEmpty()) {
      throw new ConfigException("fhirServer.bearerToken", "use a user name and password, or a bearer token, not both");
    }
    return s;
  }

  private static Map<String, ClientConfig> clients(JsonArray list) {
    if (list.isEmpty()) {
      throw new ConfigException("clients", "at least one client is needed");
    }
    Map<String, ClientConfig> clients = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String key = "clients[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject c)) {
        throw new ConfigException(key, "must be an object");
      }
      String id = c.getString("id", "").trim();
      if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
        throw new ConfigException(key + ".id", "must be 1-64 letters, digits, '.', '_' or '-' (the OpenHIM client id)");
      }
      List<String> systems = Arrays.stream(c.getString("internalIdSystems", "").split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).toList();
      if (systems.isEmpty()) {
        throw new ConfigException(key + ".internalIdSystems", "names at least one identifier system (a URI)");
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (String role : c.getString("roles", "pos").split("\\+")) {
        roles.add(Role.parse(key + ".roles", role.trim()));
      }
      List<String> pixTargets = Arrays.stream(c.getString("pixTargets", "").split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).toList();
      if (clients.put(id, new ClientConfig(id, c.getString("name", id), systems, roles, pixTargets)) != null) {
        throw new ConfigException(key + ".id", "repeats the client id '" + id + "'");
      }
    }
    return clients;
  }

  /** Overrides the thresholds of named rule sets, so that tuning needs no edit of the rules text. */
  private static String applyThresholds(String rulesJson, JsonArray overrides) {
    if (overrides.isEmpty()) {
      return rulesJson;
    }
    JsonNode root;
    try {
      root = JSON.readTree(rulesJson);
    } catch (java.io.IOException e) {
      throw new ConfigException("decisionRules", "is not valid JSON");
    }
    if (root == null || !root.path("rules").isArray()) {
      throw new ConfigException("thresholds", "need decision rules in the {\"rules\": [...]} format");
    }
    for (int i = 0; i < overrides.size(); i++) {
      String key = "thresholds[" + i + "]";
      JsonObject o = overrides.getJsonObject(i);
      String name = o.getString("ruleSet", "");
      ObjectNode target = null;
      for (JsonNode rule : root.path("rules")) {
        if (name.equals(rule.path("name").asText())) {
          target = (ObjectNode) rule;
        }
      }
      if (target == null) {
        throw new ConfigException(key + ".ruleSet", "names no rule set of the decision rules");
      }
      for (String t : new String[] {"autoMatchThreshold", "potentialMatchThreshold"}) {
        Object v = o.getValue(t);
        if (v instanceof Number n) {
          target.put(t, n.doubleValue());
        } else if (v != null && !(v instanceof String s && s.isBlank())) {
          throw new ConfigException(key + "." + t, "must be a number");
        }
      }
    }
    return root.toString();
  }

  private static String text(JsonObject config, String key) {
    Object v = config.getValue(key);
    if (v == null) {
      return "";
    }
    if (!(v instanceof String s)) {
      throw new ConfigException(key, "must be text");
    }
    return s;
  }

  private static JsonArray array(JsonObject config, String key) {
    Object v = config.getValue(key);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw new ConfigException(key, "must be a list");
    }
    return a;
  }

  private static boolean bool(JsonObject config, String key) {
    Object v = config.getValue(key);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new ConfigException(key, "must be true or false");
    }
    return b;
  }
}
