package org.clientregistry.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.clientregistry.store.SourceRecord;

/**
 * The FHIR JSON of a stored source record (what {@link PatientViews#source} gives, encoded) written straight from
 * the stored JSON: the registry's id, meta and refer link spliced in, without a HAPI parse and encode round trip.
 * Every submission answers with one, so this is on the hot path.
 */
public final class SourceRecordJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
      .withZone(ZoneOffset.UTC);

  private SourceRecordJson() {}

  private static final String PREFIX = "{\"resourceType\":\"Patient\"";

  public static String of(SourceRecord record) {
    String json = record.resourceJson();
    // Both stores write the stored JSON in this shape; anything else (an older row, say) is brought to it first.
    return spliced(record, spliceable(json) ? json : content(json));
  }

  /**
   * A Patient's JSON as the registry stores it: resourceType first, without the registry's own top-level elements
   * (id, meta, link), everything else as it was.
   */
  public static String content(String patientJson) {
    ObjectNode in;
    try {
      in = (ObjectNode) JSON.readTree(patientJson);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object", e);
    }
    ObjectNode out = JSON.createObjectNode().put("resourceType", "Patient");
    in.properties().forEach(e -> {
      switch (e.getKey()) {
        case "resourceType", "id", "meta", "link" -> { } // the registry's own
        default -> out.set(e.getKey(), e.getValue());
      }
    });
    return out.toString();
  }

  /**
   * Whether two stored JSONs hold the same content: the same text, or the same elements in another order (a FHIR
   * server gives back what was submitted in FHIR's element order).
   */
  public static boolean sameContent(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return JSON.readTree(a).equals(JSON.readTree(b)); // objects compare field by field, in any order
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * Whether the registry's elements can go in by concatenation: the JSON starts with resourceType and (checked
   * crudely: a nested "id" also sends it to {@link #content}) holds no id, meta or link of its own.
   */
  private static boolean spliceable(String json) {
    return json.startsWith(PREFIX) && json.endsWith("}")
        && (json.charAt(PREFIX.length()) == ',' || json.length() == PREFIX.length() + 1)
        && !json.contains("\"id\":") && !json.contains("\"meta\":") && !json.contains("\"link\":");
  }

  /** The stored JSON with the registry's id, meta and refer link put in; Jackson only quotes the strings. */
  private static String spliced(SourceRecord r, String json) {
    StringBuilder b = new StringBuilder(json.length() + 300).append(PREFIX)
        .append(",\"id\":").append(quote(r.id()))
        .append(",\"meta\":{\"versionId\":\"").append(r.version()).append("\",\"lastUpdated\":\"")
        .append(INSTANT.format(r.lastUpdated())).append("\",\"tag\":[{\"system\":")
        .append(quote(PatientViews.CLIENT_TAG_SYSTEM)).append(",\"code\":").append(quote(r.clientId()))
        .append("}]}");
    b.append(json, PREFIX.length(), json.length() - 1);
    return b.append(",\"link\":[{\"other\":{\"reference\":").append(quote("Patient/" + r.goldenId()))
        .append("},\"type\":\"refer\"}]}").toString();
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
