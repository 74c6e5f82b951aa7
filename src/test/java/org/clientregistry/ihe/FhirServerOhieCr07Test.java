package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-07-FHIR on the fhirserver store. */
class FhirServerOhieCr07Test extends OhieCr07Test implements OnFhirServer {}
