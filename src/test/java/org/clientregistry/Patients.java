package org.clientregistry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Test Patients as FHIR JSON, with the example clients' identifier systems. */
public final class Patients {
  public static final String NATIONAL_ID = "http://clientregistry.org/national-id";

  private Patients() {}

  public static String system(String client) {
    return "http://clientregistry.org/" + client;
  }

  public static JsonObject patient(String client, String id, String given, String family, String gender,
                                   String birthDate, String phone, String nationalId) {
    JsonArray identifiers = new JsonArray().add(new JsonObject().put("system", system(client)).put("value", id));
    if (nationalId != null) {
      identifiers.add(new JsonObject().put("system", NATIONAL_ID).put("value", nationalId));
    }
    JsonObject name = new JsonObject().put("use", "official");
    if (family != null) {
      name.put("family", family);
    }
    if (given != null) {
      name.put("given", new JsonArray().add(given));
    }
    JsonObject p = new JsonObject().put("resourceType", "Patient").put("identifier", identifiers)
        .put("name", new JsonArray().add(name));
    if (gender != null) {
      p.put("gender", gender);
    }
    if (birthDate != null) {
      p.put("birthDate", birthDate);
    }
    if (phone != null) {
      p.put("telecom", new JsonArray().add(new JsonObject().put("system", "phone").put("value", phone)));
    }
    return p;
  }

  /** Jane Nakato and small variants of her, as different systems would record her. */
  public static JsonObject jane(String client, String id) {
    return patient(client, id, "Jane", "Nakato", "female", "1990-04-12", "+256 772 123456", "CM90041212ABCD");
  }
}
