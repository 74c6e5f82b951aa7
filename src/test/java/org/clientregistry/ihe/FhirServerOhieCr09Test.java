package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-09-FHIR on the fhirserver store. */
class FhirServerOhieCr09Test extends OhieCr09Test implements OnFhirServer {}
