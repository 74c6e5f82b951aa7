package org.clientregistry.users;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;

/**
 * {@code user add NAME --role admin|viewer}, {@code user password NAME}, {@code user disable|enable NAME}: manages
 * console accounts in {@code console.usersFile}. The password is typed twice at the terminal (not echoed), or read
 * as one line from standard input when there is none (scripts); there is never a default password. A running
 * registry sees a new account at its next sign-in; the console listener starts once the file exists.
 */
public final class UserCommand {
  private UserCommand() {}

  public static void main(String[] args) throws IOException {
    RegistryConfig config = ConfigLoader.fromEnvironment();
    System.exit(run(new UserFile(config.console().usersFile()), args));
  }

  static int run(UserFile file, String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: user add NAME [--role admin|viewer] | user password NAME | user disable NAME"
          + " | user enable NAME");
      return 2;
    }
    String verb = args[0];
    String name = args[1];
    try {
      switch (verb) {
        case "add" -> {
          String role = args.length >= 4 && args[2].equals("--role") ? args[3] : UserAccount.ADMIN;
          UserAccount u = new UserAccount(UserAccount.checkName(name), UserAccount.checkRole(role),
              new Passwords().hash(password()), false, Instant.now());
          file.add(u);
          System.out.println("Added " + u.name() + " (" + u.role() + ") to " + file.path());
        }
        case "password" -> {
          String hash = new Passwords().hash(password());
          file.update(name, u -> u.withHash(hash));
          System.out.println("Password of " + name + " changed");
        }
        case "disable", "enable" -> {
          file.update(name, u -> u.withDisabled(verb.equals("disable")));
          System.out.println(name + (verb.equals("disable") ? " disabled" : " enabled"));
        }
        default -> {
          System.err.println("unknown user command: " + verb);
          return 2;
        }
      }
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 1;
    }
  }

  private static String password() throws IOException {
    Console console = System.console();
    if (console == null) {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return Passwords.check(line == null ? "" : line);
    }
    char[] first = console.readPassword("Password (at least %d characters): ", Passwords.MIN_LENGTH);
    char[] again = console.readPassword("Again: ");
    if (first == null || again == null || !Arrays.equals(first, again)) {
      throw new IllegalArgumentException("The two passwords differ");
    }
    return Passwords.check(new String(first));
  }
}
