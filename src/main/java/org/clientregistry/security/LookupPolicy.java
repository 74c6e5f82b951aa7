package org.clientregistry.security;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.LiveSettings;
import org.clientregistry.config.Role;
import org.clientregistry.identity.IdentityDomains;

/**
 * Which identifier systems PIX may answer a client (docs/security.md): an administrator every one; a client with
 * {@code pixTargets} those (or every one for {@code *}); any other client the clients' internal-id systems (record
 * numbers), so that national ids and other declared domains go only to clients granted them. The CRUID and the
 * client's own systems always.
 */
public final class LookupPolicy {
  private final Supplier<LiveSettings.Values> live;
  private final String cruidSystem;

  public LookupPolicy(Supplier<LiveSettings.Values> live, String cruidSystem) {
    this.live = live;
    this.cruidSystem = cruidSystem;
  }

  /** The systems (as stored: a domain's URL) this client may receive from PIX, under the settings in force. */
  public Predicate<String> pixTargets(ClientConfig client) {
    LiveSettings.Values values = live.get();
    if (client.roles().contains(Role.ADMIN) || client.pixTargets().contains(ClientConfig.ANY_SYSTEM)) {
      return system -> true;
    }
    IdentityDomains domains = values.domains();
    Set<String> allowed = new HashSet<>();
    allowed.add(cruidSystem);
    client.internalIdSystems().forEach(s -> allowed.add(domains.canonical(s)));
    if (client.pixTargets().isEmpty()) {
      values.clients().values().forEach(c -> c.internalIdSystems().forEach(s -> allowed.add(domains.canonical(s))));
    } else {
      client.pixTargets().forEach(s -> allowed.add(domains.canonical(s)));
    }
    return allowed::contains;
  }
}
