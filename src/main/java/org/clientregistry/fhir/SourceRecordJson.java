package org.clientregistry.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import org.clientregistry.store.SourceRecord;

/**
 * The FHIR JSON of a stored source record (what {@link PatientViews#source} gives, encoded) written straight from
 * the stored JSON with Jackson: the registry's id, meta and refer link spliced in, without a HAPI parse and encode
 * round trip. Every submission answers with one, so this is on the hot path.
 */
public final class SourceRecordJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
      .withZone(ZoneOffset.UTC);

  private SourceRecordJson() {}

  private static final String PREFIX = "{\"resourceType\":\"Patient\"";

  public static String of(SourceRecord record) {
    String json = record.resourceJson();
    if (json.startsWith(PREFIX) && json.endsWith("}") && (json.charAt(PREFIX.length()) == ','
        || json.length() == PREFIX.length() + 1) && !hasRegistryElements(json)) {
      return spliced(record, json);
    }
    return rebuilt(record);
  }

  /**
   * Every stored record starts with resourceType and holds no id, meta or link of its own (both stores write it
   * so), so the registry's elements go in by concatenation; Jackson only quotes the strings.
   */
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

  /** Top-level id, meta or link would have to be replaced, not added: left to the tree path. */
  private static boolean hasRegistryElements(String json) {
    return json.contains("\"id\":") || json.contains("\"meta\":") || json.contains("\"link\":");
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rebuilt(SourceRecord record) {
    ObjectNode stored;
    try {
      stored = (ObjectNode) JSON.readTree(record.resourceJson());
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalStateException("Stored record " + record.id() + " is not JSON", e);
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("resourceType", "Patient");
    out.put("id", record.id());
    ObjectNode meta = out.putObject("meta");
    meta.put("versionId", Integer.toString(record.version()));
    meta.put("lastUpdated", INSTANT.format(record.lastUpdated()));
    meta.putArray("tag").addObject().put("system", PatientViews.CLIENT_TAG_SYSTEM).put("code", record.clientId());
    for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = stored.fields(); it.hasNext(); ) {
      Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
      switch (e.getKey()) {
        case "resourceType", "id", "meta", "link" -> { } // the registry's own, set here
        default -> out.set(e.getKey(), e.getValue());
      }
    }
    out.putArray("link").addObject().put("type", "refer").putObject("other")
        .put("reference", "Patient/" + record.goldenId());
    return out.toString();
  }
}
