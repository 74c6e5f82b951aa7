package org.clientregistry.api;

import org.clientregistry.OnFhirServer;

/** The $match cases on the fhirserver store, against a real HAPI FHIR JPA server. */
class FhirServerMatchOperationTest extends MatchOperationTest implements OnFhirServer {}
