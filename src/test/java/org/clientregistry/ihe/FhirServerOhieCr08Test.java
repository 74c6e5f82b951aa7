package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-08-FHIR on the fhirserver store. */
class FhirServerOhieCr08Test extends OhieCr08Test implements OnFhirServer {}
