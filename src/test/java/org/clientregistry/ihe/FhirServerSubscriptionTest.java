package org.clientregistry.ihe;

import org.clientregistry.OnFhirServer;

/**
 * Subscriptions (ITI-94) on the fhirserver store: its change feed is the golden records in the server's
 * {@code _lastUpdated} order, the subscriptions Basic resources there (docs/storage.md).
 */
class FhirServerSubscriptionTest extends SubscriptionTest implements OnFhirServer {}
