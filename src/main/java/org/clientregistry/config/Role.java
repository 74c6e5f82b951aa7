package org.clientregistry.config;

import java.util.Locale;

/** What a client may do: pos (submit, CRUIDs, PIX, $match without demographics) or admin (everything). */
public enum Role {
  POS, ADMIN;

  public static Role parse(String key, String value) {
    try {
      return Role.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "unknown role '" + value + "' (known: pos, admin)");
    }
  }
}
