package org.clientregistry.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index written to a snapshot and read back behaves as the index it was written from: same records, golden
 * records, candidates, term frequencies and marks, and the same again after more writes to both. A damaged file,
 * or one made for other rules or another store state, is refused.
 */
class IndexSnapshotTest {
  private static final String[] GIVEN = {"john", "mary", "peter", "grace", "joseph", "sarah", "david", "ruth"};
  private static final String[] FAMILY = {"okello", "nambi", "mukasa", "achieng", "otieno", "wanjiru"};

  @TempDir
  Path dir;
  private DecisionRules rules;
  private SplittableRandom random;
  private final List<String> ids = new ArrayList<>();
  private final Map<String, Integer> goldenVersions = new HashMap<>();

  @BeforeEach
  void rules() {
    // Probabilistic rules with term frequencies: the index keeps value counts as well as keys.
    rules = DecisionRulesParser.parse(Path.of("config/examples/febrl-probabilistic.json"), e -> {});
    random = new SplittableRandom(42);
  }

  @Test
  void aForgottenRecordIsNoCandidateNorMemberUntilPutAgainAndStaysForgottenInASnapshot() throws IOException {
    MatchIndex index = new MatchIndex(rules, 100);
    writes(index, 500, 0);
    MatchRecord lost = index.record(ids.get(7)).orElseThrow();
    int membersBefore = index.members(lost.goldenId()).size();
    index.forget(List.of(lost.sourceId()));
    assertTrue(index.record(lost.sourceId()).isEmpty());
    assertTrue(!index.contains(lost.sourceId()));
    assertTrue(index.candidates(lost.values(), null).records().stream()
        .noneMatch(r -> r.sourceId().equals(lost.sourceId())));
    assertEquals(membersBefore - 1, index.members(lost.goldenId()).size());
    Path file = dir.resolve("forgotten.snapshot");
    IndexSnapshot.Header header = new IndexSnapshot.Header(IndexSnapshot.fingerprint(rules), "token-f");
    IndexSnapshot.write(index, header, file);
    MatchIndex read = new MatchIndex(rules, 100);
    IndexSnapshot.read(file, header, read);
    assertTrue(read.record(lost.sourceId()).isEmpty());
    // Made again (the record resubmitted): found as before, once.
    index.put(lost);
    assertEquals(lost.goldenId(), index.record(lost.sourceId()).orElseThrow().goldenId());
    assertEquals(1, index.candidates(lost.values(), null).records().stream()
        .filter(r -> r.sourceId().equals(lost.sourceId())).count());
    assertEquals(membersBefore, index.members(lost.goldenId()).size());
  }

  @Test
  void anIndexReadBackIsTheIndexThatWasWritten() throws IOException {
    MatchIndex written = new MatchIndex(rules, 100);
    writes(written, 3_000, 0);
    written.apply(List.of(), goldenVersions);
    written.markNotSame(ids.get(0), ids.get(1));
    written.markNotSame(ids.get(0), ids.get(2));
    IndexSnapshot.Header header = new IndexSnapshot.Header(IndexSnapshot.fingerprint(rules), "token-1");
    Path file = dir.resolve("index.snapshot");
    assertTrue(IndexSnapshot.write(written, header, file) > 0);

    MatchIndex read = new MatchIndex(rules, 100);
    IndexSnapshot.read(file, header, read);
    assertSameIndex(written, read);
    assertTrue(read.notSamePerson(ids.get(2), ids.get(0)));

    // Both go on alike: the read index's tables, lists and counters work for further writes.
    List<String> idsBefore = new ArrayList<>(ids);
    Map<String, Integer> versionsBefore = new HashMap<>(goldenVersions);
    random = new SplittableRandom(7);
    writes(written, 1_000, 3_000);
    ids.clear();
    ids.addAll(idsBefore);
    goldenVersions.clear();
    goldenVersions.putAll(versionsBefore);
    random = new SplittableRandom(7);
    writes(read, 1_000, 3_000);
    assertSameIndex(written, read);
  }

  @Test
  void snapshotsOfOtherRulesOtherStoreStatesOrDamagedFilesAreRefused() throws IOException {
    MatchIndex index = new MatchIndex(rules, 100);
    writes(index, 500, 0);
    String fingerprint = IndexSnapshot.fingerprint(rules);
    assertNotNull(fingerprint);
    assertEquals(fingerprint, IndexSnapshot.fingerprint(
        DecisionRulesParser.parse(Path.of("config/examples/febrl-probabilistic.json"), e -> {})),
        "the same rules give the same fingerprint");
    assertNotEquals(fingerprint, IndexSnapshot.fingerprint(
        DecisionRulesParser.parse(Path.of("config/decision-rules.json"), e -> {})));
    IndexSnapshot.Header header = new IndexSnapshot.Header(fingerprint, "token-1");
    Path file = dir.resolve("index.snapshot");
    IndexSnapshot.write(index, header, file);

    IOException otherState = assertThrows(IOException.class, () -> IndexSnapshot.read(file,
        new IndexSnapshot.Header(fingerprint, "token-2"), new MatchIndex(rules, 100)));
    assertTrue(otherState.getMessage().contains("another state of the store"));
    IOException otherRules = assertThrows(IOException.class, () -> IndexSnapshot.read(file,
        new IndexSnapshot.Header("0".repeat(64), "token-1"), new MatchIndex(rules, 100)));
    assertTrue(otherRules.getMessage().contains("other decision rules"));

    byte[] bytes = Files.readAllBytes(file);
    for (int at : new int[] {bytes.length / 3, bytes.length / 2, bytes.length - 20}) {
      byte[] damaged = bytes.clone();
      damaged[at] ^= 0x10;
      Files.write(file, damaged);
      assertThrows(Exception.class, () -> IndexSnapshot.read(file, header, new MatchIndex(rules, 100)),
          "a flipped bit at " + at);
    }
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThrows(IOException.class, () -> IndexSnapshot.read(file, header, new MatchIndex(rules, 100)),
        "a file cut short");
    Files.write(file, bytes);
    IndexSnapshot.read(file, header, new MatchIndex(rules, 100)); // the whole file still reads
  }

  /** {@code n} writes: new records mostly, some replacing earlier ones (other values, another golden record). */
  private void writes(MatchIndex index, int n, int from) {
    for (int i = 0; i < n; i++) {
      boolean replace = !ids.isEmpty() && random.nextInt(5) == 0;
      String id;
      if (replace) {
        id = ids.get(random.nextInt(ids.size()));
      } else {
        id = (from + i) % 10 == 0 ? "hapi-" + (from + i) : new UUID(random.nextLong(), random.nextLong()).toString();
        ids.add(id);
      }
      String golden = "g" + random.nextInt(Math.max(1, (from + i) / 2 + 1));
      goldenVersions.merge(golden, 1, Integer::sum);
      index.put(new MatchRecord(id, 1 + random.nextInt(3), "client" + random.nextInt(3), golden,
          random.nextInt(10) == 0, values()));
    }
    index.apply(List.of(), goldenVersions);
  }

  /** Values per slot from small pools, so that keys are shared and some turn common. */
  private String[][] values() {
    String[][] values = new String[rules.slots().size()][];
    for (int s = 0; s < values.length; s++) {
      String path = rules.slots().get(s).fhirpath();
      String v = path.contains("given") ? GIVEN[random.nextInt(GIVEN.length)]
          : path.contains("family") ? FAMILY[random.nextInt(FAMILY.length)]
          : path.contains("birthDate") ? "19" + (50 + random.nextInt(40)) + "-0" + (1 + random.nextInt(9)) + "-1"
              + random.nextInt(10)
          : Integer.toString(random.nextInt(200));
      values[s] = random.nextInt(15) == 0 ? new String[0] : new String[] {v};
    }
    return values;
  }

  private void assertSameIndex(MatchIndex expected, MatchIndex actual) {
    assertEquals(expected.size(), actual.size());
    for (String id : ids) {
      MatchRecord e = expected.record(id).orElseThrow();
      MatchRecord a = actual.record(id).orElseThrow();
      assertEquals(List.of(e.sourceId(), e.version(), e.clientId(), e.goldenId(), e.manualLink()),
          List.of(a.sourceId(), a.version(), a.clientId(), a.goldenId(), a.manualLink()));
      assertEquals(e.values().length, a.values().length);
      for (int s = 0; s < e.values().length; s++) {
        assertArrayEquals(e.values()[s], a.values()[s]);
      }
      assertEquals(memberIds(expected, e.goldenId()), memberIds(actual, e.goldenId()));
      assertEquals(expected.goldenVersion(e.goldenId()), actual.goldenVersion(e.goldenId()));
    }
    for (int q = 0; q < 300; q++) {
      String[][] query = q % 2 == 0 ? expected.record(ids.get(random.nextInt(ids.size()))).orElseThrow().values()
          : values();
      Candidates e = expected.candidates(query, null);
      Candidates a = actual.candidates(query, null);
      assertEquals(e.records().stream().map(MatchRecord::sourceId).toList(),
          a.records().stream().map(MatchRecord::sourceId).toList(), "candidates of query " + q);
      assertEquals(e.capped(), a.capped());
      for (int s = 0; s < query.length; s++) {
        for (String v : query[s]) {
          assertEquals(expected.frequency(s, v), actual.frequency(s, v), 0.0, "frequency of " + v);
        }
      }
    }
  }

  private static List<String> memberIds(MatchIndex index, String goldenId) {
    return index.members(goldenId).stream().map(MatchRecord::sourceId).toList();
  }
}
