package org.clientregistry.store.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.clientregistry.security.OwnerOnly;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * SQLite connections: one writer (SQLite allows one writer at a time; a single connection on a single thread
 * avoids lock contention) and a small pool of readers, which WAL mode lets run beside the writer.
 */
final class SqliteConnections implements AutoCloseable {
  private final String url;
  private final String synchronous;
  private Connection writer; // the writer's thread only
  private final BlockingQueue<Connection> readers;
  private final String snapshotToken;

  SqliteConnections(Path dataDir, String synchronous, int readerCount) throws SQLException, IOException {
    OwnerOnly.directories(dataDir);
    // SQLite gives its -wal and -shm files the database file's mode, so an owner-only database keeps them so too.
    Path database = OwnerOnly.file(dataDir.resolve("registry.db"));
    url = "jdbc:sqlite:" + database.toAbsolutePath();
    this.synchronous = synchronous;
    writer = open(url, synchronous, WRITER_CACHE_KIB);
    for (String journal : new String[] {"registry.db-wal", "registry.db-shm"}) {
      OwnerOnly.restrict(dataDir.resolve(journal)); // made by an older version, before the database was 0600
    }
    applySchema(writer);
    snapshotToken = takeSnapshotToken(writer);
    readers = new ArrayBlockingQueue<>(readerCount);
    for (int i = 0; i < readerCount; i++) {
      Connection c = open(url, synchronous, READER_CACHE_KIB);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA query_only=1"); // readers never write, by construction
      }
      readers.add(c);
    }
  }

  /**
   * Page caches: SQLite's default (2 MB) holds little of a million-record database, so every commit read index
   * pages again through the kernel. The writer touches the most pages; readers look single rows up.
   */
  private static final int WRITER_CACHE_KIB = 64 * 1024;
  private static final int READER_CACHE_KIB = 16 * 1024;
  /** Reads through a memory map of the database file (up to this size), not a system call and a copy per page. */
  private static final long MMAP_BYTES = 1L << 30;

  private static Connection open(String url, String synchronous, int cacheKib) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA cache_size=-" + cacheKib);
      s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
      // WAL: readers never block the writer; synchronous=FULL also survives power loss, NORMAL survives a
      // killed process (the WAL is in the OS cache) at a lower cost per commit.
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + synchronous.toUpperCase());
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA foreign_keys=OFF");
    }
    return c;
  }

  private static void applySchema(Connection c) throws SQLException, IOException {
    String script;
    try (InputStream in = SqliteConnections.class.getResourceAsStream("/db/embedded-schema.sql")) {
      if (in == null) {
        throw new IOException("db/embedded-schema.sql is missing from the classpath");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String statement : script.replaceAll("(?m)^--.*$", "").split(";\\s*\\n")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
      addMissingColumns(c);
      SubscriptionTables.migrate(c);
      s.execute("PRAGMA user_version=3");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  /** Columns added after version 1; CREATE TABLE IF NOT EXISTS leaves an older table as it was. */
  private static void addMissingColumns(Connection c) throws SQLException {
    addMissingColumn(c, "source_record", "link_explanation");
    addMissingColumn(c, "review_item", "candidate_id");
    addMissingColumn(c, "review_item", "comment");
    addMissingColumn(c, "golden_record", "change_seq", "INTEGER"); // the patient change feed (subscriptions)
  }

  private static void addMissingColumn(Connection c, String table, String column) throws SQLException {
    addMissingColumn(c, table, column, "TEXT");
  }

  private static void addMissingColumn(Connection c, String table, String column, String type)
      throws SQLException {
    try (Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (rs.getString("name").equals(column)) {
          return;
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }
  }

  /** Reads and removes the index snapshot token, in one transaction: whoever opens the store takes it. */
  private static String takeSnapshotToken(Connection c) throws SQLException {
    String token = null;
    try (Statement s = c.createStatement()) {
      try (java.sql.ResultSet rs = s.executeQuery("SELECT token FROM index_snapshot")) {
        token = rs.next() ? rs.getString(1) : null;
      }
      s.execute("DELETE FROM index_snapshot");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
    return token;
  }

  /** The token taken at open (null when there was none). */
  String snapshotToken() {
    return snapshotToken;
  }

  /** Keeps a token for the next open. On the writer's thread, as the writer's own transaction. */
  void keepSnapshotToken(String token) throws SQLException {
    try (java.sql.PreparedStatement ps = writer.prepareStatement("INSERT INTO index_snapshot (token) VALUES (?)");
         Statement s = writer.createStatement()) {
      s.execute("DELETE FROM index_snapshot");
      ps.setString(1, token);
      ps.executeUpdate();
      writer.commit();
    } catch (SQLException e) {
      writer.rollback();
      throw e;
    }
  }

  Connection writer() {
    return writer;
  }

  /**
   * A fresh writer connection in place of one that met an I/O error (disk full, read-only directory): SQLite can
   * keep such a connection in its error state after the cause is gone. Writer's thread only.
   */
  void reopenWriter() throws SQLException {
    Connection fresh = open(url, synchronous, WRITER_CACHE_KIB);
    fresh.setAutoCommit(false);
    Connection old = writer;
    writer = fresh;
    try {
      old.close();
    } catch (SQLException ignored) {
      // it failed already; the fresh one is what matters
    }
  }

  Connection takeReader() throws InterruptedException {
    return readers.take();
  }

  void returnReader(Connection c) {
    readers.add(c);
  }

  @Override
  public void close() throws SQLException {
    writer.close();
    for (Connection c : readers) {
      c.close();
    }
  }
}
