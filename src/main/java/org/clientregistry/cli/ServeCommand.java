package org.clientregistry.cli;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.clientregistry.Registry;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.matching.RulesException;
import org.clientregistry.metrics.VertxMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code serve}: starts the registry from a config directory and stops it cleanly on SIGTERM or Ctrl-C. */
final class ServeCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  ServeCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run(Path configDir) {
    RegistryConfig config;
    try {
      config = ConfigLoader.load(configDir, env);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Cli.USAGE;
    }
    warnUnknownVariables(configDir);
    if (start(config) == null) {
      return Cli.FAILED;
    }
    printHowToCall(config);
    return Cli.RUNNING;
  }

  /** A misspelt variable would otherwise be ignored without a word, and the registry run with the default. */
  void warnUnknownVariables(Path configDir) {
    List<String> unknown = ConfigLoader.unknownVariables(configDir, env);
    if (!unknown.isEmpty()) {
      LOG.warn("Unknown environment variables, ignored (no such setting, see docs/configuration.md): {}",
          String.join(", ", unknown));
    }
  }

  /** Starts a registry that a shutdown hook stops; null (after saying why) when it could not start. */
  Registry start(RegistryConfig config) {
    Vertx vertx = VertxMeters.newVertx(new io.vertx.core.VertxOptions());
    Registry registry;
    try {
      registry = Registry.start(vertx, config).await(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException || cause instanceof RulesException) {
        err.println(cause.getMessage());
      } else {
        LOG.error("The registry could not start: {}", cause.getMessage(), cause);
      }
      vertx.close();
      return null;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Shutting down");
      try {
        registry.stop().await(50, TimeUnit.SECONDS); // drains writes, keeps the index on disk, closes the store
        vertx.close().await(10, TimeUnit.SECONDS);
        LOG.info("Stopped");
      } catch (Exception e) {
        LOG.warn("Unclean shutdown: {}", e.toString());
      }
    }, "shutdown"));
    return registry;
  }

  private void printHowToCall(RegistryConfig config) {
    String certs = config.tls().certificatesDir().toString();
    out.println();
    out.println("Client registry ready at " + config.baseUrl() + "/fhir");
    out.println("Try it (as the openmrs client):");
    out.println("  curl --cacert " + certs + "/ca.crt --cert " + certs + "/clients/openmrs.crt --key " + certs
        + "/clients/openmrs.key " + config.baseUrl() + "/fhir/metadata");
    out.println();
  }
}
