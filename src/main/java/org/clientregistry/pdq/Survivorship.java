package org.clientregistry.pdq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.clientregistry.store.SourceRecord;

/**
 * Which members' demographics speak for a person in PDQm answers: {@code most-recent} (the member updated last, as
 * a whole), {@code most-frequent} (per element, the value most members hold; a tie goes to the newer record) or
 * {@code trusted-client} (per element, the first member that has it in the order of an ordered list of clients;
 * members of clients not listed come after, newest first). Identifiers and links are never chosen: the person
 * carries every member's.
 */
public record Survivorship(Rule rule, List<String> trustedClients) {
  public static final Survivorship DEFAULT = new Survivorship(Rule.MOST_RECENT, List.of());
  /** Elements the person gets from the registry, not from a member. */
  private static final Set<String> NOT_DEMOGRAPHICS = Set.of("resourceType", "id", "meta", "identifier", "link");

  public enum Rule {
    MOST_RECENT("most-recent"), MOST_FREQUENT("most-frequent"), TRUSTED_CLIENT("trusted-client");

    final String key;

    Rule(String key) {
      this.key = key;
    }

    /** As written in the settings: {@code most-recent}, {@code most-frequent} or {@code trusted-client}. */
    public String key() {
      return key;
    }
  }

  /** From the config file's {@code pdq.survivorship} and {@code pdq.trustedClients}. */
  public static Survivorship parse(String rule, String trustedClients) {
    return parse(rule, trustedClients, "pdq.trustedClients");
  }

  /**
   * From a rule's key and comma-separated client ids, most trusted first; {@code trustedSetting} names the setting
   * of the ids in messages (the config file and the OpenHIM console call it differently).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Survivorship parse(String rule, String trustedClients, String trustedSetting) {
    String name = rule == null || rule.isBlank() ? Rule.MOST_RECENT.key : rule.trim();
    Rule parsed = Arrays.stream(Rule.values()).filter(r -> r.key.equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("must be most-recent, most-frequent or trusted-client, got '" + name + "'"));
    List<String> trusted = trustedClients == null || trustedClients.isBlank() ? List.of()
        : Arrays.stream(trustedClients.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (parsed == Rule.TRUSTED_CLIENT && trusted.isEmpty()) {
      throw new IllegalArgumentException("trusted-client needs " + trustedSetting
          + " (client ids, most trusted first)");
    }
    return new Survivorship(parsed, trusted);
  }

  /** The first trusted client that is none of these clients, if any. */
  public Optional<String> unknownClient(Set<String> clientIds) {
    return trustedClients.stream().filter(id -> !clientIds.contains(id)).findFirst();
  }

  /**
   * The person's demographic elements from its members (given newest first), in the members' element order. Members
   * a source retired ({@code active: false}: merged away or deleted by a PMIR feed) speak only when no other does.
   */
  Map<String, JsonNode> demographics(List<SourceRecord> members, Function<SourceRecord, JsonNode> read) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    List<SourceRecord> active = members.stream().filter(m -> read.apply(m).path("active").asBoolean(true)).toList();
    List<SourceRecord> newestFirst = active.isEmpty() ? members : active;
    if (newestFirst.isEmpty()) {
      return out;
    }
    switch (rule) {
      case MOST_RECENT -> elements(read.apply(newestFirst.get(0))).forEach(out::put);
      case MOST_FREQUENT -> mostFrequent(newestFirst.stream().map(read).toList(), out);
      case TRUSTED_CLIENT -> {
        List<SourceRecord> ranked = new ArrayList<>(newestFirst); // a stable sort keeps newest first within a rank
        ranked.sort(Comparator.comparingInt(this::rank));
        for (SourceRecord m : ranked) {
          elements(read.apply(m)).forEach(out::putIfAbsent);
        }
      }
      default -> throw new IllegalStateException(rule.name());
    }
    return out;
  }

  private int rank(SourceRecord member) {
    int i = trustedClients.indexOf(member.clientId());
    return i < 0 ? trustedClients.size() : i;
  }

  private static void mostFrequent(List<JsonNode> newestFirst, Map<String, JsonNode> out) {
    Map<String, Map<JsonNode, Integer>> counts = new LinkedHashMap<>();
    for (JsonNode member : newestFirst) {
      elements(member).forEach((k, v) -> counts.computeIfAbsent(k, x -> new LinkedHashMap<>()).merge(v, 1,
          Integer::sum));
    }
    counts.forEach((element, values) -> {
      JsonNode best = null;
      int most = 0;
      for (Map.Entry<JsonNode, Integer> e : values.entrySet()) { // first seen is newest: it wins a tie
        if (e.getValue() > most) {
          best = e.getKey();
          most = e.getValue();
        }
      }
      out.put(element, best);
    });
  }

  private static Map<String, JsonNode> elements(JsonNode resource) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    resource.fields().forEachRemaining(f -> {
      if (!NOT_DEMOGRAPHICS.contains(f.getKey())) {
        out.put(f.getKey(), f.getValue());
      }
    });
    return out;
  }
}
