package org.clientregistry.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published quality targets (docs/matching-quality.md), guarded: the evaluate command on the labelled sets with
 * the committed example rules, so a change to matching or blocking that loses links fails here.
 */
class MatchingQualityTargetsTest {
  private static final String DATA = "src/test/resources/datasets/";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // data file(s), mapping, rules, output name, minimum F1, minimum blocking recall
      "opencr-uganda/uganda_data_v21_20201501.csv, opencr-uganda.json, opencr-uganda-rules.json,"
          + " uganda_data_v21_20201501, 0.999, 0.995",
      "febrl/febrl_dataset3.csv, febrl.json, febrl-probabilistic.json, febrl_dataset3, 0.995, 0.995",
      "febrl/febrl_dataset4a.csv;febrl/febrl_dataset4b.csv, febrl.json, febrl-probabilistic.json,"
          + " febrl_dataset4a, 0.995, 0.995",
      "splink/fake_1000.csv, splink-fake-1000.json, splink-probabilistic.json, fake_1000, 0.90, 0.995"})
  void exampleRulesMeetTheTargets(String data, String mapping, String rules, String name, double minF1,
                                  double minBlockingRecall, @TempDir Path out) throws Exception {
    String files = String.join(",", java.util.Arrays.stream(data.split(";")).map(f -> DATA + f).toList());
    for (String f : files.split(",")) {
      assertTrue(Files.exists(Path.of(f)), "the labelled data set is missing: " + Path.of(f).toAbsolutePath());
    }
    EvaluateCommand.main(new String[] {"--data", files, "--mapping", "config/examples/mappings/" + mapping,
        "--rules", "config/examples/" + rules, "--out", out.toString()});
    JsonNode result = new ObjectMapper().readTree(out.resolve(name + ".json").toFile()).get("result");
    assertTrue(result.get("f1").asDouble() >= minF1, result.toString());
    assertTrue(result.get("blockingRecall").asDouble() >= minBlockingRecall, result.toString());
  }

  /**
   * No labels and no rules file: estimate fits a model to the records (fields from the mapping), and evaluate
   * links with the rules file it wrote, in file order and in 3 shuffled orders, whose F1 may spread by 0.01 at most.
   * splink's fake_1000 (heavy typos, records with two or three fields) has a lower F1 target but the same spread.
   */
  @ParameterizedTest(name = "estimated: {0}")
  @CsvSource({
      // data file(s), mapping, output name, minimum F1 in every order
      "opencr-uganda/uganda_data_v21_20201501.csv, opencr-uganda.json, uganda_data_v21_20201501, 0.95",
      "febrl/febrl_dataset3.csv, febrl.json, febrl_dataset3, 0.95",
      "febrl/febrl_dataset4a.csv;febrl/febrl_dataset4b.csv, febrl.json, febrl_dataset4a, 0.95",
      "splink/fake_1000.csv, splink-fake-1000.json, fake_1000, 0.92"})
  void estimatedRulesMeetTheTargets(String data, String mapping, String name, double minF1, @TempDir Path out)
      throws Exception {
    String files = String.join(",", java.util.Arrays.stream(data.split(";")).map(f -> DATA + f).toList());
    Path rules = out.resolve("estimated.json");
    EstimateCommand.main(new String[] {"--data", files, "--mapping", "config/examples/mappings/" + mapping,
        "--out", rules.toString()});
    EvaluateCommand.main(new String[] {"--data", files, "--mapping", "config/examples/mappings/" + mapping,
        "--rules", rules.toString(), "--shuffles", "3", "--out", out.toString()});
    JsonNode report = new ObjectMapper().readTree(out.resolve(name + ".json").toFile());
    JsonNode result = report.get("result");
    assertTrue(result.get("f1").asDouble() >= minF1, result.toString());
    for (JsonNode f1 : report.get("shuffledOrdersF1")) {
      assertTrue(f1.asDouble() >= minF1, report.get("shuffledOrdersF1").toString());
    }
    assertTrue(report.get("shuffledOrdersSpread").asDouble() <= 0.01, report.get("shuffledOrdersF1").toString());
  }
}
