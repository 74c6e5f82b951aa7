package org.clientregistry.console;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.clientregistry.users.Accounts;
import org.clientregistry.users.UserAccount;

/** What every console request passes: headers that lock the page down, sign-in, the CSRF token, the role. */
final class Guard {
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
      + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Accounts accounts;

  Guard(Accounts accounts) {
    this.accounts = accounts;
  }

  static void headers(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY").putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Strict-Transport-Security", "max-age=31536000")
        .putHeader("Cache-Control", "no-store"); // pages hold personal data: never kept by the browser
    ctx.next();
  }

  /** Signed in with an account that is still enabled; otherwise to the sign-in page. */
  void signedIn(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    UserAccount account = v.signedIn() ? accounts.current(v.user()).orElse(null) : null;
    if (account == null || account.disabled()) {
      if (v.signedIn()) {
        ctx.session().destroy();
      }
      Visitor.of(ctx).flash(ctx.request().method() == HttpMethod.POST ? "Your session ended; nothing was changed."
          + " Sign in again." : null);
      Responses.redirect(ctx, "/admin/sign-in");
      return;
    }
    ctx.session().put(Visitor.ROLE, account.role()); // a role changed meanwhile counts at once
    ctx.next();
  }

  /** Every POST carries the session's token (form field {@code csrf} or header {@code X-CSRF-Token}). */
  static void csrf(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.POST) {
      ctx.next();
      return;
    }
    String sent = ctx.request().getFormAttribute("csrf");
    if (sent == null) {
      sent = ctx.request().getHeader("X-CSRF-Token");
    }
    String expected = ctx.session().get(Visitor.CSRF);
    if (sent == null || expected == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8))) {
      Responses.html(ctx, 403, Html.page(Visitor.of(ctx), "Not allowed", "", Html.notice("error",
          "This request did not carry the form's security token, so it was refused. Reload the page and try again.")));
      return;
    }
    ctx.next();
  }

  /**
   * The sign-in form: its token, or else the browser's own word that the form is ours (an {@code Origin} header
   * naming this console). The token alone would refuse a sign-in whose form outlived its anonymous session.
   */
  static void signInCsrf(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    String host = ctx.request().getHeader("Host");
    if (origin != null && host != null && origin.equals("https://" + host)) {
      ctx.next();
      return;
    }
    csrf(ctx);
  }

  static void admin(RoutingContext ctx) {
    if (!Visitor.of(ctx).admin()) {
      Responses.html(ctx, 403, Html.page(Visitor.of(ctx), "Not allowed", "", Html.notice("error",
          "Only administrators can do this; your role is viewer.")));
      return;
    }
    ctx.next();
  }
}
