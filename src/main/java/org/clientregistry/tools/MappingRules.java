package org.clientregistry.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A probabilistic rule set with comparison levels for every column a mapping file names, for {@code estimate}
 * without a rules file: the comparisons a record-linkage analyst would start from (names: exact, Jaro-Winkler
 * 0.92, 0.8, in either order; dates: exact, one digit or transposition, day/month swap, within a month, within a
 * year; identifiers and phones: exact, one edit; anything else: exact, Jaro-Winkler 0.9). The m and u values are
 * placeholders that the estimate replaces.
 */
final class MappingRules {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MappingRules() {}

  static ObjectNode from(List<String> targets) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode set = root.putArray("rules").addObject();
    set.put("name", "estimated");
    set.put("matchingType", "probabilistic");
    ObjectNode fields = set.putObject("fields");
    for (String target : targets) {
      switch (target) {
        case "given" -> name(fields.putObject("given"), "name.given", targets.contains("family") ? "family" : null);
        case "family" -> name(fields.putObject("family"), "name.family", null);
        case "birthDate" -> {
          // Keyed on the exact date: a year key paired with a weak field finds too many; a slipped date is found
          // through the other fields' keys.
          ObjectNode f = field(fields.putObject("birthDate"), "birthDate", "exact", null);
          ArrayNode levels = f.putArray("levels");
          level(levels, "exact", null);
          level(levels, "damerau-levenshtein", 1.0);
          level(levels, "date", 1.0);
          level(levels, "date", 31.0);
          level(levels, "date", 366.0);
        }
        case "gender" -> level(field(fields.putObject("gender"), "gender", "exact", null).putArray("levels"),
            "exact", null);
        case "phone" -> edits(fields.putObject("phone"), "telecom.where(system='phone').value", "last-digits:8");
        case "email" -> similar(fields.putObject("email"), "telecom.where(system='email').value", 0.9)
            .put("prefixKey", 4);
        case "line" -> similar(fields.putObject("street"), "address.line", 0.85);
        case "city" -> similar(fields.putObject("city"), "address.city", 0.9);
        case "postalCode" -> {
          ObjectNode f = field(fields.putObject("postcode"), "address.postalCode", "exact", null);
          ArrayNode levels = f.putArray("levels");
          level(levels, "exact", null);
          level(levels, "damerau-levenshtein", 1.0);
        }
        case "state" -> level(field(fields.putObject("state"), "address.state", "exact", null).putArray("levels"),
            "exact", null);
        default -> {
          if (target.startsWith("identifier|")) {
            String system = target.substring("identifier|".length());
            edits(fields.putObject(lastSegment(system)), "identifier.where(system='" + system + "').value", null);
          } else if (target.startsWith("field|")) {
            String name = target.substring("field|".length());
            similar(fields.putObject(name), "extension.where(url='" + CsvMapping.FIELD_URL + name + "').value",
                0.9);
          }
        }
      }
    }
    set.put("potentialMatchThreshold", 0);
    set.put("autoMatchThreshold", 0);
    return root;
  }

  private static void name(ObjectNode f, String path, String partner) {
    field(f, path, "jaro-winkler-similarity", 0.8);
    f.put("prefixKey", 3); // Soundex keys miss typos in the first letters, a prefix those further on
    if (partner != null) {
      f.put("anyOrderWith", partner);
    }
    ArrayNode levels = f.putArray("levels");
    level(levels, "exact", null);
    level(levels, "jaro-winkler-similarity", 0.92);
    level(levels, "jaro-winkler-similarity", 0.8);
  }

  private static void edits(ObjectNode f, String path, String normalise) {
    field(f, path, "damerau-levenshtein", 1.0);
    if (normalise != null) {
      f.putArray("normalize").add(normalise);
    }
    ArrayNode levels = f.putArray("levels");
    level(levels, "exact", null);
    level(levels, "damerau-levenshtein", 1.0);
  }

  private static ObjectNode similar(ObjectNode f, String path, double threshold) {
    field(f, path, "exact", null); // keyed on the exact value: phonetic keys of addresses and e-mails find too many
    ArrayNode levels = f.putArray("levels");
    level(levels, "exact", null);
    level(levels, "jaro-winkler-similarity", threshold);
    return f;
  }

  private static ObjectNode field(ObjectNode f, String path, String algorithm, Double threshold) {
    f.put("algorithm", algorithm);
    if (threshold != null) {
      f.put("threshold", threshold);
    }
    f.put("fhirpath", path);
    return f;
  }

  private static void level(ArrayNode levels, String algorithm, Double threshold) {
    ObjectNode l = levels.addObject();
    l.put("algorithm", algorithm);
    if (threshold != null) {
      l.put("threshold", threshold);
    }
    l.put("mValue", 0.1); // placeholders: estimate replaces them
    l.put("uValue", 0.01);
  }

  private static String lastSegment(String system) {
    String[] parts = system.split("[/:#]");
    String last = parts.length == 0 ? system : parts[parts.length - 1];
    return last.isBlank() ? "identifier" : last.replaceAll("[^A-Za-z0-9_-]", "");
  }
}
