package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-05-FHIR on the fhirserver store. */
class FhirServerOhieCr05Test extends OhieCr05Test implements OnFhirServer {}
