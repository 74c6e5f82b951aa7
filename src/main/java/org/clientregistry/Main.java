package org.clientregistry;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.matching.RulesException;
import org.clientregistry.tools.EstimateCommand;
import org.clientregistry.tools.EvaluateCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the registry from config/ (see docs/configuration.md); stops cleanly on SIGTERM. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("evaluate")) {
      EvaluateCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("bench")) {
      org.clientregistry.bench.BenchCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("user")) {
      org.clientregistry.users.UserCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("estimate")) {
      EstimateCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    RegistryConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions());
    Registry registry;
    try {
      registry = Registry.start(vertx, config).await(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
          ? e.getCause() : e;
      if (cause instanceof ConfigException || cause instanceof RulesException) {
        System.err.println(cause.getMessage());
      } else {
        LOG.error("The registry could not start: {}", cause.getMessage(), cause);
      }
      vertx.close();
      System.exit(1);
      return;
    }
    printHowToCall(config);
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
  }

  private static void printHowToCall(RegistryConfig config) {
    String certs = config.tls().certificatesDir().toString();
    System.out.println();
    System.out.println("Client registry ready at " + config.baseUrl() + "/fhir");
    System.out.println("Try it (as the openmrs client):");
    System.out.println("  curl --cacert " + certs + "/ca.crt --cert " + certs + "/clients/openmrs.crt --key " + certs
        + "/clients/openmrs.key " + config.baseUrl() + "/fhir/metadata");
    System.out.println();
  }
}
