package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** OHIE-CR-03-FHIR on the fhirserver store. */
class FhirServerOhieCr03Test extends OhieCr03Test implements OnFhirServer {}
