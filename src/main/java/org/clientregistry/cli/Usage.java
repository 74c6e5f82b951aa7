package org.clientregistry.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The usage text of the jar and of each command ({@code --help}, {@code help COMMAND}). */
final class Usage {
  static final String JAR = "java -jar client-registry.jar";

  /** Command → its one-line purpose, in the order the overview lists them. */
  static final Map<String, String> SUMMARIES = new LinkedHashMap<>();

  static {
    SUMMARIES.put("serve", "start the registry (also what no command at all does)");
    SUMMARIES.put("demo", "start a registry loaded with synthetic patients from three systems, and say what to try");
    SUMMARIES.put("import", "load a CSV, NDJSON or FHIR Bundle file into a running registry as one client");
    SUMMARIES.put("user", "manage the console's users: add NAME [--role admin|viewer], password, disable, enable");
    SUMMARIES.put("rematch", "re-check every automatic link of a running registry under its rules: dry run or --apply");
    SUMMARIES.put("evaluate", "link a labelled CSV and print precision, recall and F1");
    SUMMARIES.put("estimate", "suggest m and u values for probabilistic rules from unlabelled records");
    SUMMARIES.put("bench", "measure a registry started as its own process (throughput, latency, restart)");
    SUMMARIES.put("help", "print this, or the usage of one command: help COMMAND");
  }

  private static final Map<String, String> DETAILS = Map.of(
      "serve", """
          usage: %1$s [serve] [--config DIR]
            --config DIR  the config directory (default: CR_CONFIG_DIR, else ./config). Relative data and
                          certificates folders lie beside it: --config /opt/cr/config uses /opt/cr/data.
          Every setting can be overridden by a CR_* variable (docs/configuration.md); an unknown one is reported.
          Stop with Ctrl-C or SIGTERM (a clean stop keeps the matching index on disk).""",
      "demo", """
          usage: %1$s demo [--records N] [--seed N] [--port N] [--dir DIR]
            --records N  synthetic source records to load (default 3000; about a third are duplicates)
            --seed N     the generator's seed (default 7): the same seed gives the same patients
            --port N     the HTTPS port (default 3000)
            --dir DIR    where the demo keeps its data and certificates (default target/demo; emptied first)
          Uses the shipped config/ (or CR_CONFIG_DIR); stop it with Ctrl-C.""",
      "import", """
          usage: %1$s import --file FILE --client ID [--mapping FILE] [--format csv|ndjson|bundle]
                 [--url URL] [--certificates DIR] [--id-system URI] [--batch N] [--report FILE] [--state FILE]
                 [--restart]
            --file FILE         the records: .csv (needs --mapping), .ndjson (one Patient per line), or .json (a
                                Bundle, or one Patient)
            --client ID         the client they are submitted as; its certificate is
                                <certificates>/clients/ID.crt and .key
            --mapping FILE      CSV only: column mapping, as evaluate's (config/examples/mappings)
            --id-system URI     CSV only: system of the idColumn's identifier (default: the client's first
                                internalIdSystems in config/clients.json)
            --url URL           the running registry (default https://localhost:<server.port of the config>)
            --certificates DIR  ca.crt and clients/ (default: certificates beside the config directory)
            --batch N           records per batch Bundle (default 100)
            --report FILE       the CSV report, a line per record: row, outcome (created, linked, review,
                                updated, unchanged, refused), CRUID, reason (default imports/NAME.report.csv)
            --state FILE        progress kept for a resume (default imports/NAME.state.json)
            --restart           ignore a saved state and start from the first record
          An interrupted import run again with the same options goes on after the last batch that was answered.""",
      "user", """
          usage: %1$s user add NAME [--role admin|viewer] | user password NAME | user disable NAME
                 | user enable NAME
            Asks for the password twice (or reads one line from standard input). See docs/administration.md.""",
      "rematch", """
          usage: %1$s rematch [--apply] [--url https://localhost:3000] [--certificates certificates]
                 [--client admin]
            Re-evaluates every automatic link of a running registry under the decision rules in force.
            Without --apply: a dry run that reports what would change and writes nothing.
            --apply      applies in batches (resumes where an interrupted run stopped) and shows progress
            --client ID  an admin client whose certificate is <certificates>/clients/ID.crt and .key
          See docs/administration.md.""",
      "evaluate", """
          usage: %1$s evaluate --data FILE[,FILE...] --mapping FILE [--rules FILE] [--sweep FROM:TO:STEP]
                 [--orders N] [--max-candidates N] [--nicknames FILE] [--out DIR]
          Links a labelled CSV through the registry's linking code; see docs/matching-quality.md.""",
      "estimate", """
          usage: %1$s estimate (--data FILE[,FILE...] --mapping FILE | --store DATA_DIR) [--rules FILE]
                 [--random-pairs N] [--iterations N] [--out FILE]
          Suggests m and u values from unlabelled records; see docs/decision-rules.md.""",
      "bench", """
          usage: %1$s bench [--records N] [--warmup N] [--preload N] [--clients N] [--bundle-size N]
                 [--lookups N] [--duplicates 0.3] [--seed 42] [--heap 2g] [--out target/bench]
          Starts the registry as its own process and measures it; see docs/benchmarks.md.""",
      "help", """
          usage: %1$s help [COMMAND]""");

  private Usage() {}

  static String overview() {
    StringBuilder b = new StringBuilder("usage: " + JAR + " [COMMAND] [OPTIONS]\n\nCommands:\n");
    SUMMARIES.forEach((name, what) -> b.append(String.format("  %-9s %s%n", name, what)));
    b.append("\nOptions: --help, -h  this text (after a command: that command's usage)\n");
    b.append("Settings: config/ (or CR_CONFIG_DIR) and CR_* variables, see docs/configuration.md\n");
    return b.toString();
  }

  static String of(String command) {
    return String.format(DETAILS.get(command), JAR) + "\n";
  }

  static boolean known(String command) {
    return SUMMARIES.containsKey(command);
  }
}
