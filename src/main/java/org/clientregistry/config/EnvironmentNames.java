package org.clientregistry.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code CR_} variable that overrides no key is a start-up error: a misspelled one would otherwise be ignored
 * without a word, and the registry would run with a setting its operator believes changed.
 */
final class EnvironmentNames {
  /** Read elsewhere: the config folder (Main) and the log levels (logback.xml). */
  private static final Set<String> OTHERS = Set.of("CR_CONFIG_DIR", "CR_LOG_LEVEL", "CR_ACCESS_LOG_LEVEL");

  private EnvironmentNames() {}

  static void check(JsonNode config, Map<String, String> env) {
    Set<String> known = new TreeSet<>(OTHERS);
    collect(config, "", known);
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith("CR_") && !known.contains(name)) {
        throw new ConfigException(name, "environment variable " + name + " overrides no key of config.json; check "
            + "its spelling (docs/configuration.md), or add the key to config.json if it is from a newer version");
      }
    }
  }

  private static void collect(JsonNode node, String prefix, Set<String> names) {
    node.fields().forEachRemaining(e -> {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject()) {
        collect(e.getValue(), path, names);
      } else {
        names.add(ConfigLoader.envName(path));
      }
    });
  }
}
