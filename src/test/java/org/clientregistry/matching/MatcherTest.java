package org.clientregistry.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.clientregistry.fhir.FieldExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatcherTest {
  static final String RULES = """
      { "rules": [ { "name": "names-and-date",
          "fields": {
            "given": { "algorithm": "jaro-winkler-similarity", "threshold": 0.85, "fhirpath": "name.given",
                       "null_handling": "%s", "null_handling_both": "%s" },
            "family": { "algorithm": "jaro-winkler-similarity", "threshold": 0.85, "fhirpath": "name.family" },
            "birthDate": { "algorithm": "exact", "fhirpath": "birthDate", "weight": 2 } },
          "filters": { "gender": { "fhirpath": "gender" } },
          "potentialMatchThreshold": 2, "autoMatchThreshold": 4 } ] }""";

  static DecisionRules rules(String oneNull, String bothNull) {
    return DecisionRulesParser.parse(String.format(RULES, oneNull, bothNull), FieldExtractor::validate);
  }

  static MatchRecord record(DecisionRules rules, String given, String family, String birthDate, String gender) {
    Map<String, List<String>> raw = Map.of("name.given", given == null ? List.of() : List.of(given),
        "name.family", List.of(family), "birthDate", List.of(birthDate),
        "gender", gender == null ? List.of() : List.of(gender));
    return new MatchRecord("id-" + given + family, 1, "c", "g", false, rules.normalise(raw));
  }

  @Test
  void typosStillAutoMatchAndTheExplanationSaysWhy() {
    DecisionRules rules = rules("moderate", "moderate");
    Comparison c = new Matcher(rules).compare(record(rules, "Florence", "Nansubuga", "1983-02-17", "female"),
        record(rules, "FLORANCE ", "Nansubugga", "1983-02-17", "female"));
    assertEquals(Outcome.AUTO, c.outcome());
    assertEquals(4.0, c.score());
    assertEquals(1.0, c.normalisedScore());
    assertEquals("names-and-date", c.ruleSet());
    assertEquals(3, c.explanation().size());
    assertTrue(c.explanation().stream().allMatch(f -> f.result() == FieldResult.Result.PASS));
    assertTrue(c.explanation().get(0).rawScore() > 0.85);
  }

  @Test
  void nicknamesCompareAsTheirCanonicalName() {
    Nicknames table = Nicknames.parse("# comment\nwilliam,bill,billy,will\nelizabeth,liz,beth\n");
    DecisionRules rules = DecisionRulesParser.parse("""
        { "rules": [ { "fields": {
            "given": { "algorithm": "exact", "fhirpath": "name.given", "normalize": ["nickname"] },
            "family": { "algorithm": "exact", "fhirpath": "name.family" } },
          "autoMatchThreshold": 2 } ] }""", FieldExtractor::validate, table);
    Matcher matcher = new Matcher(rules);
    assertEquals(Outcome.AUTO, matcher.compare(record(rules, "Bill", "Okot", "1990-01-01", null),
        record(rules, "WILLIAM", "Okot", "1990-01-01", null)).outcome());
    assertEquals(Outcome.NONE, matcher.compare(record(rules, "Bill", "Okot", "1990-01-01", null),
        record(rules, "Liz", "Okot", "1990-01-01", null)).outcome());
    assertEquals("family", rules.ruleSets().get(0).fields().get(1).name());
    assertEquals(0, new MatchIndex(rules, 10).candidates(record(rules, "Billy", "Okot", "x", null).values(), "")
        .records().size(), "empty index");
    MatchIndex index = new MatchIndex(rules, 10);
    index.put(record(rules, "William", "Okot", "x", null).withLink("g", false));
    assertEquals(1, index.candidates(record(rules, "Billy", "Okot", "x", null).values(), "").records().size(),
        "blocking keys come from the canonical name too");
  }

  @Test
  void phonesAgreeWithAndWithoutTheCountryCode() {
    DecisionRules rules = DecisionRulesParser.parse("""
        { "rules": [ { "fields": {
            "phone": { "algorithm": "exact", "fhirpath": "telecom.value", "normalize": ["last-digits:8"] } },
          "autoMatchThreshold": 1 } ] }""", FieldExtractor::validate);
    Slot slot = rules.slots().get(0);
    assertEquals("72123456", slot.normalise(List.of("+256 772 123456"))[0]);
    assertEquals("72123456", slot.normalise(List.of("0772-123-456"))[0]);
    assertEquals("12345", slot.normalise(List.of("12 345"))[0], "shorter values are kept whole");
    assertEquals(0, slot.normalise(List.of("n/a")).length);
  }

  @Test
  void filterKeepsPairsApart() {
    DecisionRules rules = rules("moderate", "moderate");
    Comparison c = new Matcher(rules).compare(record(rules, "Sam", "Okot", "1990-01-01", "male"),
        record(rules, "Sam", "Okot", "1990-01-01", "female"));
    assertEquals(Outcome.NONE, c.outcome());
  }

  @Test
  void missingFilterValueIsModerateByDefault() {
    DecisionRules rules = rules("moderate", "moderate");
    Comparison c = new Matcher(rules).compare(record(rules, "Sam", "Okot", "1990-01-01", null),
        record(rules, "Sam", "Okot", "1990-01-01", "female"));
    assertEquals(Outcome.AUTO, c.outcome());
  }

  @ParameterizedTest(name = "one side {0}, both sides {1}: one null {2}/{3}, both null {4}/{5}")
  @CsvSource({
      // oneNull, bothNull, one-null score, one-null outcome, both-null score, both-null outcome
      "conservative, conservative, 3, REVIEW, 3, REVIEW",
      "moderate, moderate, 3, REVIEW, 3, REVIEW",
      "greedy, greedy, 4, AUTO, 4, AUTO",
      "moderate, greedy, 3, REVIEW, 4, AUTO",
      "greedy, conservative, 4, AUTO, 3, REVIEW"})
  void nullHandling(String oneNull, String bothNull, double oneScore, Outcome oneOutcome, double bothScore,
                    Outcome bothOutcome) {
    DecisionRules rules = rules(oneNull, bothNull);
    Matcher matcher = new Matcher(rules);
    Comparison one = matcher.compare(record(rules, null, "Okot", "1990-01-01", "male"),
        record(rules, "Sam", "Okot", "1990-01-01", "male"));
    Comparison both = matcher.compare(record(rules, null, "Okot", "1990-01-01", "male"),
        record(rules, null, "Okot", "1990-01-01", "male"));
    assertEquals(oneScore, one.score());
    assertEquals(oneOutcome, one.outcome());
    assertEquals(bothScore, both.score());
    assertEquals(bothOutcome, both.outcome());
    assertEquals(FieldResult.Result.NULL, one.explanation().get(0).result());
  }

  private static final String PROBABILISTIC_NULLS = """
      { "rules": [ { "name": "p", "matchingType": "probabilistic", "fields": {
          "given": { "algorithm": "exact", "fhirpath": "name.given", "mValue": 0.9, "uValue": 0.1,
                     "null_handling": "%s", "null_handling_both": "%s" },
          "family": { "algorithm": "exact", "fhirpath": "name.family", "mValue": 0.9, "uValue": 0.01 },
          "birthDate": { "algorithm": "exact", "fhirpath": "birthDate", "mValue": 0.9, "uValue": 0.01 } },
        "potentialMatchThreshold": 5, "autoMatchThreshold": 10 } ] }""";

  /** Every pair of null_handling and null_handling_both, deterministic and probabilistic: what the field adds. */
  @ParameterizedTest(name = "{0}: one side {1}, both sides {2}")
  @CsvSource({
      "deterministic, conservative, conservative", "deterministic, conservative, moderate",
      "deterministic, conservative, greedy", "deterministic, moderate, conservative",
      "deterministic, moderate, moderate", "deterministic, moderate, greedy",
      "deterministic, greedy, conservative", "deterministic, greedy, moderate", "deterministic, greedy, greedy",
      "probabilistic, conservative, conservative", "probabilistic, conservative, moderate",
      "probabilistic, conservative, greedy", "probabilistic, moderate, conservative",
      "probabilistic, moderate, moderate", "probabilistic, moderate, greedy",
      "probabilistic, greedy, conservative", "probabilistic, greedy, moderate", "probabilistic, greedy, greedy"})
  void everyNullHandlingCaseAddsItsWeight(String type, String oneNull, String bothNull) {
    DecisionRules rules = type.equals("deterministic") ? rules(oneNull, bothNull)
        : DecisionRulesParser.parse(String.format(PROBABILISTIC_NULLS, oneNull, bothNull), FieldExtractor::validate);
    // given: weight 1 (deterministic), or pass log2(0.9/0.1) and fail log2(0.1/0.9) (probabilistic)
    double pass = type.equals("deterministic") ? 1 : Math.log(9) / Math.log(2);
    double fail = type.equals("deterministic") ? 0 : -Math.log(9) / Math.log(2);
    Matcher matcher = new Matcher(rules);
    FieldResult one = matcher.compare(record(rules, null, "Okot", "1990-01-01", "male"),
        record(rules, "Sam", "Okot", "1990-01-01", "male")).explanation().get(0);
    FieldResult both = matcher.compare(record(rules, null, "Okot", "1990-01-01", "male"),
        record(rules, null, "Okot", "1990-01-01", "male")).explanation().get(0);
    assertEquals(FieldResult.Result.NULL, one.result());
    assertEquals(FieldResult.Result.NULL, both.result());
    assertEquals(expected(oneNull, pass, fail), one.weight(), 1e-9, "one side missing");
    assertEquals(expected(bothNull, pass, fail), both.weight(), 1e-9, "both sides missing");
  }

  private static double expected(String handling, double pass, double fail) {
    return switch (handling) {
      case "greedy" -> pass;
      case "conservative" -> fail;
      default -> 0;
    };
  }

  @Test
  void normalisedScoreLeavesModerateNullsOutAndCountsConservativeOnes() {
    DecisionRules moderate = rules("moderate", "moderate");
    DecisionRules conservative = rules("conservative", "conservative");
    assertEquals(1.0, new Matcher(moderate).compare(record(moderate, null, "Okot", "1990-01-01", "male"),
        record(moderate, "Sam", "Okot", "1990-01-01", "male")).normalisedScore());
    assertEquals(0.75, new Matcher(conservative).compare(record(conservative, null, "Okot", "1990-01-01", "male"),
        record(conservative, "Sam", "Okot", "1990-01-01", "male")).normalisedScore());
  }

  @Test
  void probabilisticScoresAreLogOdds() {
    DecisionRules rules = DecisionRulesParser.parse("""
        { "rules": [ { "matchingType": "probabilistic",
            "fields": {
              "family": { "algorithm": "exact", "fhirpath": "name.family", "mValue": 0.9, "uValue": 0.1 },
              "birthDate": { "algorithm": "exact", "fhirpath": "birthDate", "mValue": 0.8, "uValue": 0.2 } },
            "potentialMatchThreshold": 0, "autoMatchThreshold": 4 } ] }""", FieldExtractor::validate);
    Matcher matcher = new Matcher(rules);
    Comparison pass = matcher.compare(record(rules, "a", "Okot", "1990-01-01", null),
        record(rules, "b", "Okot", "1990-01-01", null));
    assertEquals(Math.log(9) / Math.log(2) + 2, pass.score(), 1e-9);
    assertEquals(Outcome.AUTO, pass.outcome());
    Comparison fail = matcher.compare(record(rules, "a", "Okot", "1990-01-01", null),
        record(rules, "b", "Okot", "1991-01-01", null));
    assertEquals(Math.log(9) / Math.log(2) + Math.log(0.2 / 0.8) / Math.log(2), fail.score(), 1e-9);
    assertEquals(Outcome.REVIEW, fail.outcome());
  }

  @Test
  void olderSingleObjectFormatNeedsEveryFieldAndHonoursSystems() {
    DecisionRules rules = DecisionRulesParser.parse("""
        { "rules": {
            "givenName": { "algorithm": "jaro-winkler", "threshold": 0.89, "path": "name.given", "type": "string" },
            "familyName": { "algorithm": "jaro-winkler", "threshold": 0.89, "path": "name.family" },
            "birthDate": { "algorithm": "exact", "path": "birthDate", "systems": ["openmrs"] } } }""",
        FieldExtractor::validate);
    RuleSet set = rules.ruleSets().get(0);
    assertEquals(3, set.autoThreshold(), "all three fields must pass");
    Matcher matcher = new Matcher(rules);
    MatchRecord a = record(rules, "Sam", "Okot", "1990-01-01", null);
    MatchRecord otherDate = record(rules, "Sam", "Okot", "1991-01-01", null);
    MatchRecord emr1 = new MatchRecord("e1", 1, "openmrs", "g", false, a.values());
    MatchRecord emr2 = new MatchRecord("e2", 1, "openmrs", "g", false, otherDate.values());
    assertEquals(Outcome.NONE, matcher.compare(emr1, emr2).outcome(), "birth date applies between openmrs records");
    MatchRecord fromLab = new MatchRecord("lab", 1, "lims", "g", false, otherDate.values());
    MatchRecord fromEmr = new MatchRecord("emr", 1, "openmrs", "g", false, a.values());
    assertEquals(Outcome.AUTO, matcher.compare(fromEmr, fromLab).outcome(),
        "birth date is limited to openmrs records, so it does not hold a lab record back");
    assertTrue(BlockingKeys.plan(set).fields().length == 2, "a systems-limited field carries no key");
  }

  @Test
  void termFrequencyMakesARareNameWeighMore() {
    DecisionRules rules = DecisionRulesParser.parse("""
        { "rules": [ { "matchingType": "probabilistic",
            "fields": {
              "family": { "algorithm": "exact", "fhirpath": "name.family", "mValue": 0.9, "uValue": 0.01,
                          "termFrequency": true },
              "birthDate": { "algorithm": "exact", "fhirpath": "birthDate", "mValue": 0.9, "uValue": 0.01 } },
            "potentialMatchThreshold": 5, "autoMatchThreshold": 10 } ] }""", FieldExtractor::validate);
    MatchIndex index = new MatchIndex(rules, 100);
    for (int i = 0; i < 9; i++) {
      index.put(new MatchRecord("common" + i, 1, "c", "g" + i, false,
          record(rules, "a", "Okot", "19" + (10 + i) + "-01-01", null).values()));
    }
    index.put(new MatchRecord("rare", 1, "c", "gr", false, record(rules, "a", "Zzyzx", "1950-01-01", null).values()));
    Matcher matcher = new Matcher(rules, index);
    Comparison common = matcher.compare(record(rules, "a", "Okot", "2000-01-01", null),
        record(rules, "b", "Okot", "2000-01-01", null));
    Comparison rare = matcher.compare(record(rules, "a", "Zzyzx", "2000-01-01", null),
        record(rules, "b", "Zzyzx", "2000-01-01", null));
    double log2 = Math.log(2);
    assertEquals(Math.log(0.9 / 0.9) / log2, common.explanation().get(0).weight(), 1e-9, "9 of 10 records");
    assertEquals(Math.log(0.9 / 0.1) / log2, rare.explanation().get(0).weight(), 1e-9, "1 of 10 records");
    assertTrue(rare.score() > common.score());
    Comparison unseen = matcher.compare(record(rules, "a", "Newname", "2000-01-01", null),
        record(rules, "b", "Newname", "2000-01-01", null));
    assertEquals(Math.log(0.9 / 0.01) / log2, unseen.explanation().get(0).weight(), 1e-9,
        "a value not stored yet keeps the configured u");
  }

  @Test
  void blockingFindsTyposWithoutComparingEverything() {
    DecisionRules rules = rules("moderate", "moderate");
    MatchIndex index = new MatchIndex(rules, 100);
    index.put(record(rules, "Florence", "Nansubuga", "1983-02-17", "female").withLink("g1", false));
    index.put(record(rules, "Peter", "Mugisha", "2001-11-23", "male").withLink("g2", false));
    index.put(record(rules, "Grace", "Atim", "1979-07-01", "female").withLink("g3", false));
    Candidates found = index.candidates(record(rules, "Florance", "Nansubugga", "1983-02-17", "female").values(),
        "none");
    assertEquals(1, found.records().size());
    assertEquals("g1", found.records().get(0).goldenId());
    assertEquals(1, index.members("g1").size());
  }

  @Test
  void blockingPlanFollowsTheWeights() {
    // given 1, family 1, birthDate 2; potential 2: birthDate alone reaches it, so single-field keys; given can
    // go unkeyed because a pair reaching 2 always passes family or birthDate too.
    BlockingKeys.Plan names = BlockingKeys.plan(rules("moderate", "moderate").ruleSets().get(0));
    assertEquals(false, names.pairs());
    assertEquals(java.util.List.of(1, 2), java.util.Arrays.stream(names.fields()).boxed().toList());
    // Shipped rules (given 1, family 1, birthDate 1, gender 0.5, phone 1, nationalId 2; potential 3): every
    // potential match passes two fields of weight >= 1, so pairs, and gender carries no key.
    DecisionRules shipped = DecisionRulesParser.parse(java.nio.file.Path.of("config", "decision-rules.json"),
        FieldExtractor::validate);
    BlockingKeys.Plan plan = BlockingKeys.plan(shipped.ruleSets().get(0));
    assertEquals(true, plan.pairs());
    assertEquals(java.util.List.of(0, 1, 2, 4, 5), java.util.Arrays.stream(plan.fields()).boxed().toList());
    // A greedy field passes on a missing value that no key can see: it is never keyed, and the rest must carry.
    BlockingKeys.Plan greedy = BlockingKeys.plan(rules("greedy", "greedy").ruleSets().get(0));
    assertEquals(java.util.List.of(1, 2), java.util.Arrays.stream(greedy.fields()).boxed().toList());
    assertEquals(false, greedy.pairs(), "given (1, greedy) + birthDate (2) reach 2 with one keyed field");
  }

  private static MatchRecord johnOkello(DecisionRules rules, String id, String family, int i) {
    return new MatchRecord(id, 1, "c", "g" + id, false, rules.normalise(Map.of("name.given", List.of("John"),
        "name.family", List.of(family), "birthDate",
        List.of(java.time.LocalDate.of(1800, 1, 1).plusDays(400L * i).toString()))));
  }

  @Test
  void commonPairKeysAreNarrowedByAFieldEveryMatchBehindThemNeeds() {
    DecisionRules shipped = DecisionRulesParser.parse(java.nio.file.Path.of("config", "decision-rules.json"),
        FieldExtractor::validate);
    RuleSet set = shipped.ruleSets().get(0);
    BlockingKeys.Plan plan = BlockingKeys.plan(set);
    Map<String, List<String>> narrowing = new java.util.TreeMap<>();
    for (int p = 0; p < plan.keyPairs().length; p++) {
      narrowing.put(name(set, plan, plan.keyPairs()[p][0]) + "+" + name(set, plan, plan.keyPairs()[p][1]),
          java.util.Arrays.stream(plan.narrowing()[p]).mapToObj(x -> name(set, plan, x)).sorted().toList());
    }
    // nationalId (2) with any one field reaches 3: those pairs are minimal sets themselves and stay whole.
    // Without it three weight-1 fields must pass, so (given, family) can be narrowed by birthDate or phone.
    assertEquals(List.of("birthDate", "phone"), narrowing.get("given+family"), narrowing.toString());
    assertEquals(List.of(), narrowing.get("given+nationalId"), narrowing.toString());

    // A few Johns Okello born about a year apart are all candidates (the wide pair key).
    int few = MatchIndex.COMMON_KEY - 1;
    MatchIndex small = new MatchIndex(shipped, 1000);
    for (int i = 0; i < few; i++) {
      small.put(johnOkello(shipped, "r" + i, "Okello", i));
    }
    String[][] query = johnOkello(shipped, "q", "Okelo", 3).values(); // a typo in the family name
    assertEquals(few, small.candidates(query, null).records().size());
    query = johnOkello(shipped, "q", "Okelo", 12).values();
    // 200 of them: the pair key is common, so searches narrow it by birth date (or phone); the one born that day
    // is found, and few others (those sharing half of the birth date).
    MatchIndex large = new MatchIndex(shipped, 1000);
    for (int i = 0; i < 200; i++) {
      large.put(johnOkello(shipped, "r" + i, "Okello", i));
    }
    List<String> found = large.candidates(query, null).records().stream().map(MatchRecord::sourceId).toList();
    assertTrue(found.contains("r12") && found.size() <= 10, found.toString());
    assertTrue(large.wouldFind(query, johnOkello(shipped, "r12", "Okello", 12).values()));
    assertFalse(large.wouldFind(query, johnOkello(shipped, "r150", "Okello", 150).values()));
    // A changed birth date moves the record's narrower keys: found by the new date, not by the old one.
    large.put(johnOkello(shipped, "r12", "Okello", 150));
    assertFalse(large.candidates(query, null).records().stream().anyMatch(r -> r.sourceId().equals("r12")));
    assertTrue(large.candidates(johnOkello(shipped, "q", "Okelo", 150).values(), null).records().stream()
        .anyMatch(r -> r.sourceId().equals("r12")));
  }

  private static String name(RuleSet set, BlockingKeys.Plan plan, int position) {
    return set.fields().get(plan.fields()[position]).name();
  }

  private static final String EXTRA_KEYS = """
      { "rules": [ { "name": "extra", "matchingType": "deterministic", "fields": {
          "family": { "algorithm": "jaro-winkler-similarity", "threshold": 0.85, "fhirpath": "name.family",
                      "weight": 2 %s },
          "birthDate": { "algorithm": "date", "threshold": 31, "fhirpath": "birthDate", "weight": 2 %s },
          "city": { "algorithm": "exact", "fhirpath": "address.city", "weight": 0.5 %s } },
        "potentialMatchThreshold": 2, "autoMatchThreshold": 3 } ] }""";

  /** Whether records with these values share a blocking key under the rules. */
  private static boolean meet(String json, String[][] a, String[][] b) {
    MatchIndex index = new MatchIndex(DecisionRulesParser.parse(json, FieldExtractor::validate), 100);
    index.put(new MatchRecord("a", 1, "openmrs", "g", false, a));
    return !index.candidates(b, null).records().isEmpty();
  }

  @Test
  void extraBlockingKeysFindWhatTheAlgorithmsKeysMiss() {
    // family, birthDate, city slots. "harper"/"harppe" differ in soundex both ways but share a 4-letter prefix;
    // 1971-07-18/1972-07-20 share neither year nor month-day but lie two days apart in the year; the city is too
    // light to be keyed unless asked.
    String[][] a = {{"harper"}, {"1971-07-18"}, {"york"}};
    String[][] prefixOnly = {{"harppe"}, {}, {}};
    String[][] nearDayOnly = {{}, {"1972-07-20"}, {}};
    String[][] cityOnly = {{}, {}, {"york"}};
    String plain = String.format(EXTRA_KEYS, "", "", "");
    String extra = String.format(EXTRA_KEYS, ", \"prefixKey\": 4", ", \"nearDayKey\": 4", ", \"alwaysKey\": true");
    for (String[][] b : new String[][][] {prefixOnly, nearDayOnly, cityOnly}) {
      assertEquals(false, meet(plain, a, b), java.util.Arrays.deepToString(b));
      assertEquals(true, meet(extra, a, b), java.util.Arrays.deepToString(b));
    }
    // Day-of-year buckets: fewer than 4 days apart always meet, across any year; far apart never.
    for (int d = 0; d < 365; d++) {
      java.time.LocalDate x = java.time.LocalDate.of(2001, 1, 1).plusDays(d);
      for (int gap = 0; gap < 4 && d + gap < 365; gap++) {
        java.time.LocalDate y = x.plusDays(gap).withYear(1977);
        java.util.Set<String> kx = new java.util.HashSet<>(BlockingKeys.nearDayKeys(x.toString(), 4));
        kx.retainAll(BlockingKeys.nearDayKeys(y.toString(), 4));
        assertEquals(false, kx.isEmpty(), x + " and " + y);
      }
    }
    java.util.Set<String> far = new java.util.HashSet<>(BlockingKeys.nearDayKeys("2001-03-01", 4));
    far.retainAll(BlockingKeys.nearDayKeys("2001-03-20", 4));
    assertEquals(true, far.isEmpty());
  }

  private static final String ANY_ORDER = """
      { "rules": [ { "name": "any-order", "matchingType": "%s", "fields": {
          "given": { "algorithm": "jaro-winkler-similarity", "threshold": 0.85, "fhirpath": "name.given",
                     "mValue": 0.9, "uValue": 0.01, "anyOrderWith": "family" },
          "family": { "algorithm": "jaro-winkler-similarity", "threshold": 0.85, "fhirpath": "name.family",
                      "mValue": 0.9, "uValue": 0.01 },
          "birthDate": { "algorithm": "exact", "fhirpath": "birthDate", "mValue": 0.9, "uValue": 0.01 } },
        "potentialMatchThreshold": %s, "autoMatchThreshold": %s } ] }""";

  @Test
  void anyOrderFieldsMatchSwappedNamesOnceAndBlockingFindsThem() {
    for (String[] variant : new String[][] {{"probabilistic", "12", "18"}, {"deterministic", "2", "3"}}) {
      DecisionRules rules = DecisionRulesParser.parse(String.format(ANY_ORDER, (Object[]) variant),
          FieldExtractor::validate);
      assertEquals(1, rules.ruleSets().get(0).fields().get(0).partner());
      assertEquals(0, rules.ruleSets().get(0).fields().get(1).partner(), "declared on one field, set on both");
      MatchRecord a = record(rules, "George", "Davies", "2005-07-21", null);
      MatchRecord swapped = record(rules, "Davies", "George", "2005-07-21", null);
      Comparison c = new Matcher(rules).compare(a, swapped);
      assertEquals(Outcome.AUTO, c.outcome(), variant[0]);
      assertTrue(c.explanation().get(0).algorithm().contains("crossed with family"), c.explanation().toString());
      // One name shared across fields counts once, not for both fields.
      MatchRecord sameName = record(rules, "Thomas", "Thomas", "2005-07-21", null);
      MatchRecord other = record(rules, "Thomas", "Gabriel", "2005-07-21", null);
      org.junit.jupiter.api.Assertions.assertNotEquals(Outcome.AUTO,
          new Matcher(rules).compare(sameName, other).outcome(), variant[0]);
      // Blocking: the swapped record shares a key whichever keys the plan chose.
      BlockingKeys keys = new BlockingKeys(rules);
      java.util.Set<String> shared = new java.util.HashSet<>(keys.of(a.values()));
      shared.retainAll(keys.of(swapped.values()));
      assertFalse(shared.isEmpty(), variant[0] + " " + keys);
    }
  }

  @Test
  void anyOrderWithMustNameAnotherField() {
    RulesException e = assertThrows(RulesException.class, () -> DecisionRulesParser.parse(String.format(ANY_ORDER,
        "probabilistic", "12", "18").replace("\"anyOrderWith\": \"family\"", "\"anyOrderWith\": \"surname\""),
        FieldExtractor::validate));
    assertTrue(e.getMessage().contains("rules[0].fields.given.anyOrderWith"), e.getMessage());
  }

  @Test
  void pairKeysCoverEveryMinimalMatchingSetButSkipWeakPairs() {
    DecisionRules rules = DecisionRulesParser.parse(java.nio.file.Path.of("config/examples/febrl-probabilistic.json"),
        FieldExtractor::validate);
    RuleSet set = rules.ruleSets().get(0);
    BlockingKeys.Plan plan = BlockingKeys.plan(set);
    assertTrue(plan.pairs());
    List<String> names = set.fields().stream().map(FieldRule::name).toList();
    java.util.Set<String> keyed = new java.util.HashSet<>();
    for (int[] p : plan.keyPairs()) {
      keyed.add(names.get(plan.fields()[p[0]]) + "+" + names.get(plan.fields()[p[1]]));
    }
    assertFalse(keyed.contains("postcode+state"), keyed.toString());
    assertTrue(keyed.contains("birthDate+socialSecurityId"), keyed.toString());
    // Every set of fields whose pass weights reach the blocking threshold (the review threshold unless the rules
    // set one, as the example does) contains a keyed pair.
    int n = set.fields().size();
    for (int mask = 1; mask < (1 << n); mask++) {
      double sum = 0;
      for (int f = 0; f < n; f++) {
        sum += (mask & (1 << f)) != 0 ? set.fields().get(f).passWeight(set.type()) : 0;
      }
      if (sum < set.blockingThreshold()) {
        continue;
      }
      boolean covered = false;
      for (int[] p : plan.keyPairs()) {
        covered |= (mask & (1 << plan.fields()[p[0]])) != 0 && (mask & (1 << plan.fields()[p[1]])) != 0;
      }
      assertTrue(covered, "no keyed pair in field set " + Integer.toBinaryString(mask));
    }
  }
}
