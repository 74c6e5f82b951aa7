package org.clientregistry.config;

import java.util.List;
import java.util.Set;

/**
 * A system allowed to call the registry: its id (the certificate CN), the identifier systems of its own ids, its
 * roles, and the identifier systems PIX may answer it besides the CRUID and its own ({@code pixTargets}; empty: the
 * clients' internal-id systems; {@code *}: every system; docs/security.md).
 */
public record ClientConfig(String id, String name, List<String> internalIdSystems, Set<Role> roles,
                           List<String> pixTargets) {
  public static final String ANY_SYSTEM = "*";

  public ClientConfig {
    pixTargets = List.copyOf(pixTargets);
  }

  public ClientConfig(String id, String name, List<String> internalIdSystems, Set<Role> roles) {
    this(id, name, internalIdSystems, roles, List.of());
  }

  public boolean has(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }

  public boolean ownsSystem(String system) {
    return internalIdSystems.contains(system);
  }
}
