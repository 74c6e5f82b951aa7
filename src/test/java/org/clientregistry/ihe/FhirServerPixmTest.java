package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/** The PIXm identity-domain cases on the fhirserver store. */
class FhirServerPixmTest extends PixmTest implements OnFhirServer {}
