package org.clientregistry.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer connection's statements, each prepared once and kept: SQLite parses and plans a statement every time
 * it is prepared, several times per submission otherwise. Used by the single writer thread only.
 */
final class WriterStatements implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  WriterStatements(Connection connection) {
    this.connection = connection;
  }

  /** The statement for this SQL, with no parameters or batch left from its last use. */
  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      prepared.put(sql, ps);
    } else {
      ps.clearParameters();
      ps.clearBatch();
    }
    return ps;
  }

  /** Runs a statement without a result (a savepoint, say). */
  void run(String sql) throws SQLException {
    get(sql).execute();
  }

  @Override
  public void close() {
    for (PreparedStatement ps : prepared.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    prepared.clear();
  }
}
