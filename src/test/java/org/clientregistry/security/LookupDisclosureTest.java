package org.clientregistry.security;

import static org.clientregistry.Patients.NATIONAL_ID;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What lookups disclose (docs/security.md), over HTTPS with the shipped clients: $match golden ids for certain
 * matches with enough identifying fields only, PIX target systems per client, a rate per client, every lookup
 * audited without personal data.
 */
class LookupDisclosureTest {
  static final String CRUID = "http://openclientregistry.org/fhir/CRUID";
  static final String ART = "http://clientregistry.org/art-number";

  @TempDir
  static Path dir;
  static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(dir).start();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static String cruid(HttpResponse<Buffer> created) {
    assertTrue(created.statusCode() == 201 || created.statusCode() == 200, created.bodyAsString());
    return created.getHeader("LocationCRUID").substring("Patient/".length());
  }

  static JsonObject parameters(JsonObject patient, Boolean onlyCertain) {
    JsonArray params = new JsonArray().add(new JsonObject().put("name", "resource").put("resource", patient));
    if (onlyCertain != null) {
      params.add(new JsonObject().put("name", "onlyCertainMatches").put("valueBoolean", onlyCertain));
    }
    return new JsonObject().put("resourceType", "Parameters").put("parameter", params);
  }

  static HttpResponse<Buffer> match(String client, JsonObject query, Boolean onlyCertain) {
    return registry.post(client, "/fhir/Patient/$match", parameters(query, onlyCertain));
  }

  /** The golden ids of the match entries, and the diagnostics of outcome entries. */
  static List<String> entries(HttpResponse<Buffer> r, String mode) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<String> out = new ArrayList<>();
    for (Object o : r.bodyAsJsonObject().getJsonArray("entry", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      if (e.getJsonObject("search").getString("mode").equals(mode)) {
        JsonObject resource = e.getJsonObject("resource");
        out.add(mode.equals("match") ? resource.getString("id")
            : resource.getJsonArray("issue").getJsonObject(0).getString("diagnostics"));
      }
    }
    return out;
  }

  @Test
  void matchAnswersAGoldenIdOnlyForACertainMatchOnEnoughIdentifyingFields() {
    String cruid = cruid(registry.post("openmrs", "/fhir/Patient", patient("openmrs", "disc-1", "Sarah", "Namuli",
        "female", "1987-03-02", "0772 000 303", "CF87030212SANA")));

    // A name and a birth date: what anyone may know of a neighbour. Probable at best, and no id.
    HttpResponse<Buffer> nameAndBirth = match("lims", patient("lims", "q", "Sarah", "Namuli", null, "1987-03-02",
        null, null), null);
    assertEquals(List.of(), entries(nameAndBirth, "match"));
    assertEquals(0, nameAndBirth.bodyAsJsonObject().getInteger("total"));
    assertTrue(entries(nameAndBirth, "outcome").get(0).contains("withheld"), nameAndBirth.bodyAsString());
    assertFalse(nameAndBirth.bodyAsString().contains(cruid));

    // Certain (name, gender, national id score 4.5) but one identifying field only: withheld.
    HttpResponse<Buffer> oneField = match("lims", patient("lims", "q", "Sarah", "Namuli", "female", null, null,
        "CF87030212SANA"), true);
    assertEquals(List.of(), entries(oneField, "match"));
    assertEquals(1, entries(oneField, "outcome").size(), oneField.bodyAsString());
    assertFalse(oneField.bodyAsString().contains(cruid));

    // Without onlyCertainMatches even a strong query gets no id.
    JsonObject strong = patient("lims", "q", "Sara", "Namuli", "female", "1987-03-02", "0772000303", null);
    assertEquals(List.of(), entries(match("lims", strong, false), "match"));
    // Asked for certain matches, with birth date and phone agreeing: the caller identifies the person already.
    HttpResponse<Buffer> certain = match("lims", strong, true);
    assertEquals(List.of(cruid), entries(certain, "match"));
    assertEquals(List.of(), entries(certain, "outcome"));

    // Administrators see every match, as before.
    assertEquals(List.of(cruid), entries(match("admin", patient("admin", "q", "Sarah", "Namuli", null,
        "1987-03-02", null, null), null), "match"));
  }

  @Test
  void pixAnswersOnlyTheSystemsAClientIsGranted() throws Exception {
    String cruid = cruid(registry.post("openmrs", "/fhir/Patient", patient("openmrs", "grant-1", "Moses", "Okello",
        "male", "1979-11-21", "0701 791 121", "CM79112112MOOK")));
    assertEquals(cruid, cruid(registry.post("lims", "/fhir/Patient", patient("lims", "L-grant-1", "Moses",
        "Okello", "male", "1979-11-21", "0701791121", null))));
    String byOpenmrsId = "sourceIdentifier=" + system("openmrs") + "|grant-1";

    // dhis2 holds no grant: the CRUID and the systems' record numbers, never the national id.
    List<String> plain = targets(pix("dhis2", byOpenmrsId));
    assertTrue(plain.contains(system("lims") + "|L-grant-1") && plain.contains(CRUID + "|" + cruid), plain.toString());
    assertFalse(plain.toString().contains(NATIONAL_ID), plain.toString());
    HttpResponse<Buffer> asked = pix("dhis2", byOpenmrsId + "&targetSystem=" + NATIONAL_ID);
    assertEquals(403, asked.statusCode(), asked.bodyAsString());
    assertEquals("forbidden", asked.bodyAsJsonObject().getJsonArray("issue").getJsonObject(0).getString("code"));
    assertFalse(asked.bodyAsString().contains("CM79112112MOOK"));

    // openmrs is granted the national id (config/clients.json pixTargets), not the ART number.
    assertTrue(targets(pix("openmrs", "sourceIdentifier=" + system("lims") + "|L-grant-1"))
        .contains(NATIONAL_ID + "|CM79112112MOOK"));
    assertEquals(403, pix("openmrs", byOpenmrsId + "&targetSystem=" + ART).statusCode());
    assertTrue(targets(pix("admin", byOpenmrsId)).contains(NATIONAL_ID + "|CM79112112MOOK"));

    // Every lookup is in the audit log: who, what kind, the outcome and the number of results; never a value.
    List<String[]> audit = audit("pix", "dhis2");
    assertTrue(audit.stream().anyMatch(a -> a[1].equals("answered") && a[2].equals("source=" + system("openmrs")
        + " results=2")), audit.stream().map(a -> String.join(" ", a)).toList().toString());
    assertTrue(audit.stream().anyMatch(a -> a[1].equals("refused 403") && a[2].contains("targets=" + NATIONAL_ID)));
    assertTrue(audit.stream().noneMatch(a -> a[2].contains("grant-1")));
  }

  @Test
  void matchAndDemographicSearchesAreAuditedWithoutPersonalData() throws Exception {
    match("dhis2", patient("dhis2", "q", "Audrey", "Atim", "female", "1990-01-01", null, null), true);
    HttpResponse<Buffer> pdq = registry.get("admin", "/fhir/Patient?family=Atim&birthdate=1990-01-01");
    assertEquals(200, pdq.statusCode(), pdq.bodyAsString());
    assertTrue(audit("match", "dhis2").stream().anyMatch(a -> a[2].equals("onlyCertainMatches=true results=0")));
    List<String[]> searches = audit("pdq", "admin");
    assertTrue(searches.stream().anyMatch(a -> a[2].startsWith("parameters=") && a[2].contains("birthdate")
            && a[2].contains("family") && a[2].endsWith(" results=0")),
        searches.stream().map(a -> a[2]).toList().toString());
    for (String action : List.of("match", "pdq")) {
      assertTrue(audit(action, null).stream().noneMatch(a -> a[2].contains("Atim") || a[2].contains("1990")));
    }
  }

  @Test
  void lookupsOverAClientsRateAre429WithRetryAfter() {
    try (TestRegistry limited = new TestRegistry(dir.resolve("limited"),
        Map.of("CR_LOOKUPS_PER_CLIENT_PER_MINUTE", "3")).start()) {
      // 3 a minute: the fourth lookup in a row is refused, unless this machine took 20 s between two of them.
      HttpResponse<Buffer> refused = null;
      for (int i = 0; i < 12 && refused == null; i++) {
        HttpResponse<Buffer> r = i % 2 == 0
            ? limited.get("dhis2", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("dhis2") + "|rate-" + i)
            : limited.post("dhis2", "/fhir/Patient/$match", parameters(patient("dhis2", "q",
                "Rita", "Acen", null, null, null, null), true));
        if (r.statusCode() == 429) {
          refused = r;
        } else {
          assertTrue(r.statusCode() == 404 || r.statusCode() == 200, r.bodyAsString());
        }
      }
      assertNotNull(refused, "no lookup was refused");
      assertTrue(Integer.parseInt(refused.getHeader("Retry-After")) >= 1);
      assertEquals("throttled", refused.bodyAsJsonObject().getJsonArray("issue").getJsonObject(0).getString("code"));
      // Another client has an allowance of its own.
      assertEquals(404, limited.get("lims", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + system("lims") + "|x")
          .statusCode());
    }
  }

  static HttpResponse<Buffer> pix(String client, String query) {
    return registry.get(client, "/fhir/Patient/$ihe-pix?" + query);
  }

  static List<String> targets(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    List<String> out = new ArrayList<>();
    for (Object o : r.bodyAsJsonObject().getJsonArray("parameter")) {
      JsonObject id = ((JsonObject) o).getJsonObject("valueIdentifier");
      if (id != null) {
        out.add(id.getString("system") + "|" + id.getString("value"));
      }
    }
    return out;
  }

  /** Audit rows of one action (and client, unless null): client, outcome, detail. */
  static List<String[]> audit(String action, String client) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         PreparedStatement ps = db.prepareStatement("SELECT client_id, outcome, detail FROM audit_event "
             + "WHERE action = ? AND (? IS NULL OR client_id = ?)")) {
      ps.setString(1, action);
      ps.setString(2, client);
      ps.setString(3, client);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
    }
    return rows;
  }
}
