package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** PDQm on the fhirserver store (the FHIR server's own Patient search). */
class FhirServerPdqmTest extends PdqmTest implements OnFhirServer {}
