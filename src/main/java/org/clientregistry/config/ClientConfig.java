package org.clientregistry.config;

import java.util.List;
import java.util.Set;

/** A system allowed to call the registry: its id (the certificate CN), the identifier systems of its own ids, its roles. */
public record ClientConfig(String id, String name, List<String> internalIdSystems, Set<Role> roles) {

  public boolean has(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }

  public boolean ownsSystem(String system) {
    return internalIdSystems.contains(system);
  }
}
