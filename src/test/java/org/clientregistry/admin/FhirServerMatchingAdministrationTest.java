package org.clientregistry.admin;

import org.clientregistry.OnFhirServer;

/** The administration cases on the fhirserver store, against a real HAPI FHIR JPA server. */
class FhirServerMatchingAdministrationTest extends MatchingAdministrationTest implements OnFhirServer {}
