package org.clientregistry.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.clientregistry.fhir.FieldExtractor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DecisionRulesParserTest {

  static DecisionRules parse(String json) {
    return DecisionRulesParser.parse(json, FieldExtractor::validate);
  }

  @Test
  void nullHandlingDefaultsToModerateOnEachSideOnItsOwn() {
    DecisionRules rules = parse("""
        { "rules": [ { "fields": {
            "g": { "algorithm": "exact", "fhirpath": "gender", "null_handling": "greedy" },
            "b": { "algorithm": "exact", "fhirpath": "birthDate" } },
          "autoMatchThreshold": 1 } ] }""");
    FieldRule g = rules.ruleSets().get(0).fields().get(0);
    FieldRule b = rules.ruleSets().get(0).fields().get(1);
    assertEquals(NullHandling.GREEDY, g.oneNull());
    assertEquals(NullHandling.MODERATE, g.bothNull(), "null_handling_both is not taken from null_handling");
    assertEquals(NullHandling.MODERATE, b.oneNull());
    assertEquals(NullHandling.MODERATE, b.bothNull());
  }

  @Test
  void shippedRulesParse() {
    DecisionRules rules = DecisionRulesParser.parse(Path.of("config", "decision-rules.json"),
        FieldExtractor::validate);
    RuleSet set = rules.ruleSets().get(0);
    assertEquals(MatchingType.DETERMINISTIC, set.type());
    assertEquals(6, set.fields().size());
    assertEquals(3.5, set.autoThreshold());
    assertEquals(3, set.potentialThreshold());
  }

  @Test
  void acceptsOpenCrFilesUnchangedIncludingEspath() {
    DecisionRules rules = parse("""
        { "rules": [ { "matchingType": "deterministic",
            "fields": {
              "given": { "algorithm": "jaro-winkler-similarity", "threshold": 0.8,
                         "fhirpath": "name.where(use='official').given", "espath": "given",
                         "null_handling": "moderate" },
              "birthDate": { "algorithm": "exact", "fhirpath": "birthDate", "espath": "birthDate" } },
            "filters": { "gender": { "fhirpath": "gender", "espath": "gender" } },
            "potentialMatchThreshold": 1, "autoMatchThreshold": 2 } ] }""");
    RuleSet set = rules.ruleSets().get(0);
    assertEquals(2, set.fields().size());
    assertEquals(1, set.filters().size());
    assertEquals(3, rules.slots().size(), "one value slot per distinct expression");
    assertEquals(NullHandling.MODERATE, set.fields().get(1).oneNull());
  }

  @Test
  void sharedExpressionsAreEvaluatedOnce() {
    DecisionRules rules = parse("""
        { "rules": [
          { "fields": { "b": { "algorithm": "exact", "fhirpath": "birthDate" } }, "autoMatchThreshold": 1 },
          { "fields": { "b": { "algorithm": "levenshtein", "threshold": 1, "fhirpath": "birthDate" } },
            "autoMatchThreshold": 1 } ] }""");
    assertEquals(1, rules.slots().size());
    assertEquals(1, rules.expressions().size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}|rules",
      "{\"rules\": []}|rules",
      "{\"rules\": [{\"autoMatchThreshold\": 1}]}|rules[0].fields",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"fuzzy\", \"fhirpath\": \"gender\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.algorithm",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.fhirpath",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"name.where(\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.fhirpath",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"jaro-winkler\", \"fhirpath\": \"name.given\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.threshold",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"jaro-winkler\", \"threshold\": 1.5, \"fhirpath\": \"name.given\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.threshold",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\"}}, \"autoMatchThreshold\": 1, \"potentialMatchThreshold\": 2}]}|rules[0].autoMatchThreshold",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\", \"null_handling\": \"lax\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.null_handling",
      "{\"rules\": [{\"matchingType\": \"fuzzy\", \"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\"}}, \"autoMatchThreshold\": 1}]}|rules[0].matchingType",
      "{\"rules\": [{\"matchingType\": \"probabilistic\", \"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.mValue",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\"}}}]}|rules[0].autoMatchThreshold",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\", \"termFrequency\": true}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.termFrequency",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\", \"normalize\": [\"last-digits:0\"]}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.normalize",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\", \"alwaysKey\": \"yes\"}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.alwaysKey",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\", \"prefixKey\": 1}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.prefixKey",
      "{\"rules\": [{\"fields\": {\"g\": {\"algorithm\": \"exact\", \"fhirpath\": \"gender\", \"prefixKey\": 2.5}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.g.prefixKey",
      "{\"rules\": [{\"fields\": {\"b\": {\"algorithm\": \"date\", \"threshold\": 1, \"fhirpath\": \"birthDate\", \"nearDayKey\": 40}}, \"autoMatchThreshold\": 1}]}|rules[0].fields.b.nearDayKey",
      "not json|(file)"})
  void invalidRulesNameTheFieldAtFault(String json, String path) {
    RulesException e = assertThrows(RulesException.class, () -> parse(json));
    assertTrue(e.getMessage().contains(path + ":"), e.getMessage());
  }
}
