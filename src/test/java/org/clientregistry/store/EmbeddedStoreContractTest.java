package org.clientregistry.store;

import java.nio.file.Path;
import org.clientregistry.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the embedded (SQLite) store. */
class EmbeddedStoreContractTest extends PatientStoreContract {
  @TempDir
  static Path dir;
  private static PatientStore store;

  @BeforeAll
  static void open() {
    store = EmbeddedStore.open(vertx, dir, "normal");
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
