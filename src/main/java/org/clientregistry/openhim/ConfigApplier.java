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
  private JsonNode appliedRules; // null until core's config first replaced the rules file's
  private Future<MediatorSettings> previous = Future.succeededFuture();

  public ConfigApplier(WorkerExecutor worker, RulesRuntime rules, LiveSettings live, Path rulesFile) {
    this.worker = worker;
    this.rules = rules;
    this.live = live;
    this.rulesFile = rulesFile;
  }

  private record Checked(MediatorSettings settings, JsonNode rules, boolean rulesChanged) {}

  /** Applies configs one after the other, in the order core sent them (a rules rebuild may still be running). */
  public synchronized Future<MediatorSettings> apply(JsonObject coreConfig) {
    Future<MediatorSettings> next = previous.transform(ignored -> applyNow(coreConfig));
    previous = next;
    return next;
  }

  private Future<MediatorSettings> applyNow(JsonObject coreConfig) {
    return worker.executeBlocking(() -> {
          String fileRules = Files.readString(rulesFile);
          MediatorSettings settings = MediatorSettings.parse(coreConfig, fileRules);
          // Validated here too, so that a bad rules text refuses the whole config before anything changes.
          DecisionRulesParser.parse(settings.rulesJson(), FieldExtractor::validate);
          JsonNode tree = JSON.readTree(settings.rulesJson());
          JsonNode inForce = currentRules() != null ? currentRules() : JSON.readTree(fileRules);
          return new Checked(settings, tree, !tree.equals(inForce));
        }, false)
        .compose(c -> !c.rulesChanged()
            ? Future.succeededFuture(c.settings())
            : rules.replace(c.settings().rulesJson()).map(state -> {
              setRules(c.rules());
              return c.settings();
            }))
        .onSuccess(settings -> {
          live.set(settings.values());
          LOG.info("Config from OpenHIM core applied: {} client(s), orchestration bodies {}, lookup audit {}",
              settings.values().clients().size(), settings.values().orchestrationBodies() ? "on" : "off",
              settings.values().auditLookups() ? "on" : "off");
        })
        .onFailure(e -> LOG.error("Config from OpenHIM core refused, the previous config stays: {}",
            e.getMessage()));
  }

  private synchronized JsonNode currentRules() {
    return appliedRules;
  }

  private synchronized void setRules(JsonNode rules) {
    appliedRules = rules;
  }
}
