package org.clientregistry.users;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id hashing (OWASP's recommended parameters: 19 MiB, 2 passes, 1 lane). Each call takes tens of
 * milliseconds of CPU on purpose: call it on a worker thread, never on an event loop.
 */
public final class Passwords {
  public static final int MIN_LENGTH = 12;
  private static final int MAX_LENGTH = 256;
  private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19_456, 2);
  /** Checked against when the user does not exist, so an unknown name costs the same time as a wrong password. */
  private final String decoy = encoder.encode("decoy password that nobody has");

  public String hash(String password) {
    return encoder.encode(check(password));
  }

  public boolean matches(String password, String hash) {
    if (password == null || password.isEmpty() || password.length() > MAX_LENGTH) {
      return false;
    }
    return encoder.matches(password, hash == null ? decoy : hash);
  }

  /** Long enough to resist guessing; no composition rules (NIST 800-63B), with an upper bound against slow hashing. */
  public static String check(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("A password has at least " + MIN_LENGTH + " characters");
    }
    if (password.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("A password has at most " + MAX_LENGTH + " characters");
    }
    return password;
  }
}
