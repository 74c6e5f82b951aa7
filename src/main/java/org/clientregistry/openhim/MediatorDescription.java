package org.clientregistry.openhim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.RegistryConfig;

/**
 * {@code mediator.json}: what the registry tells core about itself. Read from the configured file, or from the copy
 * packaged in the jar. At registration the endpoint and the channel's route get this deployment's host, port and
 * route credentials, so that no password is ever kept in the file.
 */
public record MediatorDescription(JsonObject document) {

  public static MediatorDescription read(RegistryConfig.Mediator config) {
    try {
      String text;
      if (Files.isReadable(config.descriptionFile())) {
        text = Files.readString(config.descriptionFile());
      } else {
        try (InputStream in = MediatorDescription.class.getResourceAsStream("/mediator.json")) {
          if (in == null) {
            throw new ConfigException("mediator.descriptionFile", "cannot read " + config.descriptionFile());
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      JsonObject doc = new JsonObject(text);
      for (String key : new String[] {"urn", "version", "name", "endpoints", "defaultChannelConfig", "configDefs",
          "config"}) {
        if (!doc.containsKey(key)) {
          throw new ConfigException("mediator.descriptionFile", "mediator.json lacks '" + key + "'");
        }
      }
      return new MediatorDescription(doc);
    } catch (IOException | io.vertx.core.json.DecodeException e) {
      throw new ConfigException("mediator.descriptionFile", "cannot read " + config.descriptionFile() + ": "
          + e.getMessage());
    }
  }

  public String urn() {
    return document.getString("urn");
  }

  public String version() {
    return document.getString("version");
  }

  /** The config core starts from (and shows in the console) before anyone changes it. */
  public JsonObject defaultConfig() {
    return document.getJsonObject("config").copy();
  }

  /** The body of {@code POST /mediators}: this deployment's endpoint and route credentials filled in. */
  public JsonObject forRegistration(RegistryConfig config) {
    JsonObject doc = document.copy();
    RegistryConfig.Mediator m = config.mediator();
    String port = String.valueOf(config.server().port());
    boolean secured = config.server().tls();
    for (Object e : doc.getJsonArray("endpoints", new JsonArray())) {
      ((JsonObject) e).put("host", m.endpointHost()).put("port", port).put("type", "http").put("secured", secured);
    }
    for (Object c : doc.getJsonArray("defaultChannelConfig", new JsonArray())) {
      for (Object r : ((JsonObject) c).getJsonArray("routes", new JsonArray())) {
        ((JsonObject) r).put("host", m.endpointHost()).put("port", port).put("secured", secured)
            .put("username", m.route().username()).put("password", m.route().password());
      }
    }
    return doc;
  }

  /** Names of the channels core can install from this description. */
  public JsonArray channelNames() {
    JsonArray names = new JsonArray();
    doc().getJsonArray("defaultChannelConfig", new JsonArray())
        .forEach(c -> names.add(((JsonObject) c).getString("name")));
    return names;
  }

  private JsonObject doc() {
    return document;
  }
}
