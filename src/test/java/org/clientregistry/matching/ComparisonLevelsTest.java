package org.clientregistry.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.clientregistry.fhir.FieldExtractor;
import org.junit.jupiter.api.Test;

/** Fields with several agreement levels: each level weighs log2(m/u); no level reached weighs the else level. */
class ComparisonLevelsTest {
  static final String RULES = """
      { "rules": [ { "matchingType": "probabilistic", "fields": {
          "family": { "fhirpath": "name.family", "levels": [
              { "algorithm": "exact", "mValue": 0.8, "uValue": 0.001 },
              { "algorithm": "jaro-winkler-similarity", "threshold": 0.8, "mValue": 0.15, "uValue": 0.01 } ] },
          "birthDate": { "fhirpath": "birthDate", "algorithm": "date", "threshold": 366, "levels": [
              { "algorithm": "exact", "mValue": 0.9, "uValue": 0.0001 },
              { "algorithm": "date", "threshold": 1, "mValue": 0.04, "uValue": 0.0002 },
              { "algorithm": "date", "threshold": 366, "mValue": 0.03, "uValue": 0.01 } ] } },
        "potentialMatchThreshold": 12, "autoMatchThreshold": 14 } ] }""";

  private static MatchRecord record(DecisionRules rules, String family, String birthDate) {
    return new MatchRecord("id-" + family + birthDate, 1, "c", "g", false,
        rules.normalise(Map.of("name.family", List.of(family), "birthDate", List.of(birthDate))));
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void eachLevelHasItsOwnWeight() {
    DecisionRules rules = DecisionRulesParser.parse(RULES, FieldExtractor::validate);
    Matcher matcher = new Matcher(rules);
    MatchRecord a = record(rules, "Nansubuga", "1983-02-17");
    Comparison exact = matcher.compare(a, record(rules, "Nansubuga", "1983-02-17"));
    assertEquals(log2(0.8 / 0.001) + log2(0.9 / 0.0001), exact.score(), 1e-9);
    assertEquals(Outcome.AUTO, exact.outcome());

    Comparison swapped = matcher.compare(a, record(rules, "Nansubugga", "1983-02-18"));
    assertEquals(log2(0.15 / 0.01) + log2(0.04 / 0.0002), swapped.score(), 1e-9);
    assertEquals("jaro-winkler>=0.8", swapped.explanation().get(0).algorithm());
    assertEquals("date<=1", swapped.explanation().get(1).algorithm());

    Comparison far = matcher.compare(a, record(rules, "Okello", "1990-06-01"));
    double elseFamily = log2((1 - 0.8 - 0.15) / (1 - 0.001 - 0.01));
    double elseDate = log2((1 - 0.9 - 0.04 - 0.03) / (1 - 0.0001 - 0.0002 - 0.01));
    assertEquals(elseFamily + elseDate, far.score(), 1e-9);
    assertEquals(Outcome.NONE, far.outcome());
    assertEquals(FieldResult.Result.FAIL, far.explanation().get(0).result());
  }

  @Test
  void aDayMonthSwapReachesTheOneDayLevel() {
    DecisionRules rules = DecisionRulesParser.parse(RULES, FieldExtractor::validate);
    FieldRule date = rules.ruleSets().get(0).fields().get(1);
    assertEquals(1, date.level("1983-02-07", "1983-07-02"));
    assertEquals(2, date.level("1983-02-07", "1983-09-30"));
    assertEquals(-1, date.level("1983-02-07", "1990-02-07"));
  }

  @Test
  void levelsThatAddUpToMoreThanOneAreRefused() {
    RulesException e = assertThrows(RulesException.class, () -> DecisionRulesParser.parse(
        RULES.replace("\"mValue\": 0.15", "\"mValue\": 0.5"), FieldExtractor::validate));
    assertTrue(e.getMessage().contains("levels"), e.getMessage());
    assertThrows(RulesException.class, () -> DecisionRulesParser.parse(RULES.replace("probabilistic",
        "deterministic"), FieldExtractor::validate));
  }

  @Test
  void aBlockingThresholdBelowTheReviewThresholdIsRefused() {
    assertEquals(13, DecisionRulesParser.parse(RULES.replace("\"potentialMatchThreshold\"",
        "\"blockingThreshold\": 13, \"potentialMatchThreshold\""), FieldExtractor::validate).ruleSets().get(0)
        .blockingThreshold());
    assertThrows(RulesException.class, () -> DecisionRulesParser.parse(RULES.replace("\"potentialMatchThreshold\"",
        "\"blockingThreshold\": 11, \"potentialMatchThreshold\""), FieldExtractor::validate));
  }

  @Test
  void aFieldWithoutLevelsIsOneLevel() {
    DecisionRules rules = DecisionRulesParser.parse(MatcherTest.RULES.formatted("moderate", "moderate"),
        FieldExtractor::validate);
    assertTrue(rules.ruleSets().get(0).fields().stream().allMatch(f -> f.levels().isEmpty()));
  }
}
