package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** ITI-104 conditional update on the fhirserver store. */
class FhirServerIti104Test extends Iti104Test implements OnFhirServer {}
