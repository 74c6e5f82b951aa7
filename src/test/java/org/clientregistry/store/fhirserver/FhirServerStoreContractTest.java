package org.clientregistry.store.fhirserver;

import org.clientregistry.store.PatientStore;
import org.clientregistry.store.PatientStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on the FHIR-server store, against a real HAPI FHIR JPA server. */
class FhirServerStoreContractTest extends PatientStoreContract {
  private static PatientStore store;

  @BeforeAll
  static void open() {
    store = FhirServerStore.open(vertx, HapiTestServer.shared().storeConfig(), "http://clientregistry.org/cruid");
  }

  @AfterAll
  static void close() {
    store.close().await();
  }

  @Override
  protected PatientStore store() {
    return store;
  }
}
