package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-02-FHIR on the fhirserver store. */
class FhirServerOhieCr02Test extends OhieCr02Test implements OnFhirServer {}
