package org.clientregistry.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts on disk, Argon2id hashes, lock-out, and the {@code user} command. */
class UsersTest {
  @TempDir
  Path dir;

  @Test
  void passwordsAreArgon2idHashesThatOnlyTheRightPasswordMatches() {
    Passwords p = new Passwords();
    String hash = p.hash("a long enough password");
    assertTrue(hash.startsWith("$argon2id$"), hash);
    assertFalse(hash.contains("a long enough password"));
    assertNotEquals(hash, p.hash("a long enough password"), "salted");
    assertTrue(p.matches("a long enough password", hash));
    assertFalse(p.matches("a long enough passwore", hash));
    assertFalse(p.matches("anything", null), "an unknown user matches nothing (checked against a decoy)");
    assertThrows(IllegalArgumentException.class, () -> p.hash("too short"));
  }

  @Test
  void aNameIsLockedAfterRepeatedFailuresUntilTheLockRunsOut() {
    MutableClock clock = new MutableClock();
    LockOut lock = new LockOut(3, Duration.ofMinutes(15), clock);
    assertFalse(lock.failed("Ada"));
    assertFalse(lock.failed("ada"));
    assertTrue(lock.failed("ADA"), "the third failure in a row locks; names are compared without case");
    assertTrue(lock.locked("ada"));
    clock.now = clock.now.plus(Duration.ofMinutes(16));
    assertFalse(lock.locked("ada"));
    assertFalse(lock.failed("ada"), "counting starts again after a lock ran out");
    lock.succeeded("ada");
    assertFalse(lock.failed("ada"));
    assertFalse(lock.failed("ada"));
    assertTrue(lock.failed("ada"));
  }

  @Test
  void theFileKeepsAccountsPrivateAndRefusesADuplicate() throws Exception {
    UserFile file = new UserFile(dir.resolve("sub/users.json"));
    assertFalse(file.exists());
    file.add(new UserAccount("ada", "admin", "h1", false, Instant.now()));
    assertThrows(IllegalArgumentException.class,
        () -> file.add(new UserAccount("ADA", "viewer", "h2", false, Instant.now())));
    file.update("Ada", u -> u.withDisabled(true));
    assertTrue(file.find("ada").orElseThrow().disabled());
    assertThrows(IllegalArgumentException.class, () -> file.update("nobody", u -> u));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
  }

  @Test
  void theUserCommandAddsAnAccountWithThePasswordFromStandardInput() throws Exception {
    UserFile file = new UserFile(dir.resolve("users.json"));
    assertEquals(0, withInput("the first admin's password\n", () -> UserCommand.run(file,
        new String[] {"add", "root-admin", "--role", "admin"})));
    UserAccount u = file.find("root-admin").orElseThrow();
    assertEquals("admin", u.role());
    assertTrue(new Passwords().matches("the first admin's password", u.passwordHash()));
    assertEquals(1, withInput("short\n", () -> UserCommand.run(file, new String[] {"add", "other"})),
        "no account without a good password");
    assertEquals(1, withInput("", () -> UserCommand.run(file, new String[] {"add", "nopassword"})),
        "never a default password");
    assertTrue(file.find("other").isEmpty());
    assertEquals(0, withInput("", () -> UserCommand.run(file, new String[] {"disable", "root-admin"})));
    assertTrue(file.find("root-admin").orElseThrow().disabled());
  }

  interface Run {
    int run() throws Exception;
  }

  private static int withInput(String input, Run run) throws Exception {
    InputStream before = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return run.run();
    } finally {
      System.setIn(before);
    }
  }

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
