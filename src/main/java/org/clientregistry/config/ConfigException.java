package org.clientregistry.config;

/** A configuration value that cannot be used; the message names the key at fault. */
public class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super("Invalid configuration: " + key + ": " + problem);
  }
}
