package org.clientregistry.config;

import java.util.Locale;

/**
 * What a client may do: pos (submit, CRUIDs, PIX, $match without demographics), pdq (PDQm demographic search:
 * demographics of every linked system, so never granted to point-of-service systems by default), subscribe
 * (rest-hook subscriptions to patient changes, ITI-94; notifications carry identifiers only) or admin (everything).
 */
public enum Role {
  POS, PDQ, SUBSCRIBE, ADMIN;

  public static Role parse(String key, String value) {
    try {
      return Role.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "unknown role '" + value + "' (known: pos, pdq, subscribe, admin)");
    }
  }
}
