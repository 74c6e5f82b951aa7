package org.clientregistry.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any column can become a compared field; a double given name is two given names; quoted CSV cells. */
class CsvMappingTest {
  @Test
  void anyColumnIsAFieldAndADoubleGivenNameStaysTwo(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("people.csv"), """
        id, given, family, occupation
        p1, Mary Jane, Nakato, "teacher, primary"
        """);
    Files.writeString(dir.resolve("mapping.json"), """
        { "idColumn": "id", "columns": { "given": "given", "family": "family",
                                         "occupation": "field|occupation" } }""");
    CsvMapping mapping = CsvMapping.read(dir.resolve("mapping.json"));
    List<Map<String, String>> rows = CsvRecords.read(dir.resolve("people.csv"));
    assertEquals("teacher, primary", rows.get(0).get("occupation"), "a quoted cell keeps its comma");
    Patient p = mapping.patient(rows.get(0), Evaluation.ID_SYSTEM);

    String rulesText = new ObjectMapper().writeValueAsString(MappingRules.from(mapping.targets()));
    DecisionRules rules = DecisionRulesParser.parse(rulesText, FieldExtractor::validate);
    assertEquals(List.of("given", "family", "occupation"),
        rules.ruleSets().get(0).fields().stream().map(f -> f.name()).toList());
    Map<String, List<String>> values = new FieldExtractor(rules.expressions()).extract(p);
    assertEquals(List.of("Mary", "Jane"), values.get("name.given"));
    assertTrue(values.values().stream().anyMatch(v -> v.equals(List.of("teacher, primary"))), values.toString());
  }
}
