package org.clientregistry.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.pdq.Survivorship;

/**
 * The settings that can change while the registry runs (from the OpenHIM console): the clients, the identity
 * domains, PDQm survivorship, and switches.
 * Swapped as a whole, so a request sees either the old settings or the new ones, never a mix.
 */
public final class LiveSettings {

  /** One consistent set of changeable settings. */
  public record Values(Map<String, ClientConfig> clients, boolean orchestrationBodies, boolean auditLookups,
                       IdentityDomains domains, Survivorship survivorship) {
    public Values {
      clients = Map.copyOf(clients);
    }
  }

  private final AtomicReference<Values> current;

  public LiveSettings(Values initial) {
    this.current = new AtomicReference<>(initial);
  }

  public static LiveSettings from(RegistryConfig config) {
    return new LiveSettings(new Values(config.clients(), config.mediator().orchestrationBodies(),
        config.auditLookups(), IdentityDomains.of(config.identity().domains(), config.clients().values(),
            config.cruidSystem(), config.identity().acceptUnknown()), config.survivorship()));
  }

  public Values get() {
    return current.get();
  }

  public void set(Values values) {
    current.set(values);
  }

  public Optional<ClientConfig> client(String id) {
    return Optional.ofNullable(current.get().clients().get(id));
  }

  /** The identity domains in force. */
  public IdentityDomains domains() {
    return current.get().domains();
  }

  /** Whose demographics speak for a person in PDQm answers. */
  public Survivorship survivorship() {
    return current.get().survivorship();
  }
}
