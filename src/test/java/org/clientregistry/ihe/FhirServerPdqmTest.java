package org.clientregistry.ihe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.clientregistry.OnFhirServer;
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
}
