package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up loading of the index from the real embedded store, in batches, with and without stored values. */
class IndexLoaderTest {
  private static final String RULES = """
      { "rules": [ { "name": "r", "matchingType": "deterministic", "fields": {
          "family": { "algorithm": "exact", "weight": 1, "fhirpath": "name.family" },
          "city": { "algorithm": "exact", "weight": 1, "fhirpath": "address.city" } },
        "potentialMatchThreshold": 2, "autoMatchThreshold": 2 } ] }""";

  @Test
  void loadsEveryRecordAndEvaluatesNewExpressionsOnTheStoredResource(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedStore store = EmbeddedStore.open(vertx, dir, "normal");
      // 1,001 records (several loader batches and a partial one). Values were kept for name.family only, as rules
      // without the city field would have kept them: the city must come from the resource at load.
      List<String> ids = new ArrayList<>();
      List<ChangeSet.SourceWrite> sources = new ArrayList<>();
      List<ChangeSet.GoldenWrite> goldens = new ArrayList<>();
      Instant at = Instant.parse("2026-12-01T00:00:00Z");
      for (int i = 0; i < 1001; i++) {
        String id = UUID.randomUUID().toString();
        String golden = UUID.randomUUID().toString();
        ids.add(id);
        String resource = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Family" + i + "\"}],"
            + "\"address\":[{\"city\":\"City" + (i % 7) + "\"}]}";
        String fields = i % 2 == 0 ? "{\"name.family\":[\"Family" + i + "\"]}"
            : "{\"name.family\":[\"Family" + i + "\"],\"address.city\":[\"City" + (i % 7) + "\"]}";
        sources.add(new ChangeSet.SourceWrite(id, 0, 1, golden,
            new LinkFacts(LinkFacts.AUTO, null, null, null, at, null),
            new ChangeSet.Content("openmrs", "http://clientregistry.org/openmrs", "om-" + i,
                List.of(new ChangeSet.Identifier("http://clientregistry.org/openmrs", "om-" + i)), resource, fields)));
        goldens.add(new ChangeSet.GoldenWrite(golden, 0, 1, null, List.of(id)));
      }
      store.commit(new ChangeSet(at, sources, goldens, List.of(), List.of())).await();

      DecisionRules rules = DecisionRulesParser.parse(RULES, FieldExtractor::validate);
      MatchIndex index = new MatchIndex(rules, 100);
      long loaded = new IndexLoader(store, rules, new FieldExtractor(rules.expressions())).load(index).await();

      assertEquals(1001, loaded);
      assertEquals(1001, index.size());
      for (int i : new int[] {0, 1, 500, 999, 1000}) {
        MatchRecord r = index.record(ids.get(i)).orElseThrow();
        assertArrayEquals(new String[][] {{"family" + i}, {"city" + (i % 7)}}, r.values(), "record " + i);
        assertEquals("openmrs", r.clientId());
        assertEquals(1, index.members(r.goldenId()).size());
        assertEquals(1, index.goldenVersion(r.goldenId()));
      }
      // And candidates come from the loaded postings: the same family and city find the record.
      assertEquals(ids.get(42), index.candidates(new String[][] {{"family42"}, {"city0"}}, null).records()
          .get(0).sourceId());
      store.close().await();
    } finally {
      vertx.close().await();
    }
  }
  @Test
  void commonKeysFoundAtTheEndOfTheLoadAreNarrowedAsWhenRecordsArriveOneByOne(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedStore store = EmbeddedStore.open(vertx, dir, "normal");
      DecisionRules rules = DecisionRulesParser.parse(Path.of("config", "decision-rules.json"),
          FieldExtractor::validate);
      MatchIndex oneByOne = new MatchIndex(rules, 1000);
      List<ChangeSet.SourceWrite> sources = new ArrayList<>();
      List<ChangeSet.GoldenWrite> goldens = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      Instant at = Instant.parse("2026-12-01T00:00:00Z");
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      for (int i = 0; i < 300; i++) { // 300 Johns Okello born about a year apart: (given, family) keys are common
        String id = UUID.randomUUID().toString();
        String golden = UUID.randomUUID().toString();
        ids.add(id);
        String birth = java.time.LocalDate.of(1800, 1, 1).plusDays(400L * i).toString();
        java.util.Map<String, List<String>> raw = new java.util.LinkedHashMap<>();
        rules.expressions().forEach(e -> raw.put(e, List.of()));
        raw.put("name.given", List.of("John"));
        raw.put("name.family", List.of("Okello"));
        raw.put("birthDate", List.of(birth));
        String resource = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Okello\",\"given\":[\"John\"]}],"
            + "\"birthDate\":\"" + birth + "\"}";
        sources.add(new ChangeSet.SourceWrite(id, 0, 1, golden,
            new LinkFacts(LinkFacts.AUTO, null, null, null, at, null),
            new ChangeSet.Content("openmrs", "http://clientregistry.org/openmrs", "om-" + i,
                List.of(new ChangeSet.Identifier("http://clientregistry.org/openmrs", "om-" + i)), resource,
                json.writeValueAsString(raw))));
        goldens.add(new ChangeSet.GoldenWrite(golden, 0, 1, null, List.of(id)));
        oneByOne.put(new MatchRecord(id, 1, "openmrs", golden, false, rules.normalise(raw)));
      }
      store.commit(new ChangeSet(at, sources, goldens, List.of(), List.of())).await();
      MatchIndex loaded = new MatchIndex(rules, 1000);
      new IndexLoader(store, rules, new FieldExtractor(rules.expressions())).load(loaded).await();

      String[][] query = rules.normalise(java.util.Map.of("name.given", List.of("John"), "name.family",
          List.of("Okelo"), "birthDate", List.of(java.time.LocalDate.of(1800, 1, 1).plusDays(400L * 120).toString())));
      List<String> found = loaded.candidates(query, null).records().stream().map(MatchRecord::sourceId).sorted()
          .toList();
      org.junit.jupiter.api.Assertions.assertTrue(found.contains(ids.get(120)) && found.size() <= 10,
          found.size() + " candidates");
      assertEquals(oneByOne.candidates(query, null).records().stream().map(MatchRecord::sourceId).sorted().toList(),
          found);
      store.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
