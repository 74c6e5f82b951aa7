package org.clientregistry.store;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.clientregistry.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded registry keeps its matching index on disk at a clean stop and reads it back at the next start; it
 * rebuilds from the store instead when the store was opened in between, and keeps nothing when told not to.
 */
class IndexKeptOnDiskTest {
  private static final String[][] PEOPLE = {
      {"Olivia", "Nambi", "female", "1987-07-07", "0777070787"},
      {"Joseph", "Okello", "male", "1979-02-14", "0772000111"},
      {"Grace", "Achieng", "female", "1995-11-30", "0701234567"},
      {"Peter", "Mukasa", "male", "2001-05-05", "0755111222"}};

  @TempDir
  Path dir;

  @Test
  void aCleanStopKeepsTheIndexAndTheNextStartReadsItBack() {
    List<String> cruids = new ArrayList<>();
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      assertFalse(registry.registry().matching().restoredFromSnapshot(), "nothing was kept before the first start");
      for (int i = 0; i < PEOPLE.length; i++) {
        cruids.add(submit(registry, "openmrs", "a-" + i, PEOPLE[i]).getHeader("LocationCRUID"));
      }
    }
    Path snapshot = dir.resolve("data/matching-index.snapshot");
    assertTrue(Files.exists(snapshot), "the stop kept the index");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        assertDoesNotThrow(() -> Files.getPosixFilePermissions(snapshot))), "personal data: the owner's only");

    try (TestRegistry again = new TestRegistry(dir).start()) {
      assertTrue(again.registry().matching().restoredFromSnapshot());
      assertFalse(Files.exists(snapshot), "a snapshot is read once, then removed");
      assertEquals(PEOPLE.length, again.registry().matching().get().index().size());
      // The index read back links a second system's records to the same people.
      for (int i = 0; i < PEOPLE.length; i++) {
        HttpResponse<Buffer> r = submit(again, "lims", "b-" + i, PEOPLE[i]);
        assertEquals(201, r.statusCode());
        assertEquals(cruids.get(i), r.getHeader("LocationCRUID"));
      }
    }

    // Anything that opens the store in between (and might write to it) takes the token: the index is rebuilt.
    assertTrue(Files.exists(snapshot));
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedStore.open(vertx, dir.resolve("data"), "normal").close().await();
    } finally {
      vertx.close().await();
    }
    try (TestRegistry third = new TestRegistry(dir).start()) {
      assertFalse(third.registry().matching().restoredFromSnapshot());
      assertFalse(Files.exists(snapshot), "the unusable snapshot is removed");
      assertEquals(2 * PEOPLE.length, third.registry().matching().get().index().size());
      HttpResponse<Buffer> r = submit(third, "dhis2", "c-0", PEOPLE[0]);
      assertEquals(cruids.get(0), r.getHeader("LocationCRUID"));
    }
  }

  @Test
  void aStopWhileSubmissionsRunLeavesAnIndexHoldingExactlyWhatWasCommitted() throws Exception {
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        sent.add(registry.client("openmrs").post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
            .sendBuffer(Buffer.buffer(patient("openmrs", "run-" + i, "Given" + i, "Family" + i, "female",
                "1990-01-" + (10 + i % 18), null, null).encode())));
      }
      sent.get(0).await();
      registry.stop(); // with submissions still under way
      io.vertx.core.Future.join(sent).otherwiseEmpty().await();
      for (var f : sent) {
        assertTrue(f.failed() || List.of(200, 201, 503).contains(f.result().statusCode()),
            f.failed() ? f.cause().toString() : f.result().bodyAsString());
      }
    }
    long committed;
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         var rs = c.createStatement().executeQuery("SELECT count(*) FROM source_record")) {
      rs.next();
      committed = rs.getLong(1);
    }
    assertTrue(committed >= 1);
    try (TestRegistry again = new TestRegistry(dir).start()) {
      // Read back from disk or rebuilt: either way every committed record and nothing else.
      assertEquals(committed, again.registry().matching().get().index().size());
    }
  }

  @Test
  void keepIndexFalseKeepsNothing() {
    try (TestRegistry registry = new TestRegistry(dir, Map.of("CR_STORE_KEEP_INDEX", "false")).start()) {
      submit(registry, "openmrs", "a-0", PEOPLE[0]);
    }
    assertFalse(Files.exists(dir.resolve("data/matching-index.snapshot")));
  }

  private static HttpResponse<Buffer> submit(TestRegistry registry, String client, String id, String[] p) {
    return registry.post(client, "/fhir/Patient", patient(client, id, p[0], p[1], p[2], p[3], p[4], null));
  }
}
