package org.clientregistry.openhim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clientregistry.config.LiveSettings;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.linking.RulesRuntime;
import org.clientregistry.matching.DecisionRulesParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies config from core, all of it or none: everything is validated first; then changed decision rules are put
 * in force (index rebuilt); then the clients and switches are swapped in one step. A bad config is refused with a
 * log line and the previous one stays.
 */
public final class ConfigApplier {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkerExecutor worker;
  private final RulesRuntime rules;
  private final LiveSettings live;
  private final Path rulesFile;
  private final io.vertx.core.Vertx vertx;
  private final org.clientregistry.store.PatientStore store;
  private JsonNode appliedRules; // null until core's config first replaced the rules file's
  private Future<MediatorSettings> previous = Future.succeededFuture();
  private ConsoleConfigFile keptIn; // null: accepted configs are not kept (tests)
  private MediatorStatus status = new MediatorStatus();
  private JsonObject lastKept;

  public ConfigApplier(WorkerExecutor worker, RulesRuntime rules, LiveSettings live, Path rulesFile) {
    this(null, null, worker, rules, live, rulesFile);
  }

  /** @param store the store, whose FHIR server settings the console may change (fhirserver store only) */
  public ConfigApplier(io.vertx.core.Vertx vertx, org.clientregistry.store.PatientStore store, WorkerExecutor worker,
                       RulesRuntime rules, LiveSettings live, Path rulesFile) {
    this.vertx = vertx;
    this.store = store;
    this.worker = worker;
    this.rules = rules;
    this.live = live;
    this.rulesFile = rulesFile;
  }

  /**
   * Keeps each accepted config in {@code file} and reports acceptances and refusals to {@code status}; when the
   * registry started from a saved config, {@code restored} names it (its rules are those in force).
   */
  public ConfigApplier keeping(ConsoleConfigFile file, MediatorStatus status, ConsoleConfigFile.Restored restored) {
    this.keptIn = file;
    this.status = status;
    if (restored != null) {
      try {
        setRules(JSON.readTree(restored.settings().rulesJson()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e); // validated when restored
      }
      lastKept = restored.saved().config();
    }
    return this;
  }

  private record Checked(MediatorSettings settings, JsonNode rules, boolean rulesChanged) {}

  /** Applies configs one after the other, in the order core sent them (a rules rebuild may still be running). */
  public synchronized Future<MediatorSettings> apply(JsonObject coreConfig) {
    Future<MediatorSettings> next = previous.transform(ignored -> applyNow(coreConfig));
    previous = next;
    return next;
  }

  /** Configs from core refused since start (the metric cr_config_refused_total). */
  public long refused() {
    return refused.get();
  }

  private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

  private Future<MediatorSettings> applyNow(JsonObject coreConfig) {
    return worker.executeBlocking(() -> {
          String fileRules = Files.readString(rulesFile);
          MediatorSettings settings = MediatorSettings.parse(coreConfig, fileRules, live.get());
          // Validated here too, so that a bad rules text refuses the whole config before anything changes.
          try {
            DecisionRulesParser.parse(settings.rulesJson(), FieldExtractor::validate);
          } catch (org.clientregistry.matching.RulesException e) {
            throw new org.clientregistry.config.ConfigException("decisionRules", e.getMessage());
          }
          JsonNode tree = JSON.readTree(settings.rulesJson());
          JsonNode inForce = currentRules() != null ? currentRules() : JSON.readTree(fileRules);
          return new Checked(settings, tree, !tree.equals(inForce));
        }, false)
        .compose(c -> reconnect(c.settings().fhirServer()).compose(moved -> {
          if (c.rulesChanged()) {
            return rules.replace(c.settings().rulesJson()).map(state -> {
              setRules(c.rules());
              return c.settings();
            });
          }
          // Another FHIR server holds other records: the index is built again from it.
          return moved ? rules.reindex().map(c.settings()) : Future.succeededFuture(c.settings());
        }))
        .compose(settings -> keep(coreConfig).map(settings))
        .onSuccess(settings -> {
          live.set(settings.values());
          status.accepted();
          LOG.info("Config from OpenHIM core applied: {} client(s), {} identity domain(s), orchestration bodies {}, "
                  + "lookup audit {}, PDQm survivorship {}", settings.values().clients().size(),
              settings.values().domains().declared().size(), settings.values().orchestrationBodies() ? "on" : "off",
              settings.values().auditLookups() ? "on" : "off", settings.values().survivorship().rule().key());
        })
        .onFailure(e -> {
          refused.incrementAndGet();
          status.refused(e.getMessage());
          LOG.error("Config from OpenHIM core refused, the previous config stays: {}", e.getMessage());
        });
  }

  /** Writes an accepted config to disk (unless it is the one kept already); a failure is logged, not fatal. */
  private Future<Void> keep(JsonObject coreConfig) {
    if (keptIn == null || coreConfig.equals(lastKept)) {
      return Future.succeededFuture();
    }
    return worker.executeBlocking(() -> {
      keptIn.write(coreConfig, org.clientregistry.matching.IndexSnapshot.fingerprint(rules.get().rules()));
      lastKept = coreConfig.copy();
      return null;
    }, false).<Void>mapEmpty().recover(e -> {
      LOG.warn("The accepted OpenHIM console config could not be kept in {} ({}); a restart waits for core's",
          keptIn.path(), e.getMessage());
      return Future.succeededFuture();
    });
  }

  /**
   * Points the fhirserver store at the console's server settings when they differ from those in use (it must
   * answer first). Completes with whether the base URL changed. The embedded store has no server settings.
   */
  private Future<Boolean> reconnect(MediatorSettings.FhirServer wanted) {
    if (wanted == null) {
      return Future.succeededFuture(false);
    }
    if (!(store instanceof org.clientregistry.store.fhirserver.FhirServerStore fhir)) {
      LOG.info("FHIR server settings from the console are not used: this registry runs on the embedded store");
      return Future.succeededFuture(false);
    }
    var current = fhir.settings();
    var next = merged(current, wanted);
    if (next.equals(current)) {
      return Future.succeededFuture(false);
    }
    boolean moved = !next.baseUrl().equals(current.baseUrl());
    return fhir.reconnect(vertx, next).map(moved);
  }

  /** The registry's FHIR server settings with the console's server and credentials (none: unchanged). */
  public static org.clientregistry.config.RegistryConfig.FhirServer merged(
      org.clientregistry.config.RegistryConfig.FhirServer current, MediatorSettings.FhirServer wanted) {
    if (wanted == null || current == null) {
      return current;
    }
    return new org.clientregistry.config.RegistryConfig.FhirServer(wanted.baseUrl(), wanted.username(),
        wanted.password(), wanted.bearerToken(), current.connectTimeoutMs(), current.requestTimeoutMs(),
        current.trustPem(), current.followSeconds(), current.pageSize(), current.retryAfterSeconds(),
        current.transactionsInFlight());
  }

  private synchronized JsonNode currentRules() {
    return appliedRules;
  }

  private synchronized void setRules(JsonNode rules) {
    appliedRules = rules;
  }
}
