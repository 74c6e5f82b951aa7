package org.clientregistry.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import io.vertx.core.Vertx;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.linking.IndexLoader;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.RuleSet;
import org.clientregistry.store.embedded.EmbeddedStore;

/**
 * {@code java -jar client-registry.jar estimate (--data FILE[,FILE…] --mapping FILE | --store DATA_DIR)
 * [--rules FILE] [--random-pairs N] [--iterations N] [--out FILE]}: estimates m and u for the fields of the first
 * rule set from the records of a CSV or of the registry's own store (no labels needed) and prints a probabilistic rules file with them, as a starting point to tune with
 * {@code evaluate --sweep}.
 */
public final class EstimateCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EstimateCommand() {}

  public static void main(String[] args) throws Exception {
    String usage = "usage: estimate (--data FILE[,FILE...] --mapping FILE | --store DATA_DIR) [--rules FILE]"
        + " [--random-pairs N] [--iterations N] [--out FILE]";
    Map<String, String> options = EvaluateCommand.options(args, usage);
    if (!options.containsKey("store") && !(options.containsKey("data") && options.containsKey("mapping"))) {
      System.err.println(usage);
      System.exit(2);
    }
    Path rulesFile = Path.of(options.getOrDefault("rules", "config/decision-rules.json"));
    String rulesText = Files.readString(rulesFile);
    DecisionRules rules = DecisionRulesParser.parse(rulesText, FieldExtractor::validate,
        EvaluateCommand.nicknames(options));
    List<String[][]> records = options.containsKey("store") ? storedValues(rules, Path.of(options.get("store")))
        : values(rules, options);
    RuleSet set = rules.ruleSets().get(0);
    Estimation.Result r = Estimation.run(set, records, new MatchIndex(rules, 1000),
        Integer.parseInt(options.getOrDefault("random-pairs", "200000")),
        Integer.parseInt(options.getOrDefault("iterations", "50")), 42);
    ObjectNode suggested = suggest((ObjectNode) JSON.readTree(rulesText), r);
    String text = JSON.writeValueAsString(suggested);
    System.out.printf("%d records, %d blocked pairs, %d random pairs; estimated share of matches among blocked "
        + "pairs %.4f%n", records.size(), r.blockedPairs(), r.randomPairs(), r.matchShare());
    for (int f = 0; f < r.fields().size(); f++) {
      System.out.printf("  %-20s m %.4f  u %.4f  pass weight %6.2f  fail weight %6.2f%n", r.fields().get(f),
          r.m()[f], r.u()[f], log2(r.m()[f] / r.u()[f]), log2((1 - r.m()[f]) / (1 - r.u()[f])));
    }
    if (options.containsKey("out")) {
      Files.writeString(Path.of(options.get("out")), text);
      System.out.println("suggested rules: " + options.get("out"));
    } else {
      System.out.println(text);
    }
  }

  private static List<String[][]> values(DecisionRules rules, Map<String, String> options) throws Exception {
    CsvMapping mapping = CsvMapping.read(Path.of(options.get("mapping")));
    FieldExtractor extractor = new FieldExtractor(rules.expressions());
    List<String[][]> out = new ArrayList<>();
    for (String file : options.get("data").split(",")) {
      for (Map<String, String> row : CsvRecords.read(Path.of(file))) {
        out.add(rules.normalise(extractor.extract(mapping.patient(row, Evaluation.ID_SYSTEM))));
      }
    }
    return out;
  }

  /** The rule values of every record in an embedded store (read-only use; the registry may be running). */
  private static List<String[][]> storedValues(DecisionRules rules, Path dataDir) {
    FieldExtractor extractor = new FieldExtractor(rules.expressions());
    List<String[][]> out = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedStore store = EmbeddedStore.open(vertx, dataDir, "normal");
      List<String> withoutValues = new ArrayList<>();
      store.load(source -> {
        String[][] values = IndexLoader.valuesOf(source, rules, extractor);
        if (values != null) {
          out.add(values);
        } else {
          withoutValues.add(source.id());
        }
      }, golden -> { }, mark -> { }).await();
      for (String id : withoutValues) { // written under rules with other expressions: evaluated on the resource
        store.source(id).await().ifPresent(s -> out.add(IndexLoader.valuesOf(s, rules, extractor)));
      }
      store.close().await();
    } finally {
      vertx.close().await();
    }
    return out;
  }

  /**
   * The first rule set of the input, made probabilistic with the estimates. Thresholds: auto-link where the
   * posterior odds reach 99:1 under the estimated share of matches, review from 9:1 below that.
   */
  static ObjectNode suggest(ObjectNode input, Estimation.Result r) {
    ObjectNode set = (ObjectNode) input.get("rules").get(0).deepCopy();
    set.put("matchingType", "probabilistic");
    ObjectNode fields = (ObjectNode) set.get("fields");
    Iterator<String> names = fields.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      int f = r.fields().indexOf(name);
      ObjectNode field = (ObjectNode) fields.get(name);
      field.remove("weight");
      field.put("mValue", round(r.m()[f]));
      field.put("uValue", round(r.u()[f]));
    }
    double prior = log2(r.matchShare() / (1 - r.matchShare()));
    double auto = Math.ceil(log2(99) - prior);
    set.put("autoMatchThreshold", auto);
    set.put("potentialMatchThreshold", Math.max(0, auto - Math.ceil(log2(99) - log2(9))));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("rules");
    list.add(set);
    return out;
  }

  private static double round(double x) {
    return Math.round(x * 10000) / 10000.0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
