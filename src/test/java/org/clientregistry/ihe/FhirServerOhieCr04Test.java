package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-04-FHIR on the fhirserver store. */
class FhirServerOhieCr04Test extends OhieCr04Test implements OnFhirServer {}
