package org.clientregistry.pdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.store.SourceRecord;
import org.junit.jupiter.api.Test;

/** The three survivorship rules on one person of three members, and their configuration. */
class SurvivorshipTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Newest first: lims (newest), dhis2, openmrs (oldest). Two of three say Nakato and the 1990 birth date. */
  private static final List<SourceRecord> MEMBERS = List.of(
      member("c", "lims", 3, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Nakatto\"}],"
          + "\"birthDate\":\"1991-04-12\",\"telecom\":[{\"system\":\"phone\",\"value\":\"0772 000 001\"}]}"),
      member("b", "dhis2", 2, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Nakato\"}],"
          + "\"birthDate\":\"1990-04-12\",\"gender\":\"female\"}"),
      member("a", "openmrs", 1, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Nakato\"}],"
          + "\"birthDate\":\"1990-04-12\",\"address\":[{\"city\":\"Gulu\"}],"
          + "\"identifier\":[{\"system\":\"x\",\"value\":\"1\"}]}"));

  private static SourceRecord member(String id, String client, int second, String json) {
    return new SourceRecord(id, 1, client, "s", id, "g", null, json, "{}", Instant.ofEpochSecond(second));
  }

  private static Map<String, JsonNode> apply(Survivorship s) {
    return s.demographics(MEMBERS, SurvivorshipTest::read);
  }

  private static String family(Map<String, JsonNode> d) {
    return d.get("name").get(0).get("family").asText();
  }

  @Test
  void retiredMembersSpeakOnlyWhenNoActiveMemberDoes() {
    List<SourceRecord> merged = List.of(
        member("d", "lims", 4, "{\"resourceType\":\"Patient\",\"active\":false,\"name\":[{\"family\":\"Old\"}]}"),
        MEMBERS.get(1));
    Map<String, JsonNode> d = Survivorship.DEFAULT.demographics(merged, SurvivorshipTest::read);
    assertEquals("Nakato", family(d), "the newest member was merged away: the active one speaks");
    assertFalse(d.containsKey("active"));
    Map<String, JsonNode> retired = Survivorship.DEFAULT.demographics(merged.subList(0, 1), SurvivorshipTest::read);
    assertEquals("Old", family(retired), "a person of retired members only is still answered");
    assertFalse(retired.get("active").asBoolean());
  }

  private static JsonNode read(SourceRecord r) {
    try {
      return JSON.readTree(r.resourceJson());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void mostRecentTakesTheNewestMemberAsAWhole() {
    Map<String, JsonNode> d = apply(Survivorship.parse("most-recent", ""));
    assertEquals("Nakatto", family(d));
    assertEquals("1991-04-12", d.get("birthDate").asText());
    assertFalse(d.containsKey("gender"), "nothing of older members");
    assertFalse(d.containsKey("address"));
    assertFalse(d.containsKey("identifier"), "identifiers are the person's, never chosen");
    assertEquals(Survivorship.DEFAULT, Survivorship.parse("", ""));
  }

  @Test
  void mostFrequentTakesPerElementTheValueMostMembersHold() {
    Map<String, JsonNode> d = apply(Survivorship.parse("most-frequent", ""));
    assertEquals("Nakato", family(d));
    assertEquals("1990-04-12", d.get("birthDate").asText());
    assertEquals("female", d.get("gender").asText(), "held by one member only: still its value");
    assertEquals("Gulu", d.get("address").get(0).get("city").asText());
    assertEquals("0772 000 001", d.get("telecom").get(0).get("value").asText());
    assertFalse(d.containsKey("identifier"));
  }

  @Test
  void mostFrequentBreaksATieForTheNewerRecord() {
    Map<String, JsonNode> d = Survivorship.parse("most-frequent", "").demographics(MEMBERS.subList(0, 2), r -> {
      try {
        return JSON.readTree(r.resourceJson());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals("Nakatto", family(d));
  }

  @Test
  void trustedClientFirstTakesEachElementFromTheMostTrustedMemberThatHasIt() {
    Map<String, JsonNode> d = apply(Survivorship.parse("trusted-client", "openmrs, dhis2"));
    assertEquals("Nakato", family(d), "openmrs is trusted most");
    assertEquals("1990-04-12", d.get("birthDate").asText());
    assertEquals("Gulu", d.get("address").get(0).get("city").asText());
    assertEquals("female", d.get("gender").asText(), "openmrs has no gender: dhis2, next in trust, gives it");
    assertEquals("0772 000 001", d.get("telecom").get(0).get("value").asText(), "unlisted lims comes last");
    Map<String, JsonNode> limsFirst = apply(Survivorship.parse("trusted-client", "lims"));
    assertEquals("Nakatto", family(limsFirst));
    assertEquals("female", limsFirst.get("gender").asText(), "then the others, newest first");
  }

  @Test
  void badSettingsStopTheStartNamingTheKey() {
    Path config = Path.of("config");
    ConfigException rule = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(config, Map.of("CR_PDQ_SURVIVORSHIP", "loudest")));
    assertTrue(rule.getMessage().contains("pdq.survivorship"), rule.getMessage());
    ConfigException none = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(config, Map.of("CR_PDQ_SURVIVORSHIP", "trusted-client")));
    assertTrue(none.getMessage().contains("pdq.trustedClients"), none.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.load(config,
        Map.of("CR_PDQ_SURVIVORSHIP", "trusted-client", "CR_PDQ_TRUSTED_CLIENTS", "openmrs,nobody")));
    assertTrue(unknown.getMessage().contains("nobody"), unknown.getMessage());
    assertEquals(List.of("openmrs", "lims"), ConfigLoader.load(config, Map.of("CR_PDQ_SURVIVORSHIP",
        "trusted-client", "CR_PDQ_TRUSTED_CLIENTS", "openmrs,lims")).survivorship().trustedClients());
  }
}
