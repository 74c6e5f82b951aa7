package org.clientregistry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.tools.PairwiseQuality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's parts: a repeatable generator with known truth, pair counting, and a small run end to end. */
class BenchCommandTest {

  @Test
  void theGeneratorIsRepeatableAndMakesTheAskedShareOfDuplicates() {
    List<SyntheticPatients.Record> a = new SyntheticPatients(7, 0.3).next(5_000);
    List<SyntheticPatients.Record> b = new SyntheticPatients(7, 0.3).next(5_000);
    assertEquals(a.get(4_999).patient(), b.get(4_999).patient(), "same seed, same records");
    Set<Long> persons = new HashSet<>();
    Set<String> internalIds = new HashSet<>();
    a.forEach(r -> {
      persons.add(r.person());
      internalIds.add(r.client() + "|" + r.internalId());
    });
    double duplicateShare = 1 - persons.size() / 5_000.0;
    assertTrue(Math.abs(duplicateShare - 0.3) < 0.03, "duplicates: " + duplicateShare);
    assertEquals(5_000, internalIds.size(), "every record has its own internal id");
  }

  @Test
  void pairCountingMatchesAHandCount() {
    // persons: p1 ×3, p2 ×2; registry: {0,1}, {2,3}, {4}
    PairwiseQuality q = PairwiseQuality.of(List.of("p1", "p1", "p1", "p2", "p2"),
        java.util.Arrays.asList("g1", "g1", "g2", "g2", null));
    assertEquals(4, q.truePairs());
    assertEquals(2, q.linkedPairs());
    assertEquals(1, q.truePositives());
    assertEquals(0.5, q.precision(), 1e-9);
    assertEquals(0.25, q.recall(), 1e-9);
  }

  @Test
  void aSmallRunWritesItsFigures(@TempDir Path out) throws Exception {
    BenchCommand.main(new String[] {"--records", "300", "--warmup", "100", "--preload", "200", "--lookups", "50",
        "--clients", "4", "--heap", "512m", "--out", out.toString()});
    JsonNode r = new ObjectMapper().readTree(Files.readString(out.resolve("bench-500.json")));
    assertEquals(100, r.path("warmup").path("requests").asInt(), "the warm-up is apart from the measured phase");
    assertEquals(200, r.path("singleSubmissions").path("requests").asInt());
    assertTrue(r.path("candidates").path("lookups").asLong() >= 500, r.path("candidates").toString());
    assertEquals(0, r.path("singleSubmissions").path("failed").asInt());
    assertEquals(0, r.path("pix").path("failed").asInt());
    assertEquals(0, r.path("pixOneInFlight").path("failed").asInt());
    assertTrue(r.path("pixOneInFlight").path("p99Ms").asDouble() > 0, "one in flight is measured too");
    assertEquals(0, r.path("match").path("failed").asInt());
    assertTrue(r.path("bulk").path("recordsPerSecond").asDouble() > 0);
    assertTrue(r.path("singleSubmissions").path("p99Ms").asDouble() >= r.path("singleSubmissions").path("p50Ms")
        .asDouble());
    assertTrue(r.path("restartReadyMs").asLong() > 0);
    assertTrue(r.path("restartFromSnapshot").asBoolean(), "a clean stop kept the index, the next start read it");
    assertTrue(r.path("rebuildReadyMs").asLong() > 0);
    assertTrue(r.path("quality").path("precision").asDouble() > 0.95, r.path("quality").toString());
    assertTrue(Files.readString(out.resolve("bench-500.md")).contains("| singleSubmissions | 200 |"));
    // The console, signed in as the bench's administrator: every search answered and found its record.
    JsonNode console = r.path("console");
    assertEquals(0, console.path("searchByIdentifier").path("failed").asInt(), console.toString());
    assertEquals(50, console.path("searchByIdentifier").path("foundAGoldenRecord").asInt(), console.toString());
    assertEquals(0, console.path("searchByNameAndBirthDate").path("failed").asInt(), console.toString());
    assertTrue(console.path("searchByNameAndBirthDate").path("foundAGoldenRecord").asInt() > 40, console.toString());
    assertTrue(console.path("openItemsSampled").asInt() == 0
        || console.path("reviewItemPage").path("failed").asInt() == 0, console.toString());
    assertTrue(Files.readString(out.resolve("bench-500.md")).contains("| console searchByIdentifier | 50 |"));
  }
}
