package org.clientregistry.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class IdentityDomainsTest {
  static final ClientConfig EMR = new ClientConfig("emr", "EMR", List.of("http://x.org/emr"), Set.of(Role.POS));
  static final ClientConfig LAB = new ClientConfig("lab", "Lab", List.of("http://x.org/lab"), Set.of(Role.POS));
  static final IdentityDomain NID = DomainConfig.domain("d", "http://x.org/nid", "1.2.3.4", true, Set.of("*"));
  static final IdentityDomain INS = DomainConfig.domain("d", "http://x.org/ins", "urn:oid:1.2.3.5", false,
      Set.of("emr"));

  static IdentityDomains domains(boolean acceptUnknown) {
    return IdentityDomains.of(List.of(NID, INS), List.of(EMR, LAB), "http://x.org/cruid", acceptUnknown);
  }

  static Patient patient(String... systemValueUse) {
    Patient p = new Patient();
    for (int i = 0; i < systemValueUse.length; i += 3) {
      Identifier id = p.addIdentifier().setSystem(systemValueUse[i]).setValue(systemValueUse[i + 1]);
      if (systemValueUse[i + 2] != null) {
        id.setUse(Identifier.IdentifierUse.fromCode(systemValueUse[i + 2]));
      }
    }
    return p;
  }

  @Test
  void anOidAndItsUrlAreOneDomain() {
    IdentityDomains d = domains(false);
    assertEquals("http://x.org/nid", d.canonical("urn:oid:1.2.3.4"));
    assertEquals("http://x.org/ins", d.canonical("urn:oid:1.2.3.5"));
    assertEquals("urn:oid:9.9", d.canonical("urn:oid:9.9"));
    Patient p = patient("http://x.org/emr", "1", null, "urn:oid:1.2.3.4", "N-1", null);
    assertTrue(d.admit(EMR, p), "rewritten");
    assertEquals("http://x.org/nid", p.getIdentifier().get(1).getSystem());
    assertFalse(d.admit(EMR, patient("http://x.org/emr", "1", null)));
  }

  @Test
  void assignersClaimsAndTheOfficialRule() {
    IdentityDomains d = domains(false);
    assertTrue(d.authoritative("emr", "http://x.org/emr"));
    assertFalse(d.authoritative("lab", "http://x.org/emr"), "another client's internal ids are claims");
    assertTrue(d.authoritative("lab", "http://x.org/nid"), "an open domain");
    assertFalse(d.authoritative("lab", "urn:oid:1.2.3.5"));
    d.admit(LAB, patient("http://x.org/lab", "1", null, "http://x.org/ins", "I-1", "usual"));
    FhirException e = assertThrows(FhirException.class,
        () -> d.admit(LAB, patient("http://x.org/lab", "1", null, "http://x.org/ins", "I-1", "official")));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("http://x.org/ins"));
    d.admit(EMR, patient("http://x.org/emr", "1", null, "http://x.org/ins", "I-1", "official"));
  }

  @Test
  void unknownDomainsAreRefusedOrAcceptedPerSetting() {
    FhirException e = assertThrows(FhirException.class,
        () -> domains(false).admit(EMR, patient("http://x.org/emr", "1", null, "http://x.org/what", "?", null)));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("http://x.org/what"));
    domains(true).admit(EMR, patient("http://x.org/emr", "1", null, "http://x.org/what", "?", null));
    assertTrue(domains(true).authoritative("lab", "http://x.org/what"));
  }

  @Test
  void anIdentifierWithoutSystemIsRefused() {
    Patient p = new Patient();
    p.addIdentifier().setValue("12345");
    assertEquals(400, assertThrows(FhirException.class, () -> domains(true).admit(EMR, p)).status());
  }

  @Test
  void badDeclarationsStopTheStart() {
    assertThrows(ConfigException.class, () -> DomainConfig.domain("d", "not a url", "", false, Set.of()));
    assertThrows(ConfigException.class, () -> DomainConfig.domain("d", "http://x.org/a", "1.2.x", false, Set.of()));
    IdentityDomain sameOid = DomainConfig.domain("d", "http://x.org/other", "1.2.3.4", false, Set.of());
    assertThrows(ConfigException.class, () -> IdentityDomains.of(List.of(NID, sameOid), List.of(), null, false));
    assertThrows(ConfigException.class, () -> IdentityDomains.of(List.of(NID, NID), List.of(), null, false));
  }
}
