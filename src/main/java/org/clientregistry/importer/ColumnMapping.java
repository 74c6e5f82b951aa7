package org.clientregistry.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV row as FHIR Patient JSON, by the mapping files {@code evaluate} reads (config/examples/mappings):
 * {@code idColumn} is the client's internal identifier, {@code columns} map to given, family, birthDate (with a
 * date {@code format}), gender (with {@code values}), phone, email, line, city, postalCode, state or
 * identifier|system. Unlike {@code evaluate}, a value that does not fit its target refuses the row: an import
 * should not store a person without their birth date because it was written the wrong way.
 */
final class ColumnMapping {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> GENDERS = Set.of("male", "female", "other", "unknown");
  private static final Set<String> TARGETS = Set.of("given", "family", "birthDate", "gender", "phone", "email",
      "line", "city", "postalCode", "state");

  private record Column(String name, String target, DateTimeFormatter format, String formatText,
                        Map<String, String> values) {}

  private final String idColumn;
  private final List<Column> columns;

  private ColumnMapping(String idColumn, List<Column> columns) {
    this.idColumn = idColumn;
    this.columns = columns;
  }

  static ColumnMapping read(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
    if (root == null || !root.hasNonNull("idColumn")) {
      throw new IOException(file + ": 'idColumn' is required");
    }
    List<Column> columns = new ArrayList<>();
    for (var it = root.path("columns").fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode spec = e.getValue();
      String target = spec.isTextual() ? spec.asText() : spec.path("to").asText("");
      if (!TARGETS.contains(target) && !target.startsWith("identifier|")) {
        throw new IOException(file + ": column " + e.getKey() + " has an unknown target '" + target + "'");
      }
      String format = spec.path("format").asText(null);
      Map<String, String> values = spec.has("values") ? JSON.convertValue(spec.get("values"),
          JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class)) : Map.of();
      columns.add(new Column(e.getKey(), target, format == null ? null : strict(format), format, values));
    }
    return new ColumnMapping(root.get("idColumn").asText(), List.copyOf(columns));
  }

  /** A day that does not exist (31/02) is refused, not moved to the month's end; strict needs u for the year. */
  private static DateTimeFormatter strict(String pattern) {
    return DateTimeFormatter.ofPattern(pattern.replace('y', 'u')).withResolverStyle(ResolverStyle.STRICT);
  }

  /** The Patient the row describes, its identifier in {@code idSystem}, or the row refused with the reason. */
  ImportRow patient(long row, Map<String, String> cells, String idSystem) {
    String id = cells.getOrDefault(idColumn, "").trim();
    if (id.isEmpty()) {
      return ImportRow.refused(row, "no value in the id column '" + idColumn + "'");
    }
    JsonObject p = new JsonObject().put("resourceType", "Patient");
    JsonArray identifiers = new JsonArray().add(identifier(idSystem, id));
    p.put("identifier", identifiers);
    JsonObject name = new JsonObject();
    for (Column c : columns) {
      String raw = cells.getOrDefault(c.name(), "").trim();
      String value = c.values().getOrDefault(raw, raw);
      if (value.isEmpty()) {
        continue;
      }
      String problem = apply(p, name, identifiers, c, value);
      if (problem != null) {
        return ImportRow.refused(row, c.name() + ": " + problem);
      }
    }
    if (!name.isEmpty()) {
      p.put("name", new JsonArray().add(name.put("use", "official")));
    }
    return ImportRow.of(row, p);
  }

  private static String apply(JsonObject p, JsonObject name, JsonArray identifiers, Column c, String value) {
    switch (c.target()) {
      case "given" -> name.put("given", name.getJsonArray("given", new JsonArray()).add(value));
      case "family" -> name.put("family", value);
      case "birthDate" -> {
        try {
          p.put("birthDate", (c.format() == null ? LocalDate.parse(value) : LocalDate.parse(value, c.format()))
              .toString());
        } catch (RuntimeException e) {
          return "'" + value + "' is not a date" + (c.formatText() == null ? " (yyyy-MM-dd)" : " (" + c.formatText()
              + ")");
        }
      }
      case "gender" -> {
        if (!GENDERS.contains(value)) {
          return "'" + value + "' is not one of " + GENDERS + " (map it with \"values\")";
        }
        p.put("gender", value);
      }
      case "phone", "email" -> telecom(p).add(new JsonObject().put("system", c.target()).put("value", value));
      case "line" -> {
        JsonObject a = address(p);
        JsonArray lines = a.getJsonArray("line", new JsonArray());
        // Several columns mapped to "line" form one line ("7" + "wallaby place" → "7 wallaby place").
        a.put("line", lines.isEmpty() ? lines.add(value) : new JsonArray().add(lines.getString(0) + " " + value));
      }
      case "city", "postalCode", "state" -> address(p).put(c.target(), value);
      default -> identifiers.add(identifier(c.target().substring("identifier|".length()), value));
    }
    return null;
  }

  private static JsonObject identifier(String system, String value) {
    return new JsonObject().put("system", system).put("value", value);
  }

  private static JsonArray telecom(JsonObject p) {
    if (!p.containsKey("telecom")) {
      p.put("telecom", new JsonArray());
    }
    return p.getJsonArray("telecom");
  }

  private static JsonObject address(JsonObject p) {
    if (!p.containsKey("address")) {
      p.put("address", new JsonArray().add(new JsonObject()));
    }
    return p.getJsonArray("address").getJsonObject(0);
  }
}
