package org.clientregistry.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The settings that can change while the registry runs (from the OpenHIM console): the clients, and switches.
 * Swapped as a whole, so a request sees either the old settings or the new ones, never a mix.
 */
public final class LiveSettings {

  /** One consistent set of changeable settings. */
  public record Values(Map<String, ClientConfig> clients, boolean orchestrationBodies, boolean auditLookups) {
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
        config.auditLookups()));
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

  /** Every configured client's internal-id system (PIX target systems that are always known). */
  public Set<String> systems() {
    Set<String> systems = new LinkedHashSet<>();
    current.get().clients().values().forEach(c -> systems.addAll(c.internalIdSystems()));
    return systems;
  }
}
