package org.clientregistry.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.clientregistry.store.SubscriptionStore.GoldenChange;
import org.clientregistry.store.SubscriptionStore.StoredSubscription;

/**
 * The SQL of subscriptions: the golden records' change positions ({@code golden_record.change_seq}, given by the
 * single writer in commit order) and the {@code subscription} table with each subscription's delivery cursor.
 */
final class SubscriptionTables {
  /** The next change position, taken inside the writer's transaction (the index makes MAX a lookup). */
  static final String NEXT_CHANGE = "(SELECT COALESCE(MAX(change_seq), 0) + 1 FROM golden_record)";

  private SubscriptionTables() {}

  /** Schema additions, run at open after the script (older databases lack the column). */
  static void migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE INDEX IF NOT EXISTS golden_by_change ON golden_record (change_seq)");
      s.execute("CREATE TABLE IF NOT EXISTS subscription (id TEXT PRIMARY KEY, owner TEXT NOT NULL,"
          + " resource TEXT NOT NULL, status TEXT NOT NULL, error TEXT, cursor INTEGER NOT NULL)");
    }
  }

  static List<GoldenChange> changes(Connection c, long after, int count) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT change_seq, id, version FROM golden_record"
        + " WHERE change_seq > ? ORDER BY change_seq LIMIT ?")) {
      ps.setLong(1, after);
      ps.setInt(2, count);
      List<GoldenChange> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new GoldenChange(rs.getLong(1), rs.getString(2), rs.getInt(3)));
        }
      }
      return out;
    }
  }

  static long latest(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(change_seq), 0) FROM golden_record")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  static List<StoredSubscription> all(Connection c) throws SQLException {
    List<StoredSubscription> out = new ArrayList<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id, owner, resource, status, error, cursor FROM subscription"
             + " ORDER BY id")) {
      while (rs.next()) {
        out.add(new StoredSubscription(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getLong(6)));
      }
    }
    return out;
  }

  static Void save(Connection c, StoredSubscription s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO subscription"
        + " (id, owner, resource, status, error, cursor) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, s.id());
      ps.setString(2, s.owner());
      ps.setString(3, s.resourceJson());
      ps.setString(4, s.status());
      ps.setString(5, s.error());
      ps.setLong(6, s.cursor());
      ps.executeUpdate();
    }
    return null;
  }

  static boolean delete(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM subscription WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    }
  }
}
