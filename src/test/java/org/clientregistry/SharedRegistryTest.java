package org.clientregistry;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Base of test classes whose tests share one running registry (each test uses its own identifiers). */
public abstract class SharedRegistryTest {
  @TempDir
  protected static Path dir;
  protected static TestRegistry registry;

  @BeforeAll
  static void startRegistry(TestInfo test) {
    registry = new TestRegistry(dir, OnFhirServer.env(test.getTestClass().orElseThrow())).start();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }
}
