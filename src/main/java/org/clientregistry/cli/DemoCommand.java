package org.clientregistry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.clientregistry.bench.SyntheticPatients;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.importer.ImportJob;
import org.clientregistry.importer.Readers;

/**
 * {@code demo}: a registry of its own (data and certificates under one folder), loaded through {@code import} with
 * synthetic patients that three systems recorded, some of them more than once and a little differently; then
 * what to try.
 */
final class DemoCommand {
  private static final String MARKER = "client-registry-demo";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final Path configDir;

  DemoCommand(PrintStream out, PrintStream err, Map<String, String> env, Path configDir) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.configDir = configDir;
  }

  int run(Options o) throws IOException {
    Integer records = o.integer("records", 3000);
    Integer seed = o.integer("seed", 7);
    Integer port = o.integer("port", 3000);
    if (records == null || records < 1 || records > 1_000_000 || seed == null || port == null) {
      err.println("error: --records (1 to 1000000), --seed and --port take whole numbers");
      err.print(Usage.of("demo"));
      return Cli.USAGE;
    }
    Path dir = o.path("dir", Path.of("target", "demo")).toAbsolutePath();
    if (!emptied(dir)) {
      err.println("error: " + dir + " is not empty and not a demo folder; give another --dir");
      return Cli.USAGE;
    }
    Map<String, String> demoEnv = new HashMap<>(env);
    demoEnv.putAll(Map.of("CR_SERVER_PORT", port.toString(), "CR_STORE_DATA_DIR", dir.resolve("data").toString(),
        "CR_TLS_CERTIFICATES_DIR", dir.resolve("certificates").toString(), "CR_STORE_SYNCHRONOUS", "normal",
        "CR_TLS_CREATE_DEV_CERTIFICATES", "true", "CR_MEDIATOR_REGISTER", "false"));
    RegistryConfig config;
    try {
      config = ConfigLoader.load(configDir, demoEnv);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Cli.USAGE;
    }
    ServeCommand serve = new ServeCommand(out, err, demoEnv);
    serve.warnUnknownVariables(configDir);
    if (serve.start(config) == null) {
      return Cli.FAILED;
    }
    Map<String, List<SyntheticPatients.Record>> byClient = generate(records, seed);
    for (var e : byClient.entrySet()) {
      out.println("Importing " + e.getValue().size() + " records as " + e.getKey());
      if (!load(dir, config, e.getKey(), e.getValue())) {
        return Cli.FAILED;
      }
    }
    printWhatToTry(dir, config, byClient);
    return Cli.RUNNING;
  }

  /** Makes the folder afresh; a folder with other things in it is left alone. */
  private static boolean emptied(Path dir) throws IOException {
    if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
      try (var files = Files.list(dir)) {
        if (files.findAny().isPresent()) {
          return false;
        }
      }
    }
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "made by the demo command; emptied by its next run\n");
    return true;
  }

  private static Map<String, List<SyntheticPatients.Record>> generate(int records, long seed) {
    Map<String, List<SyntheticPatients.Record>> byClient = new LinkedHashMap<>();
    for (SyntheticPatients.Record r : new SyntheticPatients(seed, 0.3).next(records)) {
      byClient.computeIfAbsent(r.client(), k -> new ArrayList<>()).add(r);
    }
    return byClient;
  }

  private boolean load(Path dir, RegistryConfig config, String client, List<SyntheticPatients.Record> records)
      throws IOException {
    Path input = dir.resolve("input/" + client + ".ndjson");
    Files.createDirectories(input.getParent());
    Files.write(input, records.stream().map(r -> r.patient().encode()).toList());
    ImportJob.Settings settings = new ImportJob.Settings(input, Readers.Format.NDJSON, null, null, client,
        URI.create(config.baseUrl()), config.tls().certificatesDir(), 200,
        dir.resolve("input/" + client + ".report.csv"), dir.resolve("input/" + client + ".state.json"), true);
    return new ImportJob(settings, out, done -> { }).run();
  }

  /** A record the last import linked to another system's record of the person, to look up; commands to paste. */
  private void printWhatToTry(Path dir, RegistryConfig config, Map<String, List<SyntheticPatients.Record>> byClient)
      throws IOException {
    String lastClient = new ArrayList<>(byClient.keySet()).get(byClient.size() - 1);
    List<SyntheticPatients.Record> last = byClient.get(lastClient);
    SyntheticPatients.Record shared = last.get(0);
    try (CSVParser report = CSVParser.builder().setPath(dir.resolve("input/" + lastClient + ".report.csv"))
        .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
      for (CSVRecord line : report) {
        if (line.get("outcome").equals("linked")) {
          shared = last.get(Integer.parseInt(line.get("row")) - 1);
          break;
        }
      }
    }
    String certs = config.tls().certificatesDir().toString();
    String curl = "curl -s --cacert " + certs + "/ca.crt --cert " + certs + "/clients/%1$s.crt --key " + certs
        + "/clients/%1$s.key ";
    String base = config.baseUrl();
    out.println();
    out.println("Demo registry ready at " + base + "/fhir (data and certificates in " + dir + ")");
    out.println("Import reports: " + dir.resolve("input") + "/<client>.report.csv");
    out.println();
    out.println("Who is " + shared.client() + "'s " + shared.internalId() + "? Every identifier of the person (as lims):");
    out.println("  " + String.format(curl, "lims") + "'" + base + "/fhir/Patient/$ihe-pix?sourceIdentifier="
        + "http://clientregistry.org/" + shared.client() + "|" + shared.internalId() + "'");
    out.println("The registry's counters (outcomes, review backlog, index size, latency):");
    out.println("  curl -s --cacert " + certs + "/ca.crt " + base + "/metrics | grep '^cr_'");
    out.println("Import a labelled data set as dhis2 (in another terminal, from the project folder):");
    out.println("  java -jar target/client-registry.jar import --client dhis2 --certificates " + certs + " --url "
        + base + " --file src/test/resources/datasets/opencr-uganda/uganda_data_v21_20201501.csv"
        + " --mapping config/examples/mappings/opencr-uganda.json --report " + dir.resolve("uganda.report.csv")
        + " --state " + dir.resolve("uganda.state.json"));
    out.println("Stop with Ctrl-C. A new `demo` starts from scratch; `serve` keeps its own data in ./data.");
    out.println();
  }
}
