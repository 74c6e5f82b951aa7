package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import io.vertx.ext.web.RoutingContext;
import org.clientregistry.users.Accounts;

/** Sign-in and sign-out. Refusals read the same for a wrong name, a wrong password and a disabled account. */
final class SignInPages {
  private final Accounts accounts;

  SignInPages(Accounts accounts) {
    this.accounts = accounts;
  }

  void form(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    if (v.signedIn()) {
      Responses.redirect(ctx, "/admin/");
      return;
    }
    String flash = v.takeFlash();
    Responses.html(ctx, 200, page(v, flash != null ? flash
        : ctx.queryParams().contains("bye") ? "You are signed out." : null, ""));
  }

  void submit(RoutingContext ctx) {
    String name = ctx.request().getFormAttribute("username");
    accounts.signIn(name, ctx.request().getFormAttribute("password")).onSuccess(r -> {
      if (r.user() == null) {
        String why = r.refusal() == Accounts.Refusal.LOCKED
            ? "Too many failed attempts: this account is locked for a while. Ask an administrator if it is urgent."
            : "The user name or password is not right.";
        Responses.html(ctx, 401, page(Visitor.of(ctx), why, name));
        return;
      }
      Visitor.signIn(ctx, r.user());
      Responses.redirect(ctx, "/admin/");
    }).onFailure(e -> Responses.error(ctx, e));
  }

  void signOut(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    ctx.session().destroy();
    accounts.signedOut(v.user(), "sign-out").onComplete(x -> {
      Responses.redirect(ctx, "/admin/sign-in?bye");
    });
  }

  private static String page(Visitor v, String message, String name) {
    String body = Html.notice(message != null && message.startsWith("You are") ? "ok" : "error", message)
        + Html.form(v, "/admin/sign-in", "<div class=\"field\"><label for=\"username\">User name</label>"
            + "<input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus value=\""
            + esc(name) + "\"></div><div class=\"field\"><label for=\"password\">Password</label>"
            + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
            + "</div><button type=\"submit\" id=\"sign-in\">Sign in</button>");
    return Html.page(v, "Sign in", "", "<div class=\"narrow\">" + body + "</div>");
  }
}
