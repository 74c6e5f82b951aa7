package org.clientregistry.pdq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.store.SourceRecord;

/**
 * One person as PDQm answers it: the golden record (id = CRUID) carrying every member's authoritative identifiers
 * and demographics chosen from its members by the configured {@link Survivorship} rule (by default the member
 * updated last speaks for the person: a system that saw the patient lately knows the current name and address).
 * Claims (identifiers of domains a member's client does not assign) are left out, as in PIX answers.
 */
final class PersonView {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TAG_SYSTEM = "http://openclientregistry.org/fhir/tag";

  private PersonView() {}

  /** The Patient, or null when {@code domains} is not empty and the person has no identifier in any of them. */
  static ObjectNode of(String goldenId, List<SourceRecord> members, IdentityDomains identity, String cruidSystem,
                       Set<String> domains, Survivorship survivorship) {
    List<SourceRecord> ordered = members.stream().sorted(Comparator.comparing(SourceRecord::lastUpdated)
        .reversed().thenComparing(SourceRecord::id)).toList();
    ObjectNode out = JSON.createObjectNode().put("resourceType", "Patient").put("id", goldenId);
    out.putObject("meta").putArray("tag").addObject().put("system", TAG_SYSTEM).put("code", "golden-record");
    ArrayNode identifiers = out.putArray("identifier");
    if (domains.isEmpty() || domains.contains(cruidSystem)) {
      identifiers.addObject().put("use", "official").put("system", cruidSystem).put("value", goldenId);
    }
    Set<String> seen = new HashSet<>();
    for (SourceRecord m : ordered) {
      for (JsonNode id : read(m).path("identifier")) {
        String system = id.path("system").asText("");
        String key = system + "|" + id.path("value").asText("");
        if (identity.authoritative(m.clientId(), system) && (domains.isEmpty() || domains.contains(system))
            && seen.add(key)) {
          identifiers.add(id.deepCopy());
        }
      }
    }
    if (identifiers.isEmpty()) {
      return null;
    }
    survivorship.demographics(ordered, PersonView::read).forEach(out::set);
    ArrayNode links = out.putArray("link");
    ordered.forEach(m -> links.addObject().put("type", "seealso").putObject("other")
        .put("reference", "Patient/" + m.id()));
    return out;
  }

  private static JsonNode read(SourceRecord r) {
    try {
      return JSON.readTree(r.resourceJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored record " + r.id() + " is not JSON", e);
    }
  }
}
