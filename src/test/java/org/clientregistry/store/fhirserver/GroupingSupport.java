package org.clientregistry.store.fhirserver;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What tests of grouped transactions and look-ups share: a store on the in-process HAPI server that sends one
 * transaction (and one look-up search) at a time, so that whatever is ready while one is held waits for the next;
 * and the request held inside the server, let go after each test.
 */
abstract class GroupingSupport {
  protected static Vertx vertx;
  protected static FhirServerStore store;
  protected final HapiTestServer hapi = HapiTestServer.shared();
  protected HeldInServer held;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    store = FhirServerStore.open(vertx, HapiTestServer.shared().storeConfig(1), "http://clientregistry.org/cruid");
  }

  @AfterAll
  static void close() {
    store.close().await();
    vertx.close().await();
  }

  @AfterEach
  void letGo() {
    if (held != null) {
      held.close();
    }
  }
}
