package org.clientregistry.users;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/** A person who signs in to the console: a name, a role, an Argon2id hash (never the password), and a switch. */
public record UserAccount(String name, String role, String passwordHash, boolean disabled, Instant created) {
  public static final String ADMIN = "admin";
  public static final String VIEWER = "viewer";
  public static final Set<String> ROLES = Set.of(ADMIN, VIEWER);

  public boolean admin() {
    return ADMIN.equals(role);
  }

  public UserAccount withDisabled(boolean off) {
    return new UserAccount(name, role, passwordHash, off, created);
  }

  public UserAccount withHash(String hash) {
    return new UserAccount(name, role, hash, disabled, created);
  }

  /** Names are compared without case, so that {@code Alice} and {@code alice} are one account. */
  public static String key(String name) {
    return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
  }

  /** Letters, digits and {@code . _ @ -}, 2 to 64 of them: safe in audit lines and forms. */
  public static String checkName(String name) {
    String n = name == null ? "" : name.trim();
    if (!n.matches("[A-Za-z0-9._@-]{2,64}")) {
      throw new IllegalArgumentException("A user name has 2 to 64 letters, digits or . _ @ -");
    }
    return n;
  }

  public static String checkRole(String role) {
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("The role is admin or viewer");
    }
    return role;
  }

  JsonObject toJson() {
    return new JsonObject().put("name", name).put("role", role).put("passwordHash", passwordHash)
        .put("disabled", disabled).put("created", created.toString());
  }

  static UserAccount fromJson(JsonObject o) {
    return new UserAccount(o.getString("name"), o.getString("role"), o.getString("passwordHash"),
        o.getBoolean("disabled", false), Instant.parse(o.getString("created")));
  }
}
