package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-06-FHIR on the fhirserver store. */
class FhirServerOhieCr06Test extends OhieCr06Test implements OnFhirServer {}
