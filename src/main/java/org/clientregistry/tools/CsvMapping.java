package org.clientregistry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * How the columns of a labelled CSV become a FHIR Patient, and which column names the person (the entity key).
 * <pre>
 * { "idColumn": "rec_id",
 *   "entity": { "column": "rec_id", "pattern": "^(rec-\\d+)" },
 *   "columns": { "given_name": "given", "surname": "family",
 *                "date_of_birth": { "to": "birthDate", "format": "yyyyMMdd" },
 *                "sex": { "to": "gender", "values": { "f": "female", "m": "male" } },
 *                "phone_number": "phone", "soc_sec_id": "identifier|http://example.org/ssn" } }
 * </pre>
 * Targets: given, family, birthDate, gender, phone, email, line (several columns join into one line), city,
 * postalCode, state, identifier|system, and field|NAME for any other column (occupation, birth place), kept as an
 * extension that a rules field reads with {@code extension.where(url='…field-NAME').value}. A given name with a
 * space in it (a double given name) becomes two given names.
 * A value that does not fit its target (a malformed date) is left out, as a registry would never receive it.
 */
final class CsvMapping {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String idColumn;
  private final String entityColumn;
  private final Pattern entityPattern;
  private final List<Column> columns;

  private record Column(String name, String target, DateTimeFormatter dateFormat, Map<String, String> values) {}

  private CsvMapping(String idColumn, String entityColumn, Pattern entityPattern, List<Column> columns) {
    this.idColumn = idColumn;
    this.entityColumn = entityColumn;
    this.entityPattern = entityPattern;
    this.columns = columns;
  }

  /** Where a {@code field|NAME} column goes: an extension with this URL + NAME (any column can be compared). */
  static final String FIELD_URL = "http://clientregistry.org/fhir/StructureDefinition/field-";

  /** The distinct targets of the columns, in file order. */
  List<String> targets() {
    return columns.stream().map(Column::target).distinct().toList();
  }

  static CsvMapping read(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
    String idColumn = required(root, "idColumn", file);
    JsonNode entity = root.path("entity");
    String entityColumn = entity.path("column").asText(idColumn);
    Pattern pattern = entity.has("pattern") ? Pattern.compile(entity.get("pattern").asText()) : null;
    List<Column> columns = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.path("columns").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode spec = e.getValue();
      if (spec.isTextual()) {
        columns.add(new Column(e.getKey(), spec.asText(), null, Map.of()));
      } else {
        DateTimeFormatter format = spec.has("format") ? DateTimeFormatter.ofPattern(spec.get("format").asText())
            : null;
        Map<String, String> values = spec.has("values")
            ? JSON.convertValue(spec.get("values"), JSON.getTypeFactory().constructMapType(Map.class, String.class,
                String.class)) : Map.of();
        columns.add(new Column(e.getKey(), required(spec, "to", file), format, values));
      }
    }
    return new CsvMapping(idColumn, entityColumn, pattern, List.copyOf(columns));
  }

  private static String required(JsonNode node, String key, Path file) throws IOException {
    if (!node.hasNonNull(key)) {
      throw new IOException(file + ": '" + key + "' is required");
    }
    return node.get(key).asText();
  }

  String id(Map<String, String> row) {
    return row.getOrDefault(idColumn, "");
  }

  String entity(Map<String, String> row) {
    String value = row.getOrDefault(entityColumn, "");
    if (entityPattern == null) {
      return value;
    }
    Matcher m = entityPattern.matcher(value);
    return m.find() ? (m.groupCount() > 0 ? m.group(1) : m.group()) : value;
  }

  Patient patient(Map<String, String> row, String idSystem) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(idSystem).setValue(id(row));
    HumanName name = null;
    for (Column c : columns) {
      String raw = row.getOrDefault(c.name(), "").trim();
      String value = c.values().getOrDefault(raw, raw);
      if (value.isEmpty()) {
        continue;
      }
      if (c.target().equals("given") || c.target().equals("family")) {
        name = name == null ? p.addName().setUse(HumanName.NameUse.OFFICIAL) : name;
        if (c.target().equals("given")) {
          for (String part : value.split("\\s+")) { // a double given name stays two given names
            name.addGiven(part);
          }
        } else {
          name.setFamily(value);
        }
        continue;
      }
      apply(p, c, value);
    }
    return p;
  }

  private static void apply(Patient p, Column c, String value) {
    switch (c.target()) {
      case "birthDate" -> {
        String iso = isoDate(value, c.dateFormat());
        if (iso != null) {
          p.getBirthDateElement().setValueAsString(iso);
        }
      }
      case "gender" -> {
        try {
          p.setGender(AdministrativeGender.fromCode(value));
        } catch (Exception e) {
          // not a FHIR gender code: left out
        }
      }
      case "phone" -> p.addTelecom().setSystem(ContactPointSystem.PHONE).setValue(value);
      case "email" -> p.addTelecom().setSystem(ContactPointSystem.EMAIL).setValue(value);
      case "line" -> {
        // Several columns mapped to "line" form one address line ("7" + "wallaby place" → "7 wallaby place").
        org.hl7.fhir.r4.model.Address a = address(p);
        if (a.hasLine()) {
          a.getLine().get(0).setValue(a.getLine().get(0).getValue() + " " + value);
        } else {
          a.addLine(value);
        }
      }
      case "city" -> address(p).setCity(value);
      case "postalCode" -> address(p).setPostalCode(value);
      case "state" -> address(p).setState(value);
      default -> {
        if (c.target().startsWith("field|")) {
          p.addExtension(FIELD_URL + c.target().substring("field|".length()), new StringType(value));
          return;
        }
        if (!c.target().startsWith("identifier|")) {
          throw new IllegalArgumentException("column " + c.name() + ": unknown target '" + c.target() + "'");
        }
        p.addIdentifier().setSystem(c.target().substring("identifier|".length())).setValue(value);
      }
    }
  }

  private static org.hl7.fhir.r4.model.Address address(Patient p) {
    return p.hasAddress() ? p.getAddressFirstRep() : p.addAddress();
  }

  private static String isoDate(String value, DateTimeFormatter format) {
    try {
      return format == null ? LocalDate.parse(value).toString() : LocalDate.parse(value, format).toString();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
