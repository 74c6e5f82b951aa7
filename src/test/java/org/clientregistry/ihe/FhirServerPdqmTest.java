package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.clientregistry.OnFhirServer;
import org.clientregistry.store.DemographicSearch;
import org.clientregistry.store.fhirserver.HapiTestServer;
import org.junit.jupiter.api.Test;

/** PDQm on the fhirserver store (the FHIR server's own Patient search). */
class FhirServerPdqmTest extends PdqmTest implements OnFhirServer {

  /**
   * Golden records on the server hold the CRUID and links only: a search by demographics or by a system's identifier
   * cannot find one and names no tag to leave out ({@code _tag:not} is a NOT IN over every golden record on the
   * server); one by an identifier value in any system could (a CRUID) and does.
   */
  @Test
  void onlyASearchThatCouldFindAGoldenRecordLeavesGoldenRecordsOutByTag() {
    String cruid = agnes("tag", "Tagpdq");
    List<Map<String, String[]>> demographic = HapiTestServer.shared().searchesDuring(() -> {
      assertEquals(cruid, persons(search(VIEWER, "family=tagpdq&birthdate=1992-06-15")).get(0).getString("id"));
      assertEquals(cruid, persons(search(VIEWER, "identifier=" + enc(org.clientregistry.Patients.system("lims")
          + "|L-pdq-tag"))).get(0).getString("id"));
    });
    assertEquals(2, demographic.stream().filter(q -> q.containsKey("_sort")).count(), "two server searches");
    demographic.forEach(q -> assertFalse(q.containsKey("_tag:not"), "no tag left out: " + q.keySet()));

    List<Map<String, String[]>> anySystem = HapiTestServer.shared().searchesDuring(() -> {
      assertEquals(cruid, persons(search(VIEWER, "identifier=NIN-PDQ-tag")).get(0).getString("id"));
      assertEquals(0, persons(search(VIEWER, "identifier=" + cruid)).size(), "a CRUID is no source identifier");
    });
    List<Map<String, String[]>> byIdentifier = anySystem.stream().filter(q -> q.containsKey("_sort")).toList();
    assertEquals(2, byIdentifier.size());
    byIdentifier.forEach(q -> assertTrue(q.containsKey("_tag:not"), "golden records left out: " + q.keySet()));
  }

  /**
   * A definition deleted on the server while the registry runs: the search that meets the server's refusal fails
   * (503, the store could not answer), and the registry defines the parameter again, so that later searches work.
   */
  @Test
  void aSearchParameterDeletedOnTheServerIsDefinedAgain() throws Exception {
    createWith("del-1", "Deletedsp", "1972-02-02", new JsonObject().put("extension", new JsonArray().add(
        new JsonObject().put("url", DemographicSearch.MOTHERS_MAIDEN_NAME).put("valueString", "Nabirye"))));
    String query = "family=deletedsp&mothersMaidenName=nabir";
    assertEquals(1, persons(search(VIEWER, query)).size());
    HapiTestServer hapi = HapiTestServer.shared();
    HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hapi.baseUrl()
        + "/SearchParameter?url=" + enc("https://profiles.ihe.net/ITI/PDQm/SearchParameter/PDQm-mothersMaidenName")))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, deleted.statusCode(), deleted.body());
    refreshServerSearchParameters();

    assertEquals(503, search(VIEWER, query).statusCode(), "the server refuses the search now");
    io.vertx.ext.web.client.HttpResponse<Buffer> again = null;
    for (int i = 0; i < 600 && (again == null || again.statusCode() != 200); i++) {
      Thread.sleep(200);
      refreshServerSearchParameters();
      again = search(VIEWER, query);
    }
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(1, persons(again).size(), "defined again, searched again");
  }
}
