package org.clientregistry.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class SourceRecordJsonTest {
  private static final String CONTENT = "{\"resourceType\":\"Patient\",\"extension\":[{\"url\":\"http://x/ext\","
      + "\"valueString\":\"é ü\"}],\"identifier\":[{\"system\":\"http://clientregistry.org/openmrs\",\"value\":\"OM-1\"}],"
      + "\"name\":[{\"use\":\"official\",\"family\":\"Nakato\",\"given\":[\"Jane\",\"N.\"]}],\"gender\":\"female\","
      + "\"birthDate\":\"1990-04-12\",\"address\":[{\"city\":\"Kampala\"}]}";

  @Test
  void writesWhatTheHapiViewEncodesWithoutAHapiRoundTrip() {
    SourceRecord r = new SourceRecord("src-1", 3, "openmrs", "http://clientregistry.org/openmrs", "OM-1", "gold-9",
        null, CONTENT, "{}", Instant.parse("2026-12-01T10:15:30.123Z"));
    Patient fast = (Patient) Fhir.parse(SourceRecordJson.of(r));
    Patient hapi = PatientViews.source(r);
    assertEquals(hapi.getMeta().getLastUpdated(), fast.getMeta().getLastUpdated());
    // The same instant; HAPI keeps the time zone it was written in, which equalsDeep compares too.
    fast.getMeta().setLastUpdated(null);
    hapi.getMeta().setLastUpdated(null);
    // Same content, element for element, once both went through one encoder.
    assertEquals(Fhir.encode(hapi), Fhir.encode(fast));
    assertEquals("src-1", fast.getIdElement().getIdPart());
    assertEquals("3", fast.getMeta().getVersionId());
    assertEquals("Patient/gold-9", fast.getLinkFirstRep().getOther().getReference());
    assertEquals("é ü", fast.getExtension().get(0).getValue().primitiveValue());
  }

  @Test
  void theRegistrysIdMetaAndLinkReplaceAnyInTheStoredJson() {
    String withOwn = CONTENT.replace("{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"x\","
        + "\"meta\":{\"versionId\":\"77\"},\"link\":[{\"type\":\"seealso\",\"other\":{\"reference\":\"Patient/y\"}}],");
    SourceRecord r = new SourceRecord("src-2", 1, "dhis2", "s", "v", "gold-2", null, withOwn, "{}",
        Instant.parse("2026-01-01T00:00:00Z"));
    Patient fast = (Patient) Fhir.parse(SourceRecordJson.of(r));
    assertEquals("src-2", fast.getIdElement().getIdPart());
    assertEquals("1", fast.getMeta().getVersionId());
    assertEquals(1, fast.getLink().size());
    assertEquals("Patient/gold-2", fast.getLinkFirstRep().getOther().getReference());
  }
}
