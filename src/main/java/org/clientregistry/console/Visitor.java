package org.clientregistry.console;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.security.SecureRandom;
import java.util.Base64;
import org.clientregistry.users.UserAccount;

/** Who is at the console, read from the session: the signed-in user and role (or none), the CSRF token, a notice. */
record Visitor(Session session, String user, String role, String csrf) {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String USER = "user";
  static final String ROLE = "role";
  static final String CSRF = "csrf";
  static final String FLASH = "flash";

  static Visitor of(RoutingContext ctx) {
    Session s = ctx.session();
    String token = s.get(CSRF);
    if (token == null) {
      token = token();
      s.put(CSRF, token);
    }
    return new Visitor(s, s.get(USER), s.get(ROLE), token);
  }

  boolean signedIn() {
    return user != null;
  }

  boolean admin() {
    return UserAccount.ADMIN.equals(role);
  }

  /** A one-time notice shown on the next page (after a redirect). */
  void flash(String message) {
    if (message != null) {
      session.put(FLASH, message);
    }
  }

  String takeFlash() {
    return session.remove(FLASH);
  }

  /** A fresh session id and CSRF token at sign-in, so a token or id seen before cannot be reused after. */
  static void signIn(RoutingContext ctx, UserAccount user) {
    Session s = ctx.session();
    s.regenerateId();
    s.put(USER, user.name());
    s.put(ROLE, user.role());
    s.put(CSRF, token());
  }

  static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
