package org.clientregistry.store.embedded;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;
import org.clientregistry.store.StoreConflictException;
import org.clientregistry.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded adapter: SQLite in the data directory. Each ChangeSet is one database transaction; reads run on a
 * pool of reader connections. JDBC blocks, so every call runs on this store's own worker threads.
 */
public final class EmbeddedStore implements PatientStore, org.clientregistry.store.IndexSnapshotPlace,
    org.clientregistry.store.DemographicSearch, org.clientregistry.store.SubscriptionStore {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);
  private static final int READERS = 4;
  static final String SOURCE_COLUMNS = "id, version, client_id, id_system, id_value, golden_id, link_method,"
      + " link_score, link_grade, link_rule, link_time, resource, fields, last_updated, link_explanation";

  /** Most change sets written in one transaction. */
  private static final int MAX_GROUP = 256;

  private final Vertx vertx;
  private final SqliteConnections connections;
  private final Path dataDir;
  private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean(false);
  private final WorkerExecutor writerThread;
  private final WorkerExecutor readerThreads;
  /** The writer's prepared statements (writer thread only; remade with the writer after an I/O error). */
  private WriterStatements statements;
  /** A full disk fails every write until space returns: one line per interval, not one per transaction. */
  private final org.clientregistry.logging.BurstLog writeFaults;
  /** Why the last write failed (disk full, read-only), until a write succeeds again; null while writes work. */
  private volatile String writeFault;

  private EmbeddedStore(Vertx vertx, SqliteConnections connections, Path dataDir) {
    this.vertx = vertx;
    this.connections = connections;
    this.dataDir = dataDir;
    this.writerThread = vertx.createSharedWorkerExecutor("cr-store-writer", 1);
    this.readerThreads = vertx.createSharedWorkerExecutor("cr-store-reader", READERS);
    this.statements = new WriterStatements(connections.writer());
    this.writeFaults = new org.clientregistry.logging.BurstLog(vertx, LOG, "failed store writes", 10_000);
  }

  /** Opens (and creates or migrates) the database; blocking, so call it at start-up before serving. */
  public static EmbeddedStore open(Vertx vertx, Path dataDir, String synchronous) {
    try {
      EmbeddedStore store = new EmbeddedStore(vertx, new SqliteConnections(dataDir, synchronous, READERS), dataDir);
      LOG.info("Embedded store open at {} (synchronous={})", dataDir.toAbsolutePath(), synchronous);
      return store;
    } catch (SQLException | IOException e) {
      throw new StoreUnavailableException("Cannot open the embedded store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Future<Optional<SourceRecord>> sourceByInternalId(String clientId, String system, String value) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + SOURCE_COLUMNS
          + " FROM source_record WHERE client_id = ? AND id_system = ? AND id_value = ?")) {
        ps.setString(1, clientId);
        ps.setString(2, system);
        ps.setString(3, value);
        return oneSource(ps);
      }
    });
  }

  @Override
  public Future<Optional<SourceRecord>> source(String id) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + SOURCE_COLUMNS + " FROM source_record WHERE id = ?")) {
        ps.setString(1, id);
        return oneSource(ps);
      }
    });
  }

  @Override
  public Future<List<String>> sourceIdsByIdentifier(String system, String value) {
    return read(c -> sourceIdsByIdentifier(c, system, value));
  }

  @Override
  public Future<List<SourceIdentifier>> identifiersOf(List<String> sourceIds) {
    return read(c -> identifiersOf(c, sourceIds));
  }

  @Override
  public List<String> parameters() {
    return EmbeddedSearch.PARAMETERS;
  }

  @Override
  public Future<List<String>> searchSources(List<Clause> clauses, int limit) {
    return read(c -> EmbeddedSearch.run(c, clauses, limit));
  }

  @Override
  public Future<Optional<GoldenRecord>> golden(String id) {
    return read(c -> golden(c, id));
  }

  /** PIX in one read transaction on one connection (one worker hop instead of four). */
  @Override
  public Future<Optional<Person>> person(String system, String value, String cruidSystem, int maxHops) {
    return read(c -> {
      c.setAutoCommit(false); // one snapshot for the whole answer
      try {
        String goldenId = system.equals(cruidSystem) ? value : goldenIdOfIdentifier(c, system, value);
        Optional<GoldenRecord> golden = goldenId == null ? Optional.empty() : golden(c, goldenId);
        for (int hop = 0; golden.isPresent() && golden.get().replacedBy() != null && hop < maxHops; hop++) {
          golden = golden(c, golden.get().replacedBy());
        }
        if (golden.isEmpty()) {
          return Optional.<Person>empty();
        }
        return Optional.of(new Person(golden.get(), identifiersOf(c, golden.get().memberIds())));
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    });
  }

  private static String goldenIdOfIdentifier(Connection c, String system, String value) throws SQLException {
    List<String> ids = sourceIdsByIdentifier(c, system, value);
    if (ids.isEmpty()) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT golden_id FROM source_record WHERE id = ?")) {
      ps.setString(1, ids.get(0));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static List<String> sourceIdsByIdentifier(Connection c, String system, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT source_id FROM identifier WHERE system = ? AND value = ? ORDER BY source_id")) {
      ps.setString(1, system);
      ps.setString(2, value);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  private static List<SourceIdentifier> identifiersOf(Connection c, List<String> sourceIds) throws SQLException {
    List<SourceIdentifier> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT system, value FROM identifier WHERE source_id = ? ORDER BY system, value")) {
      for (String id : sourceIds) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new SourceIdentifier(id, rs.getString(1), rs.getString(2)));
          }
        }
      }
    }
    return out;
  }

  private static Optional<GoldenRecord> golden(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT version, replaced_by, last_updated FROM golden_record WHERE id = ?");
         PreparedStatement members = c.prepareStatement(
             "SELECT id FROM source_record WHERE golden_id = ? ORDER BY id")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        members.setString(1, id);
        List<String> ids = new ArrayList<>();
        try (ResultSet m = members.executeQuery()) {
          while (m.next()) {
            ids.add(m.getString(1));
          }
        }
        return Optional.of(new GoldenRecord(id, rs.getInt(1), rs.getString(2), ids, Instant.parse(rs.getString(3))));
      }
    }
  }

  @Override
  public Future<Boolean> knowsSystem(String system) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM identifier WHERE system = ? LIMIT 1")) {
        ps.setString(1, system);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public Future<Integer> openReviewItemCount() {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM review_item WHERE status = 'open'");
           ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    });
  }

  @Override
  public Future<Page<ReviewItem>> reviewItems(ReviewQuery query) {
    return read(c -> AdminQueries.reviewItems(c, query));
  }

  @Override
  public Future<Optional<ReviewItem>> reviewItem(String id) {
    return read(c -> AdminQueries.reviewItem(c, id));
  }

  @Override
  public Future<java.util.Set<String>> openReviewPairs(java.util.Collection<String> pairs) {
    return read(c -> AdminQueries.openPairs(c, pairs));
  }

  @Override
  public Future<Page<SourceRecord>> links(LinkQuery query) {
    return read(c -> AdminQueries.links(c, query));
  }

  @Override
  public Future<List<org.clientregistry.store.LinkEvent>> linkHistory(String sourceId, String goldenId, int count) {
    return read(c -> AdminQueries.history(c, sourceId, goldenId, count));
  }

  @Override
  public Future<List<org.clientregistry.store.LinkEvent>> linkChanges(String after, int count) {
    return read(c -> AdminQueries.changes(c, after, count));
  }

  @Override
  public Future<Optional<String>> jobCursor(String job) {
    return read(c -> AdminQueries.jobCursor(c, job));
  }

  @Override
  public Future<Activity> activity(java.time.Instant since) {
    return read(c -> AdminQueries.activity(c, since));
  }

  @Override
  public Future<List<DayCount>> decisionsPerDay(java.time.Instant since) {
    return read(c -> AdminQueries.decisionsPerDay(c, since));
  }

  @Override
  public String writeFault() {
    return writeFault;
  }

  @Override
  public Future<List<GoldenChange>> goldenChanges(long after, int count) {
    return read(c -> SubscriptionTables.changes(c, after, count));
  }

  @Override
  public Future<Long> latestChange() {
    return read(SubscriptionTables::latest);
  }

  @Override
  public Future<List<StoredSubscription>> subscriptions() {
    return read(SubscriptionTables::all);
  }

  @Override
  public Future<Void> saveSubscription(StoredSubscription subscription) {
    return writeAlone(c -> SubscriptionTables.save(c, subscription));
  }

  @Override
  public Future<Boolean> deleteSubscription(String id) {
    return writeAlone(c -> SubscriptionTables.delete(c, id));
  }

  /** A small write in its own transaction on the writer's thread (between group commits, never inside one). */
  private <T> Future<T> writeAlone(ReadAction<T> action) {
    return writerThread.executeBlocking(() -> {
      Connection c = connections.writer();
      try {
        T result = action.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        rollbackQuietly(c);
        throw new StoreUnavailableException("Embedded store write failed: " + e.getMessage(), e);
      }
    }, false);
  }

  /**
   * Group commit: change sets queued while the writer is busy are written in one database transaction (one fsync),
   * each inside its own savepoint so that a conflicting one rolls back alone. A future completes only after the
   * transaction holding its change set has committed.
   */
  @Override
  public Future<Void> commit(ChangeSet changes) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    queue.add(new Queued(changes, promise, context));
    if (draining.compareAndSet(false, true)) {
      writerThread.executeBlocking(() -> {
        drain();
        return null;
      }, false);
    }
    return promise.future();
  }

  private record Queued(ChangeSet changes, Promise<Void> promise, Context context) {
    void complete(Throwable failure) {
      context.runOnContext(v -> {
        if (failure == null) {
          promise.complete();
        } else {
          promise.fail(failure);
        }
      });
    }
  }

  /** Runs on the single writer thread until the queue is empty. */
  private void drain() {
    while (true) {
      List<Queued> batch = new ArrayList<>();
      Queued next;
      while (batch.size() < MAX_GROUP && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        draining.set(false);
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      writeGroup(batch);
    }
  }

  private void writeGroup(List<Queued> batch) {
    Connection c = connections.writer();
    Map<Queued, Throwable> failures = new HashMap<>();
    try {
      for (Queued q : batch) {
        statements.run("SAVEPOINT change");
        try {
          new ChangeWriter(statements).write(q.changes());
          statements.run("RELEASE change");
        } catch (StoreConflictException | SQLException e) {
          statements.run("ROLLBACK TO change");
          statements.run("RELEASE change");
          if (e instanceof SQLException sql && !isUniqueViolation(sql)) {
            throw sql;
          }
          failures.put(q, e instanceof StoreConflictException ? e
              : new StoreConflictException("A record with the same key was written concurrently"));
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c);
      writeFaults.warn("Embedded store write failed; {} change sets not written: {}", batch.size(), e.getMessage());
      StoreUnavailableException failure = new StoreUnavailableException("Embedded store write failed: "
          + e.getMessage(), e);
      writeFault = e.getMessage();
      recoverWriter();
      batch.forEach(q -> q.complete(failure));
      return;
    }
    writeFault = null;
    batch.forEach(q -> q.complete(failures.get(q)));
  }

  /** After a failed write, a fresh writer connection, so that writes work again once the cause is gone. */
  private void recoverWriter() {
    try {
      connections.reopenWriter();
    } catch (SQLException e) {
      LOG.debug("The writer could not be reopened yet: {}", e.getMessage()); // tried again at the next write
      return;
    }
    statements.close();
    statements = new WriterStatements(connections.writer());
  }

  @Override
  public Future<Long> load(Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                           Consumer<NotSamePerson> marks) {
    return read(c -> {
      long count = 0;
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT id, version FROM golden_record WHERE replaced_by IS NULL")) {
          while (rs.next()) {
            goldens.accept(new GoldenVersion(rs.getString(1), rs.getInt(2)));
          }
        }
        // Only what the index reads: a million resources would be most of the start-up time.
        try (ResultSet rs = s.executeQuery("SELECT id, version, client_id, golden_id, link_method, fields"
            + " FROM source_record")) {
          while (rs.next()) {
            LinkFacts link = new LinkFacts(rs.getString(5), null, null, null, null, null);
            sources.accept(new SourceRecord(rs.getString(1), rs.getInt(2), rs.getString(3), null, null,
                rs.getString(4), link, null, rs.getString(6), null));
            count++;
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT source_a, source_b FROM not_same_person")) {
          while (rs.next()) {
            marks.accept(new NotSamePerson(rs.getString(1), rs.getString(2)));
          }
        }
      }
      return count;
    });
  }

  @Override
  public Future<Long> loadChangedSince(Instant since, Consumer<SourceRecord> sources,
                                       Consumer<GoldenVersion> goldens) {
    return read(c -> {
      long count = 0;
      try (PreparedStatement g = c.prepareStatement("SELECT id, version FROM golden_record WHERE last_updated >= ?");
           PreparedStatement s = c.prepareStatement("SELECT " + SOURCE_COLUMNS
               + " FROM source_record WHERE last_updated >= ?")) {
        g.setString(1, since.toString());
        try (ResultSet rs = g.executeQuery()) {
          while (rs.next()) {
            goldens.accept(new GoldenVersion(rs.getString(1), rs.getInt(2)));
          }
        }
        s.setString(1, since.toString());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            sources.accept(sourceOf(rs));
            count++;
          }
        }
      }
      return count;
    });
  }

  /**
   * The store answers reads and, after a write failed, can write again: /ready must not say UP while every write
   * gets 503. The write probe (the header's user_version, rewritten unchanged) runs only while a fault is known.
   */
  @Override
  public Future<Void> ping() {
    if (writeFault != null) {
      return writerThread.executeBlocking(() -> {
        try {
          statements.run("PRAGMA user_version=2");
          connections.writer().commit();
          writeFault = null;
          return (Void) null;
        } catch (SQLException e) {
          rollbackQuietly(connections.writer());
          recoverWriter();
          throw new StoreUnavailableException("cannot write: " + e.getMessage(), e);
        }
      }, false);
    }
    return read(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }
      return null;
    });
  }

  @Override
  public boolean onlyWriter() {
    return true; // one registry process per data directory
  }

  @Override
  public Path indexSnapshotFile() {
    return dataDir.resolve("matching-index.snapshot");
  }

  @Override
  public Optional<String> indexSnapshotToken() {
    return Optional.ofNullable(connections.snapshotToken());
  }

  @Override
  public Future<Void> keepIndexSnapshotToken(String token) {
    return writerThread.executeBlocking(() -> {
      connections.keepSnapshotToken(token);
      return (Void) null;
    }, false);
  }

  @Override
  public Future<Void> close() {
    return writerThread.executeBlocking(() -> {
      statements.close();
      connections.close();
      return (Void) null;
    }, false).eventually(() -> Future.all(writerThread.close(), readerThreads.close()));
  }

  private interface ReadAction<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> Future<T> read(ReadAction<T> action) {
    Callable<T> task = () -> {
      Connection c = connections.takeReader();
      try {
        return action.run(c);
      } catch (SQLException e) {
        throw new StoreUnavailableException("Embedded store read failed: " + e.getMessage(), e);
      } finally {
        connections.returnReader(c);
      }
    };
    return readerThreads.executeBlocking(task, false);
  }

  private static Optional<SourceRecord> oneSource(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(sourceOf(rs)) : Optional.empty();
    }
  }

  private static SourceRecord sourceOf(ResultSet rs) throws SQLException {
    double score = rs.getDouble(8);
    Double linkScore = rs.wasNull() ? null : score;
    LinkFacts link = new LinkFacts(rs.getString(7), linkScore, rs.getString(9), rs.getString(10),
        Instant.parse(rs.getString(11)), rs.getString(15));
    return new SourceRecord(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), link, rs.getString(12), rs.getString(13), Instant.parse(rs.getString(14)));
  }

  private static boolean isUniqueViolation(SQLException e) {
    return e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed");
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.warn("Rollback failed: {}", e.getMessage());
    }
  }
}
