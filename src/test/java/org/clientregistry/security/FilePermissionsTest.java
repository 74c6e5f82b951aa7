package org.clientregistry.security;

import static org.clientregistry.Patients.jane;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.clientregistry.LogCapture;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything a first start makes is its user's alone: folders 0700, files 0600, whatever the umask. */
class FilePermissionsTest {
  @TempDir
  Path dir;

  @Test
  void aFirstStartMakesEveryFolderAndFileOwnerOnly() throws Exception {
    try (TestRegistry registry = new TestRegistry(dir.resolve("fresh/nested")).start()) {
      assertEquals(201, registry.post("openmrs", "/fhir/Patient", jane("openmrs", "perm-1")).statusCode());
      Path data = registry.dir.resolve("data");
      // While it runs: the database and its write-ahead log and shared-memory files.
      for (String name : List.of("registry.db", "registry.db-wal", "registry.db-shm")) {
        assertEquals("rw-------", mode(data.resolve(name)), name);
      }
      assertEquals("rwx------", mode(data));
      assertEquals("rwx------", mode(dir.resolve("fresh")), "a parent the registry had to make");
      try (Stream<Path> certificates = Files.walk(registry.certificates())) {
        for (Path p : certificates.toList()) {
          assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), p.toString());
        }
      }
      registry.stop(); // the index snapshot a clean stop writes
      assertEquals("rw-------", mode(data.resolve("matching-index.snapshot")));
    }
  }

  @Test
  void aDatabaseOthersCouldReadIsMadeOwnerOnlyAtStartWithAWarning() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (TestRegistry first = new TestRegistry(dir).start()) {
      first.stop();
    }
    Files.setPosixFilePermissions(data.resolve("registry.db"), PosixFilePermissions.fromString("rw-r--r--"));
    try (LogCapture log = new LogCapture(OwnerOnly.class); TestRegistry again = new TestRegistry(dir).start()) {
      assertEquals("rw-------", mode(data.resolve("registry.db")));
      assertEquals("rwxr-xr-x", mode(data), "the operator's own folder is theirs to change");
      assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("registry.db was readable")),
          log.lines().toString());
      assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("chmod 700")),
          log.lines().toString());
    }
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
