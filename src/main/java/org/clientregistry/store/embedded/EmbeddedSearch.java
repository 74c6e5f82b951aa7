package org.clientregistry.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.clientregistry.store.DemographicSearch.Clause;

/**
 * PDQm search on the embedded store: SQL over the stored Patient JSON (SQLite's JSON functions). Criteria other
 * than identifiers and ids scan the records: fine for a registry's demographic lookups, which are rare next to
 * submissions and PIX.
 */
final class EmbeddedSearch {
  static final List<String> PARAMETERS = java.util.stream.Stream.concat(
      org.clientregistry.store.DemographicSearch.PARAMETERS.stream(),
      java.util.stream.Stream.of("active", "mothersMaidenName",
          org.clientregistry.store.DemographicSearch.MOTHER_IDENTIFIER)).toList();
  /** A stored birthDate (YYYY, YYYY-MM or YYYY-MM-DD) as the range it stands for, [start, end). */
  private static final String BIRTH = "json_extract(s.resource, '$.birthDate')";
  private static final String BIRTH_START = "(CASE length(" + BIRTH + ") WHEN 4 THEN " + BIRTH + " || '-01-01'"
      + " WHEN 7 THEN " + BIRTH + " || '-01' ELSE " + BIRTH + " END)";
  private static final String BIRTH_END = "(CASE length(" + BIRTH + ") WHEN 4 THEN date(" + BIRTH
      + " || '-01-01', '+1 year') WHEN 7 THEN date(" + BIRTH + " || '-01', '+1 month') ELSE date(" + BIRTH
      + ", '+1 day') END)";

  private EmbeddedSearch() {}

  static List<String> run(Connection c, List<Clause> clauses, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT s.id FROM source_record s WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    for (Clause clause : clauses) {
      List<String> alternatives = new ArrayList<>();
      for (String value : clause.values()) {
        alternatives.add(predicate(clause.parameter(), clause.exact(), value, args));
      }
      sql.append(" AND (").append(String.join(" OR ", alternatives)).append(')');
    }
    sql.append(" ORDER BY s.golden_id, s.id LIMIT ").append(limit);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  private static String predicate(String parameter, boolean exact, String value, List<String> args) {
    return switch (parameter) {
      case "identifier" -> identifier(value, args);
      case "birthdate" -> birthdate(org.clientregistry.store.DateCriterion.parse(value), args);
      case "active" -> "json_type(s.resource, '$.active') = " + ("true".equals(value) ? "'true'" : "'false'");
      case "mothersMaidenName" -> "EXISTS (SELECT 1 FROM json_each(s.resource, '$.extension') x WHERE "
          + "json_extract(x.value, '$.url') = '" + org.clientregistry.store.DemographicSearch.MOTHERS_MAIDEN_NAME
          + "' AND " + string("json_extract(x.value, '$.valueString')", exact, value, args) + ")";
      case org.clientregistry.store.DemographicSearch.MOTHER_IDENTIFIER -> motherIdentifier(value, args);
      case "gender" -> {
        args.add(value);
        yield "json_extract(s.resource, '$.gender') = ?";
      }
      case "telecom" -> {
        args.add(value);
        yield "EXISTS (SELECT 1 FROM json_each(s.resource, '$.telecom') t WHERE json_extract(t.value, '$.value') = ?)";
      }
      case "family" -> "EXISTS (SELECT 1 FROM json_each(s.resource, '$.name') n WHERE "
          + string("json_extract(n.value, '$.family')", exact, value, args) + ")";
      case "given" -> "EXISTS (SELECT 1 FROM json_each(s.resource, '$.name') n, json_each(n.value, '$.given') g "
          + "WHERE " + string("g.value", exact, value, args) + ")";
      case "address-city" -> address("city", exact, value, args);
      case "address-state" -> address("state", exact, value, args);
      case "address-postalcode" -> address("postalCode", exact, value, args);
      case "address-country" -> address("country", exact, value, args);
      case "address" -> "EXISTS (SELECT 1 FROM json_each(s.resource, '$.address') a WHERE "
          + String.join(" OR ", List.of(
              string("json_extract(a.value, '$.city')", exact, value, args),
              string("json_extract(a.value, '$.state')", exact, value, args),
              string("json_extract(a.value, '$.postalCode')", exact, value, args),
              string("json_extract(a.value, '$.country')", exact, value, args),
              string("json_extract(a.value, '$.text')", exact, value, args),
              "EXISTS (SELECT 1 FROM json_each(a.value, '$.line') l WHERE " + string("l.value", exact, value, args)
                  + ")")) + ")";
      default -> throw new IllegalArgumentException("not a search parameter here: " + parameter);
    };
  }

  /**
   * FHIR date search: both the criterion and the stored date are ranges. eq: the stored range lies within the
   * criterion's; lt/gt: it starts before / ends after it; le/ge: either; ne: not eq.
   */
  private static String birthdate(org.clientregistry.store.DateCriterion d, List<String> args) {
    String within = "(" + BIRTH_START + " >= ? AND " + BIRTH_END + " <= ?)";
    String before = BIRTH_START + " < ?";
    String after = BIRTH_END + " > ?";
    String start = d.start().toString();
    String end = d.end().toString();
    String sql = switch (d.prefix()) {
      case "eq", "ne" -> {
        args.add(start);
        args.add(end);
        yield d.prefix().equals("eq") ? within : "NOT " + within;
      }
      case "lt" -> {
        args.add(start);
        yield before;
      }
      case "gt" -> {
        args.add(end);
        yield after;
      }
      case "le" -> {
        args.add(start);
        args.add(start);
        args.add(end);
        yield "(" + before + " OR " + within + ")";
      }
      case "ge" -> {
        args.add(end);
        args.add(start);
        args.add(end);
        yield "(" + after + " OR " + within + ")";
      }
      default -> throw new IllegalArgumentException(d.prefix());
    };
    return "(" + BIRTH + " IS NOT NULL AND " + sql + ")";
  }

  private static String identifier(String value, List<String> args) {
    int bar = value.indexOf('|');
    if (bar < 0) {
      args.add(value);
      return "s.id IN (SELECT source_id FROM identifier WHERE value = ?)";
    }
    args.add(value.substring(0, bar));
    args.add(value.substring(bar + 1));
    return "s.id IN (SELECT source_id FROM identifier WHERE system = ? AND value = ?)";
  }

  /** A contact whose relationship is a mother's and whose related-person identifiers hold the value. */
  private static String motherIdentifier(String value, List<String> args) {
    int bar = value.indexOf('|');
    String id = "json_extract(x.value, '$.valueIdentifier.";
    String sql = "EXISTS (SELECT 1 FROM json_each(s.resource, '$.contact') c, json_each(c.value, '$.extension') x "
        + "WHERE json_extract(x.value, '$.url') = '" + org.clientregistry.store.DemographicSearch.RELATED_IDENTIFIER
        + "' AND " + id + "value') = ?" + (bar < 0 ? "" : " AND " + id + "system') = ?")
        + " AND EXISTS (SELECT 1 FROM json_each(c.value, '$.relationship') r, json_each(r.value, '$.coding') k "
        + "WHERE json_extract(k.value, '$.code') IN ('"
        + String.join("', '", org.clientregistry.store.DemographicSearch.MOTHER_CODES) + "')))";
    args.add(bar < 0 ? value : value.substring(bar + 1));
    if (bar >= 0) {
      args.add(value.substring(0, bar));
    }
    return sql;
  }

  private static String address(String field, boolean exact, String value, List<String> args) {
    return "EXISTS (SELECT 1 FROM json_each(s.resource, '$.address') a WHERE "
        + string("json_extract(a.value, '$." + field + "')", exact, value, args) + ")";
  }

  /** FHIR string search: starts with, ignoring case; {@code :exact} the whole value as it is. */
  private static String string(String expression, boolean exact, String value, List<String> args) {
    if (exact) {
      args.add(value);
      return expression + " = ?";
    }
    args.add(value.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    return "lower(" + expression + ") LIKE ? ESCAPE '\\'";
  }
}
