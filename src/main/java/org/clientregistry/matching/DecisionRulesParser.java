package org.clientregistry.matching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads OpenCR's current decision-rules format ({@code {"rules": [ {matchingType, fields, filters,
 * potentialMatchThreshold, autoMatchThreshold} ]}}) and validates it, naming the field at fault. OpenCR-only keys
 * such as {@code espath} are accepted and ignored so that implementers can bring their files unchanged.
 */
public final class DecisionRulesParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Consumer<String> fhirpathValidator;
  private final Nicknames nicknames;
  private final Map<Slot, Integer> slots = new LinkedHashMap<>();

  /** @param fhirpathValidator throws IllegalArgumentException for an expression that does not parse */
  private DecisionRulesParser(Consumer<String> fhirpathValidator, Nicknames nicknames) {
    this.fhirpathValidator = fhirpathValidator;
    this.nicknames = nicknames;
  }

  public static DecisionRules parse(Path file, Consumer<String> fhirpathValidator) {
    return parse(file, fhirpathValidator, Nicknames.NONE);
  }

  public static DecisionRules parse(Path file, Consumer<String> fhirpathValidator, Nicknames nicknames) {
    try {
      return parse(Files.readString(file), fhirpathValidator, nicknames);
    } catch (IOException e) {
      throw new RulesException(file.toString(), "cannot be read: " + e.getMessage());
    }
  }

  public static DecisionRules parse(String json, Consumer<String> fhirpathValidator) {
    return parse(json, fhirpathValidator, Nicknames.NONE);
  }

  /** @param nicknames the table of the {@code nickname} normaliser */
  public static DecisionRules parse(String json, Consumer<String> fhirpathValidator, Nicknames nicknames) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new RulesException("(file)", "not valid JSON: " + e.getMessage());
    }
    return new DecisionRulesParser(fhirpathValidator, nicknames).rules(root);
  }

  private DecisionRules rules(JsonNode root) {
    JsonNode rules = root == null ? null : root.get("rules");
    if (rules != null && rules.isObject()) {
      return legacy(rules);
    }
    if (rules == null || !rules.isArray() || rules.isEmpty()) {
      throw new RulesException("rules", "must be a non-empty list of rule sets");
    }
    List<RuleSet> sets = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      sets.add(ruleSet(rules.get(i), "rules[" + i + "]"));
    }
    return new DecisionRules(List.copyOf(sets), List.copyOf(slots.keySet()), bridges(root.get("bridges")));
  }

  private static BridgePolicy bridges(JsonNode node) {
    if (node == null || node.isNull()) {
      return BridgePolicy.REVIEW;
    }
    if (!node.isTextual()) {
      throw new RulesException("bridges", "must be \"review\" or \"merge\"");
    }
    return BridgePolicy.parse(node.asText());
  }

  /**
   * The older single-object format of the OpenCR seed documentation: {@code "rules": {name: {algorithm, threshold,
   * path, systems}}}. Every field must pass for an auto-link (a deterministic rule set whose threshold is the
   * number of fields); {@code systems} limits a field to records from those clients.
   */
  private DecisionRules legacy(JsonNode rules) {
    if (rules.isEmpty()) {
      throw new RulesException("rules", "must name at least one field");
    }
    List<FieldRule> fields = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = rules.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode node = e.getValue();
      if (node.isObject() && !node.has("fhirpath") && node.has("path")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("fhirpath", node.get("path").asText());
      }
      fields.add(field(e.getKey(), node, "rules." + e.getKey(), MatchingType.DETERMINISTIC, true));
    }
    double all = fields.stream().mapToDouble(FieldRule::weight).sum();
    RuleSet set = new RuleSet("rules", MatchingType.DETERMINISTIC, List.copyOf(fields), List.of(), all, all);
    return new DecisionRules(List.of(set), List.copyOf(slots.keySet()));
  }

  private RuleSet ruleSet(JsonNode node, String path) {
    MatchingType type = matchingType(node.path("matchingType"), path + ".matchingType");
    JsonNode fieldsNode = node.get("fields");
    if (fieldsNode == null || !fieldsNode.isObject() || fieldsNode.isEmpty()) {
      throw new RulesException(path + ".fields", "must be an object with at least one field");
    }
    List<FieldRule> fields = partners(fieldsNode, fields(fieldsNode, path + ".fields", type, true),
        path + ".fields");
    List<FieldRule> filters = node.has("filters") ? fields(node.get("filters"), path + ".filters", type, false)
        : List.of();
    double auto = number(node, "autoMatchThreshold", path, null);
    double potential = number(node, "potentialMatchThreshold", path, auto);
    if (auto < potential) {
      throw new RulesException(path + ".autoMatchThreshold", "(" + auto + ") must not be below potentialMatchThreshold ("
          + potential + ")");
    }
    double blocking = number(node, "blockingThreshold", path, potential);
    if (blocking < potential) {
      throw new RulesException(path + ".blockingThreshold", "(" + blocking + ") must not be below "
          + "potentialMatchThreshold (" + potential + ")");
    }
    String name = node.path("name").asText(path);
    return new RuleSet(name, type, fields, filters, potential, auto, blocking);
  }

  /**
   * {@code "anyOrderWith": "<other field>"}: the two fields are compared straight or crossed, whichever scores
   * better (names recorded in the wrong order). Declared on either field; both get it.
   */
  private static List<FieldRule> partners(JsonNode node, List<FieldRule> fields, String path) {
    List<FieldRule> out = new ArrayList<>(fields);
    for (int i = 0; i < fields.size(); i++) {
      JsonNode other = node.path(fields.get(i).name()).path("anyOrderWith");
      if (other.isMissingNode()) {
        continue;
      }
      String key = path + "." + fields.get(i).name() + ".anyOrderWith";
      int j = -1;
      for (int k = 0; k < fields.size(); k++) {
        if (fields.get(k).name().equals(other.asText())) {
          j = k;
        }
      }
      if (j < 0 || j == i) {
        throw new RulesException(key, "must name another field of the rule set, got '" + other.asText() + "'");
      }
      if ((out.get(i).partner() >= 0 && out.get(i).partner() != j) || (out.get(j).partner() >= 0
          && out.get(j).partner() != i)) {
        throw new RulesException(key, "a field can be paired with one other field only");
      }
      out.set(i, out.get(i).withPartner(j));
      out.set(j, out.get(j).withPartner(i));
    }
    return List.copyOf(out);
  }

  private static MatchingType matchingType(JsonNode node, String path) {
    if (node.isMissingNode()) {
      return MatchingType.DETERMINISTIC;
    }
    try {
      return MatchingType.valueOf(node.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RulesException(path, "must be deterministic or probabilistic, got '" + node.asText() + "'");
    }
  }

  private List<FieldRule> fields(JsonNode node, String path, MatchingType type, boolean compared) {
    if (!node.isObject()) {
      throw new RulesException(path, "must be an object of named fields");
    }
    List<FieldRule> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(field(e.getKey(), e.getValue(), path + "." + e.getKey(), type, compared));
    }
    return List.copyOf(out);
  }

  private FieldRule field(String name, JsonNode node, String path, MatchingType type, boolean compared) {
    if (!node.isObject()) {
      throw new RulesException(path, "must be an object");
    }
    String fhirpath = node.path("fhirpath").asText("");
    if (fhirpath.isBlank()) {
      throw new RulesException(path + ".fhirpath", "is required");
    }
    try {
      fhirpathValidator.accept(fhirpath);
    } catch (IllegalArgumentException e) {
      throw new RulesException(path + ".fhirpath", e.getMessage());
    }
    List<ComparisonLevel> levels = compared ? levels(node.path("levels"), path + ".levels", type) : List.of();
    // Filters are exact-equality conditions whatever algorithm they name. With levels and no algorithm of its own,
    // a field is keyed by its loosest (last) level.
    String algorithmName = !compared ? "exact" : node.has("algorithm") || levels.isEmpty()
        ? node.path("algorithm").asText("") : levels.get(levels.size() - 1).algorithm().name();
    if (!node.has("algorithm") && !levels.isEmpty() && !node.has("threshold")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("threshold",
          levels.get(levels.size() - 1).threshold());
    }
    Algorithm algorithm;
    try {
      algorithm = Algorithms.byName(algorithmName);
    } catch (IllegalArgumentException e) {
      throw new RulesException(path + ".algorithm", e.getMessage());
    }
    double threshold = 0;
    if (algorithm.needsThreshold()) {
      if (!node.has("threshold")) {
        throw new RulesException(path + ".threshold", "is required for algorithm " + algorithmName);
      }
      threshold = number(node, "threshold", path, null);
      if (threshold < 0) {
        throw new RulesException(path + ".threshold", "must not be negative");
      }
      if (algorithmName.contains("similarity") || algorithmName.equals("jaro-winkler")) {
        if (threshold > 1) {
          throw new RulesException(path + ".threshold", "a similarity threshold must be between 0 and 1");
        }
      }
    }
    double weight = number(node, "weight", path, 1.0);
    double m = 0.9;
    double u = 0.1;
    if (type == MatchingType.PROBABILISTIC && compared && levels.isEmpty()) {
      m = number(node, "mValue", path, null);
      u = number(node, "uValue", path, null);
      if (m <= 0 || m >= 1 || u <= 0 || u >= 1) {
        throw new RulesException(path, "mValue and uValue must be between 0 and 1 (exclusive)");
      }
    }
    NullHandling one = nullHandling(node, "null_handling", path, NullHandling.MODERATE);
    NullHandling both = nullHandling(node, "null_handling_both", path, NullHandling.MODERATE); // spec: default moderate
    Set<String> steps = normalisers(node.path("normalize"), path + ".normalize");
    int lastDigits = steps.stream().filter(st -> st.startsWith("last-digits:"))
        .mapToInt(st -> Integer.parseInt(st.substring("last-digits:".length()))).findFirst().orElse(0);
    Slot key = new Slot(fhirpath, steps.contains("digits-only"), steps.contains("nickname") ? nicknames : null,
        lastDigits);
    int slot = slots.computeIfAbsent(key, s -> slots.size());
    Set<String> systems = new LinkedHashSet<>();
    node.path("systems").forEach(system -> systems.add(system.asText()));
    boolean termFrequency = node.path("termFrequency").asBoolean(false);
    if (termFrequency && type != MatchingType.PROBABILISTIC) {
      throw new RulesException(path + ".termFrequency", "applies to probabilistic rule sets only");
    }
    JsonNode alwaysKey = node.path("alwaysKey");
    if (!alwaysKey.isMissingNode() && !alwaysKey.isBoolean()) {
      throw new RulesException(path + ".alwaysKey", "must be true or false");
    }
    JsonNode prefix = node.path("prefixKey");
    if (!prefix.isMissingNode() && (!prefix.canConvertToInt() || !prefix.isIntegralNumber() || prefix.asInt() < 2)) {
      throw new RulesException(path + ".prefixKey", "must be a whole number of characters, 2 or more");
    }
    JsonNode nearDay = node.path("nearDayKey");
    if (!nearDay.isMissingNode() && (!nearDay.isIntegralNumber() || nearDay.asInt() < 1 || nearDay.asInt() > 31)) {
      throw new RulesException(path + ".nearDayKey", "must be a whole number of days from 1 to 31");
    }
    return new FieldRule(name, algorithm, threshold, weight, m, u, slot, one, both,
        java.util.Collections.unmodifiableSet(systems), // in file order, so the rules print the same every run
        termFrequency, -1, alwaysKey.asBoolean(false), prefix.asInt(0), nearDay.asInt(0), levels);
  }

  /**
   * {@code "levels": [ {algorithm, threshold, mValue, uValue}, … ]}, best first (probabilistic rule sets only). The
   * m values and the u values must each add up to less than 1: the rest is the "else" level.
   */
  private static List<ComparisonLevel> levels(JsonNode node, String path, MatchingType type) {
    if (node.isMissingNode()) {
      return List.of();
    }
    if (type != MatchingType.PROBABILISTIC) {
      throw new RulesException(path, "apply to probabilistic rule sets only");
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new RulesException(path, "must be a non-empty list of levels");
    }
    List<ComparisonLevel> out = new ArrayList<>();
    double mSum = 0;
    double uSum = 0;
    for (int i = 0; i < node.size(); i++) {
      JsonNode level = node.get(i);
      String at = path + "[" + i + "]";
      Algorithm algorithm;
      try {
        algorithm = Algorithms.byName(level.path("algorithm").asText(""));
      } catch (IllegalArgumentException e) {
        throw new RulesException(at + ".algorithm", e.getMessage());
      }
      double threshold = algorithm.needsThreshold() ? number(level, "threshold", at, null) : 0;
      double m = number(level, "mValue", at, null);
      double u = number(level, "uValue", at, null);
      if (m <= 0 || m >= 1 || u <= 0 || u >= 1) {
        throw new RulesException(at, "mValue and uValue must be between 0 and 1 (exclusive)");
      }
      mSum += m;
      uSum += u;
      out.add(new ComparisonLevel(algorithm, threshold, m, u));
    }
    if (mSum >= 1 + 1e-9 || uSum >= 1 + 1e-9) {
      throw new RulesException(path, "the levels' mValue and uValue must each add up to at most 1");
    }
    return List.copyOf(out);
  }

  /**
   * Named normalisation steps besides the case/accent/space folding that always applies: "digits-only" (phones,
   * ids), "last-digits:N" (digits only, then the last N: a phone with and without its country code or trunk
   * prefix agrees) and "nickname" (given names to their canonical form, from the nickname table).
   */
  private static Set<String> normalisers(JsonNode node, String path) {
    Set<String> steps = new LinkedHashSet<>();
    if (node.isMissingNode()) {
      return steps;
    }
    for (JsonNode step : node.isArray() ? node : List.of(node)) {
      String name = step.asText();
      if (name.matches("last-digits:[1-9][0-9]?")) {
        steps.add(name);
        continue;
      }
      switch (name) {
        case "digits-only", "nickname", "basic" -> steps.add(name);
        default -> throw new RulesException(path, "unknown normaliser '" + name
            + "' (known: basic, digits-only, last-digits:N, nickname)");
      }
    }
    return steps;
  }

  private static NullHandling nullHandling(JsonNode node, String key, String path, NullHandling fallback) {
    if (!node.has(key)) {
      return fallback;
    }
    try {
      return NullHandling.parse(node.get(key).asText());
    } catch (IllegalArgumentException e) {
      throw new RulesException(path + "." + key, "must be conservative, moderate or greedy, got '"
          + node.get(key).asText() + "'");
    }
  }

  private static double number(JsonNode node, String key, String path, Double fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new RulesException(path + "." + key, "is required");
      }
      return fallback;
    }
    if (!v.isNumber()) {
      throw new RulesException(path + "." + key, "must be a number, got " + v);
    }
    return v.asDouble();
  }
}
