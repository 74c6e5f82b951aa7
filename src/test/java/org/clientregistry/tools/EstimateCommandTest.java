package org.clientregistry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** m and u estimated from unlabelled records make rules that link well when checked against the labels. */
class EstimateCommandTest {
  static final Path FEBRL1 = Path.of("src", "test", "resources", "datasets", "febrl", "febrl_dataset1.csv");
  static final Path MAPPING = Path.of("config", "examples", "mappings", "febrl.json");

  @Test
  void estimatedRulesLinkFebrlOneWithoutLabels(@TempDir Path dir) throws Exception {
    Path suggested = dir.resolve("suggested.json");
    EstimateCommand.main(new String[] {"--data", FEBRL1.toString(), "--mapping", MAPPING.toString(), "--rules",
        "config/examples/febrl-probabilistic.json", "--out", suggested.toString()});
    JsonNode set = new ObjectMapper().readTree(suggested.toFile()).get("rules").get(0);
    assertEquals("probabilistic", set.get("matchingType").asText());
    JsonNode given = set.get("fields").get("given");
    JsonNode state = set.get("fields").get("state");
    assertTrue(given.get("mValue").asDouble() > 0.6, given.toString());
    assertTrue(given.get("uValue").asDouble() < 0.05, given.toString());
    assertTrue(state.get("uValue").asDouble() > given.get("uValue").asDouble(),
        "a field with few values agrees more often by chance");

    DecisionRules rules = DecisionRulesParser.parse(suggested, FieldExtractor::validate);
    CsvMapping mapping = CsvMapping.read(MAPPING);
    List<Evaluation.Labelled> records = new ArrayList<>();
    for (Map<String, String> row : CsvRecords.read(FEBRL1)) {
      records.add(new Evaluation.Labelled(mapping.id(row), mapping.entity(row),
          mapping.patient(row, Evaluation.ID_SYSTEM)));
    }
    Evaluation.Result result = Evaluation.run(rules, records, 1000);
    assertTrue(result.f1() >= 0.98, "F1 with estimated parameters: " + result);
  }

  @Test
  void estimatesFromTheRegistrysOwnStore(@TempDir Path dir) throws Exception {
    try (org.clientregistry.TestRegistry registry = new org.clientregistry.TestRegistry(dir).start()) {
      String[] given = {"Amina", "Brian", "Cissy", "Dennis", "Esther", "Fred", "Gloria", "Hassan", "Irene", "Jonah",
          "Kevin", "Lillian", "Moses", "Nora", "Oscar", "Prossy", "Quentin", "Rita", "Simon", "Teddy"};
      String[] family = {"Akello", "Byaruhanga", "Chebet", "Dembe", "Ekwaro", "Fualu", "Gumisiriza", "Hakiza",
          "Isabirye", "Jjuuko", "Kasozi", "Lubega", "Mutebi", "Nankya", "Obura", "Pido", "Rwoth", "Ssali",
          "Tumusiime", "Wekesa"};
      for (int i = 0; i < 40; i++) {
        int p = i % 20; // each person twice, from two systems
        String client = i < 20 ? "openmrs" : "lims";
        String birth = String.format("%d-%02d-%02d", 1940 + p * 3, 1 + (p * 7) % 12, 1 + (p * 11) % 28);
        registry.post(client, "/fhir/Patient", org.clientregistry.Patients.patient(client, "est-" + p,
            given[p], family[p], p % 2 == 0 ? "male" : "female", birth, String.format("0772 %06d", 137 * p + 4321),
            null));
      }
    }
    Path suggested = dir.resolve("from-store.json");
    EstimateCommand.main(new String[] {"--store", dir.resolve("data").toString(), "--out", suggested.toString()});
    JsonNode fields = new ObjectMapper().readTree(suggested.toFile()).get("rules").get(0).get("fields");
    assertEquals(6, fields.size(), "the shipped rule set's fields");
    assertTrue(fields.get("birthDate").get("uValue").asDouble() < 0.5, fields.toString());
    assertTrue(fields.get("gender").get("uValue").asDouble() > fields.get("phone").get("uValue").asDouble(),
        "two genders agree by chance far more often than phones do");
  }
}
