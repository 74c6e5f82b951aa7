package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The replica codes a registry writes on its Patients and leaves out of its look (RegistryResources). */
class ReplicaCodesTest {
  private final RegistryResources mine = new RegistryResources("urn:cruid");
  private final RegistryResources other = new RegistryResources("urn:cruid");

  @Test
  void theLookNamesTheSpansFromItsStartToItsEndAndNoMoreThanTheNewest32() {
    Instant t = Instant.parse("2026-12-05T07:00:05Z");
    List<String> codes = mine.replicaCodes(t.minusSeconds(20), t.plusSeconds(10));
    assertEquals(4, codes.size(), codes.toString()); // 06:59:45.. 07:00:15: spans :40, :50, :00, :10
    assertTrue(codes.contains(mine.replicaCode(t)));
    assertTrue(codes.contains(mine.replicaCode(t.minusSeconds(20))));
    assertTrue(codes.contains(mine.replicaCode(t.plusSeconds(10))));
    assertFalse(codes.contains(mine.replicaCode(t.minusSeconds(30))));

    List<String> hour = mine.replicaCodes(t.minusSeconds(3600), t);
    assertEquals(RegistryResources.MAX_REPLICA_CODES, hour.size());
    assertEquals(mine.replicaCode(t), hour.get(hour.size() - 1), "the newest spans are kept");
  }

  @Test
  void aPatientIsThisReplicasOwnWriteWhateverTheSpanOfItsCode() {
    Patient old = new Patient();
    old.getMeta().addTag(RegistryResources.REPLICA_TAG, mine.replicaCode(Instant.now().minusSeconds(86_400)), null);
    assertTrue(mine.ownWrite(old));
    assertFalse(other.ownWrite(old));
    assertFalse(mine.ownWrite(new Patient()));
  }
}
