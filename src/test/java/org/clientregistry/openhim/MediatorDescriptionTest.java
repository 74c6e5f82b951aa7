package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.Registry;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.junit.jupiter.api.Test;

/** mediator.json stays in step with the shipped config: its default config is what the files configure. */
class MediatorDescriptionTest {

  @Test
  void defaultConfigIsTheShippedRulesAndClients() throws Exception {
    RegistryConfig config = ConfigLoader.load(Path.of("config"), Map.of());
    MediatorDescription description = MediatorDescription.read(config.mediator());
    assertEquals(Registry.VERSION, description.version(), "bump mediator.json's version with the registry's");

    ObjectMapper json = new ObjectMapper();
    JsonObject defaults = description.defaultConfig();
    assertEquals(json.readTree(Files.readString(Path.of("config/decision-rules.json"))),
        json.readTree(defaults.getString("decisionRules")), "mediator.json decisionRules differ from the rules file");

    MediatorSettings settings = MediatorSettings.parse(defaults, "{}");
    assertEquals(config.clients(), settings.values().clients());
    assertEquals(config.identity().domains(), settings.values().domains().declared(),
        "mediator.json domains differ from clients.json's");
    assertEquals(config.identity().acceptUnknown(), settings.values().domains().acceptsUnknown());
    assertTrue(description.channelNames().contains("Client Registry FHIR"));
  }
}
