package org.clientregistry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import io.vertx.core.Vertx;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.linking.IndexLoader;
import org.clientregistry.matching.BlockingKeys;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.RuleSet;
import org.clientregistry.store.embedded.EmbeddedStore;

/**
 * {@code java -jar client-registry.jar estimate (--data FILE[,FILE…] --mapping FILE | --store DATA_DIR)
 * [--rules FILE] [--random-pairs N] [--iterations N] [--out FILE]}: fits a probabilistic model to records without
 * labels (see {@link Estimation}) and writes a rules file that {@code evaluate} and the registry take as it is:
 * m and u per field and agreement level, and thresholds chosen from the model's own predicted precision and
 * recall. Without {@code --rules} the fields come from the mapping's columns, with the usual comparison levels
 * ({@link MappingRules}); with it, from the first rule set of the file (its fields keep their algorithms).
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
    String rulesText;
    if (options.containsKey("rules") || options.containsKey("store")) {
      rulesText = Files.readString(Path.of(options.getOrDefault("rules", "config/decision-rules.json")));
    } else {
      rulesText = JSON.writeValueAsString(MappingRules.from(CsvMapping.read(Path.of(options.get("mapping")))
          .targets()));
    }
    DecisionRules rules = DecisionRulesParser.parse(asProbabilistic(rulesText), FieldExtractor::validate,
        EvaluateCommand.nicknames(options));
    List<String[][]> records = options.containsKey("store") ? storedValues(rules, Path.of(options.get("store")))
        : values(rules, options);
    RuleSet set = rules.ruleSets().get(0);
    Estimation.Result r = Estimation.run(set, rules.slots(), records,
        Integer.parseInt(options.getOrDefault("random-pairs", "1000000")),
        Integer.parseInt(options.getOrDefault("iterations", "100")), 42);
    double heaviest = heaviestLevel(r);
    Thresholds t = Thresholds.choose(r.scoredPairs().stream().mapToDouble(p -> p[0]).toArray(), r.prior(),
        records.size(), heaviest);
    System.out.print(ModelReport.text(r, t, records.size()));
    // Widest blocking first (sure from the review threshold); pairs of fields when that finds too many.
    ObjectNode input = (ObjectNode) JSON.readTree(asProbabilistic(rulesText));
    Thresholds wide = new Thresholds(t.auto(), t.review(), t.review(), t.precision(), t.recall(),
        t.expectedMatches());
    String text = JSON.writeValueAsString(suggest(input, r, wide));
    DecisionRules parsed = DecisionRulesParser.parse(text, FieldExtractor::validate);
    double mean = BlockingChoice.meanCandidates(parsed, records, 42);
    System.out.printf("blocking sure from %.2f: %s, %.1f candidates per lookup with every record indexed%n",
        t.review(), new BlockingKeys(parsed), mean);
    if (mean > BlockingChoice.BUDGET && t.blocking() > t.review()) {
      text = JSON.writeValueAsString(suggest(input, r, t));
      parsed = DecisionRulesParser.parse(text, FieldExtractor::validate);
      System.out.printf("over %d: blocking sure from %.2f: %s, %.1f candidates per lookup%n", BlockingChoice.BUDGET,
          t.blocking(), new BlockingKeys(parsed), BlockingChoice.meanCandidates(parsed, records, 42));
    }
    if (options.containsKey("out")) {
      Files.writeString(Path.of(options.get("out")), text);
      System.out.println("suggested rules: " + options.get("out"));
    } else {
      System.out.println(text);
    }
  }

  /** The first rule set of a rules text, made probabilistic (placeholder m and u where a field has none). */
  static String asProbabilistic(String rulesText) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(rulesText);
    JsonNode rules = root.get("rules");
    ObjectNode set = (ObjectNode) (rules.isArray() ? rules.get(0) : legacySet(rules)).deepCopy();
    set.put("matchingType", "probabilistic");
    Iterator<Map.Entry<String, JsonNode>> it = set.get("fields").fields();
    while (it.hasNext()) {
      ObjectNode field = (ObjectNode) it.next().getValue();
      field.remove("weight");
      if (!field.has("levels")) {
        field.put("mValue", 0.9);
        field.put("uValue", 0.1);
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.putArray("rules").add(set);
    return JSON.writeValueAsString(out);
  }

  /** The older single-object format as one rule set (its "path" is the FHIRPath). */
  private static ObjectNode legacySet(JsonNode fields) {
    ObjectNode set = JSON.createObjectNode();
    ObjectNode out = set.putObject("fields");
    fields.fields().forEachRemaining(e -> {
      ObjectNode f = e.getValue().deepCopy();
      if (!f.has("fhirpath") && f.has("path")) {
        f.put("fhirpath", f.get("path").asText());
      }
      out.set(e.getKey(), f);
    });
    set.put("autoMatchThreshold", 0);
    return set;
  }

  private static double heaviestLevel(Estimation.Result r) {
    double heaviest = 0;
    for (int f = 0; f < r.m().length; f++) {
      for (int k = 0; k < r.m()[f].length - 1; k++) {
        heaviest = Math.max(heaviest, Estimation.log2(r.m()[f][k] / r.u()[f][k]));
      }
    }
    return heaviest;
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

  /** The rule set with the estimates: m and u per level (or per field without levels), and the thresholds. */
  static ObjectNode suggest(ObjectNode input, Estimation.Result r, Thresholds t) {
    ObjectNode set = (ObjectNode) input.get("rules").get(0).deepCopy();
    set.put("matchingType", "probabilistic");
    ObjectNode fields = (ObjectNode) set.get("fields");
    Iterator<String> names = fields.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      int f = r.fields().indexOf(name);
      ObjectNode field = (ObjectNode) fields.get(name);
      field.remove("weight");
      double[] m = belowOne(r.m()[f]);
      double[] u = belowOne(r.u()[f]);
      if (field.has("levels")) {
        ArrayNode levels = (ArrayNode) field.get("levels");
        for (int k = 0; k < levels.size(); k++) {
          ((ObjectNode) levels.get(k)).put("mValue", m[k]).put("uValue", u[k]);
        }
      } else {
        field.put("mValue", m[0]);
        field.put("uValue", u[0]);
      }
    }
    set.put("potentialMatchThreshold", t.review());
    set.put("autoMatchThreshold", t.auto());
    set.put("blockingThreshold", t.blocking());
    ObjectNode out = JSON.createObjectNode();
    out.putArray("rules").add(set);
    return out;
  }

  /** The levels' values (all but else) to 4 significant digits, rounded down so that they add up to below 1. */
  private static double[] belowOne(double[] p) {
    double sum = 0;
    for (int k = 0; k < p.length - 1; k++) {
      sum += p[k];
    }
    double scale = sum > 0.9999 ? 0.9999 / sum : 1;
    double[] out = new double[p.length - 1];
    for (int k = 0; k < out.length; k++) {
      double x = Math.min(0.9999, Math.max(1e-7, p[k] * scale));
      out[k] = new BigDecimal(x).round(new MathContext(4, RoundingMode.DOWN)).doubleValue();
    }
    return out;
  }
}
