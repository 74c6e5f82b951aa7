package org.clientregistry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.clientregistry.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written by the first schema version opens with the current code, its rows intact. */
class EmbeddedSchemaTest {
  @TempDir
  Path dir;

  @Test
  void versionOneDatabaseGainsTheLinkExplanationColumn() throws Exception {
    Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE source_record (id TEXT PRIMARY KEY, version INTEGER NOT NULL, client_id TEXT NOT NULL,"
          + " id_system TEXT NOT NULL, id_value TEXT NOT NULL, golden_id TEXT NOT NULL, link_method TEXT NOT NULL,"
          + " link_score REAL, link_grade TEXT, link_rule TEXT, link_time TEXT NOT NULL, resource TEXT NOT NULL,"
          + " fields TEXT NOT NULL, last_updated TEXT NOT NULL, UNIQUE (client_id, id_system, id_value))");
      s.execute("INSERT INTO source_record VALUES ('s1', 1, 'openmrs', 'sys', 'v1', 'g1', 'auto', NULL, NULL, NULL,"
          + " '2026-01-01T00:00:00Z', '{\"resourceType\":\"Patient\"}', '{}', '2026-01-01T00:00:00Z')");
      s.execute("PRAGMA user_version=1");
    }
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedStore store = EmbeddedStore.open(vertx, dir, "normal");
      SourceRecord s1 = store.source("s1").await().orElseThrow();
      assertEquals("g1", s1.goldenId());
      assertEquals(null, s1.link().explanationJson());
      store.close().await();
    } finally {
      vertx.close().await();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      assertTrue(rs.next());
      assertEquals(3, rs.getInt(1), "the schema version SqliteConnections writes");
    }
  }
}
