package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-01-FHIR on the fhirserver store. */
class FhirServerOhieCr01Test extends OhieCr01Test implements OnFhirServer {}
