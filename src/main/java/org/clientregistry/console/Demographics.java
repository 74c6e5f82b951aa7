package org.clientregistry.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a person reads off a stored Patient: name, sex, birth date, phones, address, as display strings. */
final class Demographics {
  private Demographics() {}

  static Map<String, String> of(String resourceJson) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonObject p = resourceJson == null ? new JsonObject() : new JsonObject(resourceJson);
    out.put("Name", names(p.getJsonArray("name", new JsonArray())));
    out.put("Sex", p.getString("gender", ""));
    out.put("Birth date", p.getString("birthDate", ""));
    out.put("Phone", join(p.getJsonArray("telecom", new JsonArray()), t -> t.getString("value", "")));
    out.put("Address", join(p.getJsonArray("address", new JsonArray()), a -> String.join(", ", strings(List.of(
        String.join(" ", strings(a.getJsonArray("line", new JsonArray()))), a.getString("city", ""),
        a.getString("district", ""), a.getString("country", ""))))));
    return out;
  }

  /** One line for lists: the first name and the birth date. */
  static String summary(String resourceJson) {
    Map<String, String> d = of(resourceJson);
    String name = d.get("Name").split(" \\| ")[0];
    return name + (d.get("Birth date").isEmpty() ? "" : ", born " + d.get("Birth date"));
  }

  private static String names(JsonArray names) {
    return join(names, n -> String.join(" ", strings(n.getJsonArray("given", new JsonArray())))
        + (n.getString("family") == null ? "" : " " + n.getString("family")));
  }

  private static String join(JsonArray items, java.util.function.Function<JsonObject, String> show) {
    List<String> out = new ArrayList<>();
    items.forEach(o -> {
      if (o instanceof JsonObject j) {
        String s = show.apply(j).trim();
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    });
    return String.join(" | ", out);
  }

  private static List<String> strings(Iterable<?> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> {
      if (v != null && !v.toString().isBlank()) {
        out.add(v.toString());
      }
    });
    return out;
  }
}
