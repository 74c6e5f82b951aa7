package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertEquals(config.survivorship(), settings.values().survivorship(), "mediator.json's PDQm survivorship");
    assertTrue(description.channelNames().contains("Client Registry FHIR"));
  }

  @Test
  void coreKeepsNoBodiesAndTheConfigHoldsNoSecrets() throws Exception {
    RegistryConfig config = ConfigLoader.load(Path.of("config"), Map.of("CR_MEDIATOR_REGISTER", "true",
        "CR_MEDIATOR_CORE_PASSWORD", "core-secret-0123", "CR_MEDIATOR_ROUTE_PASSWORD", "route-secret-0123"));
    JsonObject registration = MediatorDescription.read(config.mediator()).forRegistration(config);
    JsonObject channel = registration.getJsonArray("defaultChannelConfig").getJsonObject(0);
    // Core stores bodies unless told not to (its channel default is true): every Patient would sit in its log.
    assertEquals(false, channel.getBoolean("requestBody"));
    assertEquals(false, channel.getBoolean("responseBody"));
    assertTrue(channel.getString("description").contains("demographics"), "the reason is shown in the console");
    // GET /mediators (the list) shows config values unmasked in core 8.5: none of the registry's secrets go there.
    String shown = registration.getJsonObject("config").encode();
    assertFalse(shown.contains("route-secret-0123") || shown.contains("core-secret-0123"));
    for (Object d : registration.getJsonArray("configDefs")) {
      JsonObject def = (JsonObject) d;
      for (Object t : def.getJsonArray("template", new io.vertx.core.json.JsonArray())) {
        if ("password".equals(((JsonObject) t).getString("type"))) {
          assertEquals("", registration.getJsonObject("config").getJsonObject(def.getString("param"))
              .getString(((JsonObject) t).getString("param")), "a password parameter ships empty");
        }
      }
    }
  }
}
