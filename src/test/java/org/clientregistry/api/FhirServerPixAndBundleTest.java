package org.clientregistry.api;

import org.clientregistry.OnFhirServer;

/** The PIX and transaction-bundle cases on the fhirserver store, against a real HAPI FHIR JPA server. */
class FhirServerPixAndBundleTest extends PixAndBundleTest implements OnFhirServer {}
