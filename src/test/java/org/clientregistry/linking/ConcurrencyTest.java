package org.clientregistry.linking;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.SharedRegistryTest;
import org.junit.jupiter.api.Test;

/** Parallel submissions over HTTPS: no duplicate golden records, no duplicate source records. */
class ConcurrencyTest extends SharedRegistryTest {
  static Future<HttpResponse<Buffer>> send(String client, JsonObject body) {
    return registry.client(client).post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body.encode()));
  }

  @Test
  void fiftyParallelVariantsOfOnePersonMakeOneGoldenRecord() {
    String[] givens = {"Florence", "Florance", "Florense", "Flourence", "Florence"};
    String[] families = {"Nansubuga", "Nansubugga", "Nasubuga", "Nansubuga", "Nansubuka"};
    String[] clients = {"openmrs", "dhis2", "lims"};
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String client = clients[i % 3];
      all.add(send(client, patient(client, "flo-" + i, givens[i % 5], families[(i / 5) % 5], "female",
          "1983-02-17", i % 2 == 0 ? "0772 170 283" : "0772170283", i % 3 == 0 ? "CF83021712FLNA" : null)));
    }
    Set<String> cruids = new HashSet<>();
    for (Future<HttpResponse<Buffer>> f : all) {
      HttpResponse<Buffer> r = f.await();
      assertEquals(201, r.statusCode(), r.bodyAsString());
      cruids.add(r.getHeader("LocationCRUID"));
    }
    assertEquals(1, cruids.size(), "all variants must share one CRUID: " + cruids);
  }

  @Test
  void sameIdentifierTwiceAtOnceMakesOneSourceRecord() {
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(send("openmrs", patient("openmrs", "twice-1", "Henry", "Lubega", "male", "1966-06-06", null, null)));
    }
    Set<String> ids = new HashSet<>();
    int created = 0;
    for (Future<HttpResponse<Buffer>> f : all) {
      HttpResponse<Buffer> r = f.await();
      ids.add(r.bodyAsJsonObject().getString("id"));
      created += r.statusCode() == 201 ? 1 : 0;
    }
    assertEquals(1, ids.size());
    assertEquals(1, created, "one create, the rest are idempotent resubmissions");
  }

  @Test
  void unrelatedPeopleInParallelStayApart() {
    String[][] people = {
        {"Isaac", "Mukasa", "male", "1951-01-11"}, {"Judith", "Achieng", "female", "1962-02-12"},
        {"Kenneth", "Opio", "male", "1973-03-13"}, {"Lydia", "Nanteza", "female", "1984-04-14"},
        {"Martin", "Byaruhanga", "male", "1995-05-15"}, {"Naomi", "Kyomuhendo", "female", "2006-06-16"}};
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < people.length; i++) {
      String[] p = people[i];
      all.add(send("lims", patient("lims", "u-" + i, p[0], p[1], p[2], p[3], null, null)));
    }
    Set<String> cruids = new HashSet<>();
    all.forEach(f -> cruids.add(f.await().getHeader("LocationCRUID")));
    assertEquals(people.length, cruids.size());
  }
}
