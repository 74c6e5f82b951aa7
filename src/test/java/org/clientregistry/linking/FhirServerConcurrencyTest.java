package org.clientregistry.linking;

import org.clientregistry.OnFhirServer;

/** The concurrency cases (50 parallel variants of one person → one golden record, one source record per identifier) on the fhirserver store, against a real HAPI FHIR JPA server. */
class FhirServerConcurrencyTest extends ConcurrencyTest implements OnFhirServer {}
