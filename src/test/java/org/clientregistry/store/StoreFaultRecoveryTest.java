package org.clientregistry.store;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.clientregistry.LogCapture;
import org.clientregistry.TestRegistry;
import org.clientregistry.api.FailureHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory that turns read-only (a real file-system fault, not a stand-in store): writes get 503 and /ready
 * says the store cannot write; once it is writable again, writes and /ready recover by themselves, no restart.
 * As root, file modes do not stop the process, so the files are made immutable (chattr +i) instead.
 */
class StoreFaultRecoveryTest {
  @TempDir
  Path dir;

  @Test
  void writesAndReadinessRecoverAfterTheDataDirectoryWasReadOnly() throws Exception {
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      assertEquals(201, submit(registry, "f-0").statusCode());
      Path data = registry.dir.resolve("data");
      readOnly(data, true);
      try (LogCapture failures = new LogCapture(FailureHandler.class)) {
        for (int i = 1; i <= 20; i++) {
          HttpResponse<Buffer> refused = submit(registry, "f-" + i);
          assertEquals(503, refused.statusCode(), refused.bodyAsString());
        }
        assertEquals(503, registry.get("openmrs", "/ready").statusCode(), "the store cannot write");
        long lines = failures.lines().stream().filter(l -> l.contains("refused")).count();
        assertEquals(0, failures.lines().stream().filter(l -> l.contains("[stack")).count(),
            failures.lines().toString());
        assertTrue(lines < 5, "a burst of refusals is summarised: " + failures.lines());
      } finally {
        readOnly(data, false);
      }
      // Recovered by itself: the next writes succeed (each waits for no timer of the test's own).
      int status = 0;
      for (int i = 0; i < 600 && status != 201; i++) {
        status = submit(registry, "g-" + i).statusCode();
        if (status != 201) {
          Thread.sleep(100);
        }
      }
      assertEquals(201, status, "writes recover once the directory is writable again");
      assertEquals(200, registry.get("openmrs", "/ready").statusCode());
      assertEquals(200, submit(registry, "f-0").statusCode(), "what was stored before is still there");
    }
  }

  private static HttpResponse<Buffer> submit(TestRegistry registry, String id) {
    return registry.post("openmrs", "/fhir/Patient", patient("openmrs", id, "Ruth", "Akello", "female",
        "1979-02-02", null, null));
  }

  /** Read-only for this process: immutable files as root (chattr), no write permission otherwise. */
  private static void readOnly(Path data, boolean on) throws Exception {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> files = Files.list(data)) {
      // Not the -shm file: SQLite maps it into memory, and an immutable flag on a mapped file (a fault no
      // deployment meets: a read-only remount waits for files open for writing) ends the JVM with SIGBUS.
      files.filter(p -> !p.toString().endsWith("-shm")).forEach(paths::add);
    }
    paths.add(data);
    if (isRoot()) {
      for (Path p : paths) {
        Process chattr = new ProcessBuilder("chattr", on ? "+i" : "-i", p.toString()).redirectErrorStream(true).start();
        String out = new String(chattr.getInputStream().readAllBytes());
        int rc = chattr.waitFor();
        if (on) {
          assumeTrue(rc == 0, "chattr is not allowed here: " + out);
        }
      }
    } else {
      for (Path p : paths) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
            Files.isDirectory(p) ? (on ? "r-x------" : "rwx------") : (on ? "r--------" : "rw-------")));
      }
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
