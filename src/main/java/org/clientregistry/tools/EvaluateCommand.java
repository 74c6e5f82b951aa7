package org.clientregistry.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.Nicknames;

/**
 * {@code java -jar client-registry.jar evaluate --data FILE[,FILE…] --mapping FILE [--rules FILE]
 * [--sweep FROM:TO:STEP] [--shuffles N] [--max-candidates N] [--out DIR]}: link a labelled data set with a rules
 * file and print pairwise precision, recall, F1, blocking recall, candidates per record (mean, p50, p99) and records
 * per second; optionally sweep the auto-link threshold and replay the set in N shuffled orders ({@code --shuffles},
 * also accepted as {@code --orders}), reporting the F1 spread. Writes JSON and an SVG plot.
 */
public final class EvaluateCommand {
  private static final String USAGE = "usage: evaluate --data FILE[,FILE...] --mapping FILE [--rules FILE] "
      + "[--sweep FROM:TO:STEP] [--shuffles N] [--max-candidates N] [--out DIR]";

  private EvaluateCommand() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args, USAGE, "data", "mapping");
    CsvMapping mapping = CsvMapping.read(Path.of(options.get("mapping")));
    List<Evaluation.Labelled> records = new ArrayList<>();
    for (String file : options.get("data").split(",")) {
      for (Map<String, String> row : CsvRecords.read(Path.of(file))) {
        records.add(new Evaluation.Labelled(mapping.id(row), mapping.entity(row),
            mapping.patient(row, Evaluation.ID_SYSTEM)));
      }
    }
    Path rulesFile = Path.of(options.getOrDefault("rules", "config/decision-rules.json"));
    DecisionRules rules = DecisionRulesParser.parse(rulesFile, FieldExtractor::validate, nicknames(options));
    int maxCandidates = Integer.parseInt(options.getOrDefault("max-candidates", "1000"));
    String name = Path.of(options.get("data").split(",")[0]).getFileName().toString().replaceAll("\\.csv$", "");

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("data", options.get("data"));
    report.put("rules", rulesFile.toString());
    Evaluation.Result main = Evaluation.run(rules, records, maxCandidates);
    report.put("result", main);
    System.out.println("| data | records | true pairs | linked pairs | TP | FP | FN | precision | recall | F1 "
        + "| blocking recall | linkable blocking recall | candidates/record | p50 | p99 | records/s |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    System.out.println(row(name, main));
    main.candidatesPerRecordByRuleSet().forEach((set, n) -> System.out.printf(
        "candidates per record found by rule set '%s': %.1f%n", set, n));

    if (options.containsKey("sweep")) {
      String[] s = options.get("sweep").split(":");
      List<Evaluation.Result> sweep = new ArrayList<>();
      for (double t = Double.parseDouble(s[0]); t <= Double.parseDouble(s[1]) + 1e-9; t += Double.parseDouble(s[2])) {
        Evaluation.Result r = Evaluation.run(Evaluation.withAutoThreshold(rules, t), records, maxCandidates);
        sweep.add(r);
        System.out.printf("auto threshold %.2f: precision %.4f recall %.4f F1 %.4f%n", t, r.precision(),
            r.recall(), r.f1());
      }
      report.put("sweep", sweep);
      Path svg = out(options).resolve(name + "-sweep.svg");
      Files.writeString(svg, SweepPlot.svg(name, sweep));
      System.out.println("plot: " + svg);
    }
    String orders = options.getOrDefault("shuffles", options.get("orders")); // --orders: the older name
    if (orders != null) {
      List<Double> f1s = new ArrayList<>();
      for (int seed = 1; seed <= Integer.parseInt(orders); seed++) {
        f1s.add(Evaluation.run(rules, Evaluation.shuffled(records, seed), maxCandidates).f1());
      }
      double min = f1s.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = f1s.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      report.put("shuffledOrdersF1", f1s);
      report.put("shuffledOrdersSpread", max - min);
      System.out.printf("F1 over %d shuffled orders: min %.4f, max %.4f, spread %.4f%n", f1s.size(), min, max,
          max - min);
    }
    Path json = out(options).resolve(name + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    System.out.println("figures: " + json);
  }

  static String row(String name, Evaluation.Result r) {
    return String.format("| %s | %d | %d | %d | %d | %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.1f | %d | %d "
        + "| %.0f |", name, r.records(), r.truePairs(), r.linkedPairs(), r.truePositives(), r.falsePositives(),
        r.falseNegatives(), r.precision(), r.recall(), r.f1(), r.blockingRecall(), r.linkableBlockingRecall(),
        r.candidatesPerRecord(), r.candidatesP50(), r.candidatesP99(), r.recordsPerSecond());
  }

  private static Path out(Map<String, String> options) throws Exception {
    Path dir = Path.of(options.getOrDefault("out", "target/evaluate"));
    Files.createDirectories(dir);
    return dir;
  }

  /** The nickname table: --nicknames FILE, else config/nicknames.csv when present. */
  static Nicknames nicknames(Map<String, String> options) throws java.io.IOException {
    Path file = Path.of(options.getOrDefault("nicknames", "config/nicknames.csv"));
    return Files.exists(file) ? Nicknames.read(file) : Nicknames.NONE;
  }

  /** {@code --name value} pairs; prints the usage and exits 2 when they are malformed or a required one is missing. */
  public static Map<String, String> options(String[] args, String usage, String... required) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println(usage);
        System.exit(2);
      }
      out.put(args[i].substring(2), args[++i]);
    }
    for (String name : required) {
      if (!out.containsKey(name)) {
        System.err.println(usage);
        System.exit(2);
      }
    }
    return out;
  }
}
