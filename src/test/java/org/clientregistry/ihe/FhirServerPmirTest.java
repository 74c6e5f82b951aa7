package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** PMIR (ITI-93) on the fhirserver store. */
class FhirServerPmirTest extends PmirTest implements OnFhirServer {}
