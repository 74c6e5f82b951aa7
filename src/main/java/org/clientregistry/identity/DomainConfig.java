package org.clientregistry.identity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.config.ConfigException;

/**
 * Reads declared identity domains, from the clients file ({@code domains}: objects with {@code system}, {@code oid},
 * {@code unique}, {@code assigners} as a list) or from the OpenHIM console (the same, {@code assigners}
 * comma-separated). Messages name the key at fault.
 */
public final class DomainConfig {
  private DomainConfig() {}

  /** The {@code domains} list of a JSON document; empty when it has none. */
  public static List<IdentityDomain> fromJson(JsonNode list, String key) {
    List<IdentityDomain> domains = new ArrayList<>();
    if (list == null || list.isMissingNode() || list.isNull()) {
      return domains;
    }
    if (!list.isArray()) {
      throw new ConfigException(key, "must be a list of identity domains");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode d = list.get(i);
      String at = key + "[" + i + "]";
      Set<String> assigners = new LinkedHashSet<>();
      JsonNode a = d.path("assigners");
      if (a.isTextual()) {
        assigners.addAll(split(a.asText()));
      } else {
        a.forEach(n -> assigners.add(n.asText().trim()));
      }
      JsonNode unique = d.path("unique");
      if (!unique.isMissingNode() && !unique.isNull() && !unique.isBoolean()) {
        throw new ConfigException(at + ".unique", "must be true or false");
      }
      domains.add(domain(at, d.path("system").asText(""), d.path("oid").asText(""), unique.asBoolean(false),
          assigners));
    }
    return domains;
  }

  /** One domain, checked: the system a URL or URN, the OID dotted digits (with or without {@code urn:oid:}). */
  public static IdentityDomain domain(String key, String system, String oid, boolean unique, Set<String> assigners) {
    String s = system.trim();
    if (!s.matches("(https?://\\S+|urn:\\S+)")) {
      throw new ConfigException(key + ".system", "must be the identifier system's URL (http(s)://… or urn:…)");
    }
    String o = oid.trim();
    if (!o.isEmpty()) {
      String digits = o.startsWith("urn:oid:") ? o.substring("urn:oid:".length()) : o;
      if (!digits.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
        throw new ConfigException(key + ".oid", "must be an OID such as 1.3.6.1.4.1.52820.3.72.5.9.1");
      }
      o = "urn:oid:" + digits;
      if (o.equals(s)) {
        o = "";
      }
    }
    if (assigners.stream().anyMatch(String::isBlank)) {
      throw new ConfigException(key + ".assigners", "names a client with an empty id");
    }
    return new IdentityDomain(s, o.isEmpty() ? null : o, unique, assigners);
  }

  static List<String> split(String commaSeparated) {
    return java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }
}
