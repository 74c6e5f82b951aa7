package org.clientregistry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate command on real labelled data, and its pairwise arithmetic on a set small enough to check by hand. */
class EvaluateCommandTest {
  static final Path FEBRL1 = Path.of("src", "test", "resources", "datasets", "febrl", "febrl_dataset1.csv");

  @Test
  void febrlOneWithTheExampleRulesWritesFiguresAndAPlot(@TempDir Path out) throws Exception {
    assertTrue(Files.exists(FEBRL1), "the labelled data set is missing: " + FEBRL1.toAbsolutePath());
    EvaluateCommand.main(new String[] {"--data", FEBRL1.toString(), "--mapping",
        "config/examples/mappings/febrl.json", "--rules", "config/examples/febrl-probabilistic.json",
        "--sweep", "10:12:1", "--out", out.toString()});
    JsonNode report = new ObjectMapper().readTree(out.resolve("febrl_dataset1.json").toFile());
    JsonNode result = report.get("result");
    assertEquals(1000, result.get("records").asInt());
    assertEquals(500, result.get("truePairs").asInt());
    assertTrue(result.get("f1").asDouble() >= 0.99, result.toString());
    assertTrue(result.get("blockingRecall").asDouble() >= 0.995, result.toString());
    double perRuleSet = result.get("candidatesPerRecordByRuleSet").get("febrl-fellegi-sunter").asDouble();
    assertTrue(perRuleSet > 0 && perRuleSet <= result.get("candidatesPerRecord").asDouble() + 1e-9,
        "the only rule set found the candidates: " + result);
    assertEquals(3, report.get("sweep").size());
    String svg = Files.readString(out.resolve("febrl_dataset1-sweep.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("polyline"));
  }

  @Test
  void pairwiseFiguresOnAHandCheckedSet(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("people.csv"), """
        id,person,given,family,dob
        a1,A,Florence,Nansubuga,1983-02-17
        a2,A,Florance,Nansubugga,1983-02-17
        a3,A,Florence,Nansubuga,1983-02-17
        b1,B,Peter,Mugisha,2001-11-23
        c1,C,Pita,Mugisha,2001-11-23
        """);
    Files.writeString(dir.resolve("mapping.json"), """
        { "idColumn": "id", "entity": { "column": "person" },
          "columns": { "given": "given", "family": "family", "dob": "birthDate" } }""");
    CsvMapping mapping = CsvMapping.read(dir.resolve("mapping.json"));
    List<Evaluation.Labelled> records = CsvRecords.read(dir.resolve("people.csv")).stream()
        .map(row -> new Evaluation.Labelled(mapping.id(row), mapping.entity(row),
            mapping.patient(row, Evaluation.ID_SYSTEM))).toList();
    DecisionRules rules = DecisionRulesParser.parse("""
        { "rules": [ { "fields": {
            "given": { "algorithm": "jaro-winkler-similarity", "threshold": 0.85, "fhirpath": "name.given" },
            "family": { "algorithm": "jaro-winkler-similarity", "threshold": 0.85, "fhirpath": "name.family" },
            "dob": { "algorithm": "exact", "fhirpath": "birthDate" } },
          "potentialMatchThreshold": 2, "autoMatchThreshold": 2 } ] }""", FieldExtractor::validate);
    Evaluation.Result r = Evaluation.run(rules, records, 100);
    // Truth: A has 3 records (3 pairs); B and C are different people who share a family name and birth date,
    // which these loose rules (2 of 3 fields) link: one false positive.
    assertEquals(3, r.truePairs());
    assertEquals(4, r.linkedPairs());
    assertEquals(3, r.truePositives());
    assertEquals(1, r.falsePositives());
    assertEquals(0.75, r.precision(), 1e-9);
    assertEquals(1.0, r.recall(), 1e-9);
    assertEquals(1.0, r.blockingRecall(), 1e-9);
    Evaluation.Result strict = Evaluation.run(Evaluation.withAutoThreshold(rules, 3), records, 100);
    assertEquals(0, strict.falsePositives(), "requiring all three fields keeps B and C apart");
  }
}
