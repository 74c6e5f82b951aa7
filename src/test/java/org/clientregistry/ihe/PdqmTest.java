package org.clientregistry.ihe;

import static org.clientregistry.Patients.NATIONAL_ID;
import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PDQm (ITI-78) over HTTPS: admin and pdq clients only; one entry per person (the golden record with every
 * member's identifiers, demographics of the member updated last); string matching, :exact, combinations, paging,
 * identifier-domain restriction, GET and POST.
 */
class PdqmTest extends OhieRegistryTest {
  static final String VIEWER = "pdq-viewer";

  static HttpResponse<Buffer> search(String client, String query) {
    return registry.get(client, "/fhir/Patient?" + query);
  }

  static List<JsonObject> persons(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject bundle = r.bodyAsJsonObject();
    assertEquals("searchset", bundle.getString("type"));
    List<JsonObject> out = new ArrayList<>();
    for (Object e : bundle.getJsonArray("entry", new JsonArray())) {
      JsonObject entry = (JsonObject) e;
      if ("match".equals(entry.getJsonObject("search").getString("mode"))) {
        out.add(entry.getJsonObject("resource"));
      }
    }
    return out;
  }

  static List<String> identifiers(JsonObject patient) {
    return patient.getJsonArray("identifier").stream().map(o -> (JsonObject) o)
        .map(i -> i.getString("system") + "|" + i.getString("value")).toList();
  }

  /** Agnes at openmrs, then at lims (linked, later, another phone): one person, lims's demographics. */
  static String agnes(String suffix, String family) {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "pdq-" + suffix,
        "Agnes", family, "female", "1992-06-15", "0772 150 692", "NIN-PDQ-" + suffix));
    HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "L-pdq-" + suffix, "Agnes",
        family, "female", "1992-06-15", "0772 150 692", "NIN-PDQ-" + suffix).put("telecom", new JsonArray()
        .add(new JsonObject().put("system", "phone").put("value", "0772 150 692"))
        .add(new JsonObject().put("system", "email").put("value", "agnes@example.org"))));
    assertEquals(201, a.statusCode(), a.bodyAsString());
    assertEquals(cruid(a), cruid(b), "the two records are one person");
    return cruid(a);
  }

  @Test
  void onePersonPerResultWithEveryMembersIdentifiersAndTheLatestDemographics() {
    String cruid = agnes("1", "Nalwangapdq");
    List<JsonObject> found = persons(search(VIEWER, "family=nalwanga&given=AGN"));
    assertEquals(1, found.size(), found.toString());
    JsonObject p = found.get(0);
    assertEquals(cruid, p.getString("id"));
    List<String> ids = identifiers(p);
    assertTrue(ids.containsAll(List.of(CRUID + "|" + cruid, system("openmrs") + "|pdq-1", system("lims")
        + "|L-pdq-1", NATIONAL_ID + "|NIN-PDQ-1")), ids.toString());
    assertEquals(2, p.getJsonArray("telecom").size(), "the record updated last speaks for the person");
    assertEquals(2, p.getJsonArray("link").size());
  }

  @Test
  void exactModifierCombinationsAndIdentifiers() {
    String cruid = agnes("2", "Exactpdq");
    assertEquals(1, persons(search(VIEWER, "family:exact=Exactpdq")).size());
    assertEquals(0, persons(search(VIEWER, "family:exact=exactpdq")).size(), ":exact is case-sensitive");
    assertEquals(0, persons(search(VIEWER, "family:exact=Exact")).size(), ":exact is the whole value");
    assertEquals(1, persons(search(VIEWER, "family=exactp&birthdate=1992-06-15&gender=female")).size());
    assertEquals(0, persons(search(VIEWER, "family=exactp&gender=male")).size());
    assertEquals(cruid, persons(search(VIEWER, "identifier=" + enc(system("lims") + "|L-pdq-2"))).get(0)
        .getString("id"));
    assertEquals(cruid, persons(search(VIEWER, "_id=" + cruid)).get(0).getString("id"));
    assertEquals(cruid, persons(search(VIEWER, "identifier=" + enc(CRUID + "|" + cruid))).get(0).getString("id"));
  }

  @Test
  void identifierDomainsRestrictTheAnswer() {
    agnes("3", "Domainpdq");
    JsonObject p = persons(search(VIEWER, "family=domainpdq&identifier=" + enc(system("lims") + "|"))).get(0);
    assertEquals(List.of(system("lims") + "|L-pdq-3"), identifiers(p));
    HttpResponse<Buffer> unknown = search(VIEWER, "family=domainpdq&identifier=" + enc("urn:oid:9.9.9|"));
    assertEquals(404, unknown.statusCode());
    assertEquals("targetSystem not found", issue(unknown).getString("diagnostics"));
  }

  @Test
  void pagingAndPost() {
    registry.post("openmrs", "/fhir/Patient", patient("openmrs", "page-1", "Zed", "Pagingpdq", "male",
        "1950-01-01", null, null));
    registry.post("openmrs", "/fhir/Patient", patient("openmrs", "page-2", "Yusuf", "Pagingpdq", "male",
        "1977-03-03", null, null));
    HttpResponse<Buffer> first = search(VIEWER, "family=pagingpdq&_count=1");
    assertEquals(1, persons(first).size());
    assertEquals(2, first.bodyAsJsonObject().getInteger("total"));
    String next = first.bodyAsJsonObject().getJsonArray("link").stream().map(o -> (JsonObject) o)
        .filter(l -> l.getString("relation").equals("next")).findFirst().orElseThrow().getString("url");
    HttpResponse<Buffer> second = registry.get(VIEWER, next.substring(next.indexOf("/fhir/")));
    assertEquals(1, persons(second).size());
    assertFalse(persons(first).get(0).getString("id").equals(persons(second).get(0).getString("id")));

    HttpResponse<Buffer> posted = registry.client(VIEWER).post("/fhir/Patient/_search")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("family", "pagingpdq").add("given", "zed")).await();
    assertEquals(1, persons(posted).size());
  }

  @Test
  void onlyAdminAndPdqClientsMaySearch() {
    assertEquals(403, search("openmrs", "family=anything").statusCode(), "pos clients see no demographics");
    assertEquals(200, search("admin", "identifier=" + enc(system("openmrs") + "|nobody")).statusCode());
    assertEquals(400, search(VIEWER, "").statusCode(), "a search needs a criterion");
    assertEquals(400, search(VIEWER, "family:contains=x").statusCode());
    assertEquals(400, search(VIEWER, "colour=blue").statusCode());
  }

  static HttpResponse<Buffer> createWith(String id, String family, String birthDate, JsonObject extra) {
    JsonObject p = patient("openmrs", id, "Dora", family, "female", birthDate, null, null);
    extra.forEach(e -> p.put(e.getKey(), e.getValue()));
    HttpResponse<Buffer> r = registry.post("openmrs", "/fhir/Patient", p);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r;
  }

  /** Birth dates of the people named Datespdq found by a birthdate criterion, sorted. */
  static List<String> births(String criterion) {
    return persons(search(VIEWER, "family=datespdq&birthdate=" + criterion)).stream()
        .map(p -> p.getString("birthDate")).sorted().toList();
  }

  @Test
  void birthdatePrefixesAndPartialDates() {
    createWith("date-1", "Datespdq", "1989-12-31", new JsonObject());
    createWith("date-2", "Datespdq", "1990-04-12", new JsonObject());
    createWith("date-3", "Datespdq", "1990-07-01", new JsonObject());
    createWith("date-4", "Datespdq", "1991-01-01", new JsonObject());
    assertEquals(List.of("1990-04-12"), births("1990-04-12"));
    assertEquals(List.of("1990-04-12"), births("eq1990-04-12"));
    assertEquals(List.of("1990-04-12", "1990-07-01"), births("1990"), "a year is its whole range");
    assertEquals(List.of("1990-07-01"), births("1990-07"));
    assertEquals(List.of("1989-12-31"), births("lt1990"));
    assertEquals(List.of("1991-01-01"), births("gt1990"));
    assertEquals(List.of("1989-12-31", "1990-04-12", "1990-07-01"), births("le1990-07"));
    assertEquals(List.of("1990-07-01", "1991-01-01"), births("ge1990-07-01"));
    assertEquals(List.of("1989-12-31", "1990-07-01", "1991-01-01"), births("ne1990-04-12"));
    assertEquals(List.of("1990-04-12", "1990-07-01"),
        persons(search(VIEWER, "family=datespdq&birthdate=ge1990&birthdate=lt1991")).stream()
            .map(p -> p.getString("birthDate")).sorted().toList(), "two criteria both hold");
    assertEquals(List.of("1990-04-12"), persons(search(VIEWER, "family=datespdq&birthdate=gt1989-12-31"
        + "&birthdate=le1990-05")).stream().map(p -> p.getString("birthDate")).toList());
    assertEquals(List.of("1989-12-31", "1991-01-01"), births(enc("lt1990,gt1990")), "alternatives");
    for (String bad : new String[] {"sa1990", "1990-4", "90", "1990-13", "eq"}) {
      assertEquals(400, search(VIEWER, "family=datespdq&birthdate=" + bad).statusCode(), bad);
    }
  }

  @Test
  void activeAndMothersMaidenName() {
    JsonObject maiden = new JsonObject().put("extension", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("url", "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName")
        .put("valueString", "Akello")));
    createWith("act-1", "Activepdq", "1970-01-01", maiden.copy().put("active", true));
    createWith("act-2", "Activepdq", "1971-01-01", new JsonObject().put("active", false));
    assertEquals(List.of("1970-01-01"), persons(search(VIEWER, "family=activepdq&active=true")).stream()
        .map(p -> p.getString("birthDate")).toList());
    assertEquals(List.of("1971-01-01"), persons(search(VIEWER, "family=activepdq&active=false")).stream()
        .map(p -> p.getString("birthDate")).toList());
    assertEquals(400, search(VIEWER, "family=activepdq&active=yes").statusCode());
    // On a FHIR server too: through the SearchParameter the registry defines there (a Supplier shall support it).
    HttpResponse<Buffer> byMaiden = search(VIEWER, "family=activepdq&mothersMaidenName=akel");
    assertEquals(List.of("1970-01-01"), persons(byMaiden).stream().map(p -> p.getString("birthDate")).toList());
    assertEquals(1, persons(search(VIEWER, "mothersMaidenName:exact=Akello")).size());
    assertEquals(0, persons(search(VIEWER, "mothersMaidenName:exact=akello")).size());
  }
}
