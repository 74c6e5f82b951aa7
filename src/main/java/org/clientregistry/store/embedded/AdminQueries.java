package org.clientregistry.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clientregistry.store.AdminReads;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;

/** The embedded store's administration reads (AdminReads), each on one reader connection. */
final class AdminQueries {
  private static final String REVIEW_COLUMNS = "r.id, r.source_id, r.golden_id, r.candidate_id, r.score, r.grade,"
      + " r.rule, r.reason, r.explanation, r.created, r.status, r.decision, r.resolved_by, r.resolved_at, r.comment";
  private static final String EVENT_COLUMNS = "seq, at, source_id, golden_id, previous_golden_id, method, score,"
      + " grade, rule, explanation, actor, comment";
  private static final String LINK_COLUMNS = "id, version, client_id, id_system, id_value, golden_id, link_method,"
      + " link_score, link_grade, link_rule, link_time, last_updated";

  private AdminQueries() {}

  static AdminReads.Page<ReviewItem> reviewItems(Connection c, AdminReads.ReviewQuery q) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" FROM review_item r");
    if (q.clientId() != null) {
      where.append(" JOIN source_record s ON s.id = r.source_id");
    }
    where.append(" WHERE 1 = 1");
    filter(where, args, q.status(), " AND r.status = ?");
    filter(where, args, q.ruleSet(), " AND r.rule = ?");
    filter(where, args, q.clientId(), " AND s.client_id = ?");
    filter(where, args, q.minScore(), " AND r.score >= ?");
    filter(where, args, q.maxScore(), " AND r.score <= ?");
    filter(where, args, q.createdAfter() == null ? null : q.createdAfter().toString(), " AND r.created >= ?");
    filter(where, args, q.createdBefore() == null ? null : q.createdBefore().toString(), " AND r.created < ?");
    return page(c, "SELECT " + REVIEW_COLUMNS, where + " ORDER BY r.created, r.id", args, q.offset(), q.count(),
        AdminQueries::review);
  }

  static Optional<ReviewItem> reviewItem(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = prepare(c, "SELECT " + REVIEW_COLUMNS + " FROM review_item r WHERE r.id = ?",
        List.of(id))) {
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(review(rs)) : Optional.empty();
      }
    }
  }

  /** Which of these (source id "/" golden id) pairs have an open item: one look each, through the open-pair index. */
  static java.util.Set<String> openPairs(Connection c, java.util.Collection<String> pairs) throws SQLException {
    java.util.Set<String> open = new java.util.HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM review_item WHERE source_id = ? AND golden_id = ? AND status = 'open'")) {
      for (String pair : pairs) {
        int slash = pair.indexOf('/');
        ps.setString(1, pair.substring(0, slash));
        ps.setString(2, pair.substring(slash + 1));
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            open.add(pair);
          }
        }
      }
    }
    return open;
  }

  static AdminReads.Page<SourceRecord> links(Connection c, AdminReads.LinkQuery q) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" FROM source_record WHERE 1 = 1");
    filter(where, args, q.goldenId(), " AND golden_id = ?");
    filter(where, args, q.sourceId(), " AND id = ?");
    filter(where, args, q.method(), " AND link_method = ?");
    return page(c, "SELECT " + LINK_COLUMNS, where + " ORDER BY id", args, q.offset(), q.count(), rs -> {
      LinkFacts link = new LinkFacts(rs.getString(7), nullableDouble(rs, 8), rs.getString(9), rs.getString(10),
          Instant.parse(rs.getString(11)), null);
      return new SourceRecord(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
          rs.getString(6), link, null, null, Instant.parse(rs.getString(12)));
    });
  }

  private interface Row<T> {
    T of(ResultSet rs) throws SQLException;
  }

  /** One page of a filtered query and the count of every row the filter matches. */
  private static <T> AdminReads.Page<T> page(Connection c, String select, String fromWhereOrder, List<Object> args,
                                             int offset, int count, Row<T> row) throws SQLException {
    String fromWhere = fromWhereOrder.substring(0, fromWhereOrder.lastIndexOf(" ORDER BY"));
    long total;
    try (PreparedStatement ps = prepare(c, "SELECT count(*)" + fromWhere, args)) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
    }
    List<Object> paged = new ArrayList<>(args);
    paged.add(count);
    paged.add(offset);
    List<T> items = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, select + fromWhereOrder + " LIMIT ? OFFSET ?", paged)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(row.of(rs));
        }
      }
    }
    return new AdminReads.Page<>(items, total);
  }

  static List<LinkEvent> history(Connection c, String sourceId, String goldenId, int count) throws SQLException {
    String sql = sourceId != null
        ? "SELECT " + EVENT_COLUMNS + " FROM link_event WHERE source_id = ? ORDER BY seq LIMIT ?"
        : "SELECT " + EVENT_COLUMNS + " FROM link_event WHERE seq IN (SELECT seq FROM link_event WHERE golden_id = ?"
          + " UNION SELECT seq FROM link_event WHERE previous_golden_id = ?) ORDER BY seq LIMIT ?";
    List<Object> args = sourceId != null ? List.of(sourceId, count) : List.of(goldenId, goldenId, count);
    return events(c, sql, args);
  }

  static List<LinkEvent> changes(Connection c, String after, int count) throws SQLException {
    long from;
    try {
      from = after == null || after.isBlank() ? 0 : Long.parseLong(after);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Unknown change-feed position '" + after + "'");
    }
    return events(c, "SELECT " + EVENT_COLUMNS + " FROM link_event WHERE seq > ? ORDER BY seq LIMIT ?",
        List.of(from, count));
  }

  /**
   * Counted through the indexes on link_event.at and review_item.created/resolved_at, comparing the stored text.
   * The bound is written without its zone: 'T00:00:00' sorts before every stored instant of that second whatever
   * its fraction, so a whole-second bound (the dashboard's midnight) is exact; within a second, only an instant at
   * exactly the whole second sorts wrongly after a bound with a fraction.
   */
  static AdminReads.Activity activity(Connection c, Instant since) throws SQLException {
    String from = bound(since);
    long[] links = longs(c, "SELECT coalesce(sum(method <> 'manual' AND score IS NOT NULL), 0),"
        + " coalesce(sum(method <> 'manual' AND score IS NULL), 0), coalesce(sum(method = 'manual'), 0)"
        + " FROM link_event WHERE at >= ?", from);
    long raised = longs(c, "SELECT count(*) FROM review_item WHERE created >= ?", from)[0];
    long decided = longs(c, "SELECT count(*) FROM review_item WHERE resolved_at >= ?", from)[0];
    return new AdminReads.Activity(links[0], links[1], links[2], raised, decided);
  }

  static List<AdminReads.DayCount> decisionsPerDay(Connection c, Instant since) throws SQLException {
    List<AdminReads.DayCount> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, "SELECT substr(resolved_at, 1, 10), decision, count(*) FROM review_item"
        + " WHERE resolved_at >= ? GROUP BY 1, 2 ORDER BY 1, 2", List.of(bound(since)))) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new AdminReads.DayCount(java.time.LocalDate.parse(rs.getString(1)), rs.getString(2),
              rs.getLong(3)));
        }
      }
    }
    return out;
  }

  private static String bound(Instant since) {
    String text = since.toString();
    return text.substring(0, text.length() - 1);
  }

  private static long[] longs(Connection c, String sql, Object arg) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, List.of(arg))) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long[] out = new long[rs.getMetaData().getColumnCount()];
        for (int i = 0; i < out.length; i++) {
          out[i] = rs.getLong(i + 1);
        }
        return out;
      }
    }
  }

  static Optional<String> jobCursor(Connection c, String job) throws SQLException {
    try (PreparedStatement ps = prepare(c, "SELECT cursor FROM job_progress WHERE job = ?", List.of(job))) {
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static List<LinkEvent> events(Connection c, String sql, List<Object> args) throws SQLException {
    List<LinkEvent> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, args)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LinkFacts facts = new LinkFacts(rs.getString(6), nullableDouble(rs, 7), rs.getString(8), rs.getString(9),
              Instant.parse(rs.getString(2)), rs.getString(10));
          out.add(new LinkEvent(Long.toString(rs.getLong(1)), Instant.parse(rs.getString(2)), rs.getString(3),
              rs.getString(4), rs.getString(5), facts, rs.getString(11), rs.getString(12)));
        }
      }
    }
    return out;
  }

  private static ReviewItem review(ResultSet rs) throws SQLException {
    String resolvedAt = rs.getString(14);
    return new ReviewItem(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), Instant.parse(rs.getString(10)),
        rs.getString(11), rs.getString(12), rs.getString(13), resolvedAt == null ? null : Instant.parse(resolvedAt),
        rs.getString(15));
  }

  private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static void filter(StringBuilder where, List<Object> args, Object value, String clause) {
    if (value != null) {
      where.append(clause);
      args.add(value);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (a instanceof Long n) {
        ps.setLong(i + 1, n);
      } else if (a instanceof Double d) {
        ps.setDouble(i + 1, d);
      } else if (a == null) {
        ps.setNull(i + 1, Types.VARCHAR);
      } else {
        ps.setString(i + 1, a.toString());
      }
    }
    return ps;
  }
}
