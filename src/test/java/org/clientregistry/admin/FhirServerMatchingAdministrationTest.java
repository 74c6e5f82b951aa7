package org.clientregistry.admin;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.clientregistry.OnFhirServer;
import org.clientregistry.store.fhirserver.HapiTestServer;
import org.junit.jupiter.api.Test;

/** The administration cases on the fhirserver store, against a real HAPI FHIR JPA server. */
class FhirServerMatchingAdministrationTest extends MatchingAdministrationTest implements OnFhirServer {

  /**
   * A golden record's links are its members only, though a golden record merged into it links to it as well; the
   * search leaves that one out without {@code _tag:not} (a NOT IN over every golden record on the server).
   */
  @Test
  void theLinksOfASurvivorAreItsMembersAndTheirSearchNamesNoTagToLeaveOut() {
    HttpResponse<Buffer> x = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "sv-x", "Peter",
        "Ochieng", "male", "1961-03-03", "0772 610 001", null));
    HttpResponse<Buffer> y = registry.post("lims", "/fhir/Patient", patient("lims", "sv-y", "Petre", "Ocheng",
        "male", "1962-03-04", "0701 610 002", null));
    HttpResponse<Buffer> merged = registry.post("admin", "/links/merge", new JsonObject()
        .put("from", "Patient/" + golden(x)).put("into", "Patient/" + golden(y)).put("comment", "same man"));
    assertEquals(200, merged.statusCode(), merged.bodyAsString());

    List<JsonArray> answers = new ArrayList<>();
    List<Map<String, String[]>> searches = HapiTestServer.shared().searchesDuring(() -> answers.add(links(golden(y))));
    Set<String> sources = answers.get(0).stream().map(JsonObject.class::cast).map(l -> l.getString("source"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("Patient/" + id(x), "Patient/" + id(y)), sources, "the members, not the merged golden");
    List<Map<String, String[]>> byLink = searches.stream().filter(q -> q.containsKey("link")).toList();
    assertEquals(1, byLink.size(), "one search by link");
    assertTrue(byLink.get(0).get("link")[0].endsWith(golden(y)));
    assertFalse(byLink.get(0).containsKey("_tag:not"), "no golden records left out by _tag");
  }
}
