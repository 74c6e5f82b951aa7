package org.clientregistry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.importer.ImportJob;
import org.clientregistry.importer.Readers;

/** {@code import}: its options, their defaults from the config directory, and the run. */
final class ImportCommand {
  static final List<String> NAMES = List.of("file", "client", "mapping", "format", "url", "certificates",
      "id-system", "batch", "report", "state", "restart");

  private ImportCommand() {}

  /** The first problem with the options (the usage follows it), or null. */
  static String check(Options o) {
    if (!o.has("file") || !o.has("client")) {
      return "--file and --client are required";
    }
    if (!Files.isReadable(Path.of(o.get("file", "")))) {
      return "cannot read " + o.get("file", "");
    }
    if (o.has("format") && !List.of("csv", "ndjson", "bundle").contains(o.get("format", ""))) {
      return "--format must be csv, ndjson or bundle";
    }
    if (format(o) == Readers.Format.CSV && !o.has("mapping")) {
      return "a CSV file needs --mapping (see config/examples/mappings)";
    }
    Integer batch = o.integer("batch", 100);
    if (batch == null || batch < 1 || batch > 10_000) {
      return "--batch must be a whole number from 1 to 10000";
    }
    return null;
  }

  static int run(Options o, Path configDir, Map<String, String> env, PrintStream out, PrintStream err)
      throws IOException {
    String client = o.get("client", "");
    Path file = Path.of(o.get("file", ""));
    RegistryConfig config = null;
    if (!o.has("url") || !o.has("certificates") || format(o) == Readers.Format.CSV && !o.has("id-system")) {
      try {
        config = ConfigLoader.load(configDir, env);
      } catch (ConfigException e) {
        err.println("error: the defaults come from " + configDir + ", which does not load (" + e.getMessage()
            + "); give --url, --certificates and --id-system");
        return Cli.USAGE;
      }
    }
    String idSystem = o.get("id-system", null);
    if (idSystem == null && config != null) {
      ClientConfig c = config.client(client).orElse(null);
      if (c == null || c.internalIdSystems().isEmpty()) {
        err.println("error: no client '" + client + "' with an internal identifier system in " + configDir
            + "; give --id-system");
        return Cli.USAGE;
      }
      idSystem = c.internalIdSystems().get(0);
    }
    String name = file.getFileName().toString();
    Path reports = Path.of("imports");
    if (!o.has("report") || !o.has("state")) {
      Files.createDirectories(reports);
    }
    ImportJob.Settings settings = new ImportJob.Settings(file, format(o), o.path("mapping", null), idSystem, client,
        URI.create(o.get("url", "https://localhost:" + (config == null ? 3000 : config.server().port()))),
        o.path("certificates", config == null ? null : config.tls().certificatesDir()), o.integer("batch", 100),
        o.path("report", reports.resolve(name + ".report.csv")), o.path("state", reports.resolve(name + ".state.json")),
        o.has("restart"));
    return new ImportJob(settings, out, done -> { }).run() ? Cli.OK : Cli.FAILED;
  }

  private static Readers.Format format(Options o) {
    return o.has("format") ? Readers.Format.valueOf(o.get("format", "").toUpperCase(java.util.Locale.ROOT))
        : Readers.guess(Path.of(o.get("file", "")));
  }
}
