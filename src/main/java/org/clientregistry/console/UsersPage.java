package org.clientregistry.console;

import static org.clientregistry.console.Html.esc;

import io.vertx.ext.web.RoutingContext;
import org.clientregistry.users.Passwords;
import org.clientregistry.users.UserAccount;

/** Accounts (administrators only): add, disable or enable, set a new password. */
final class UsersPage {
  private final ConsoleServices services;

  UsersPage(ConsoleServices services) {
    this.services = services;
  }

  void show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Responses.page(ctx, services.accounts().list().map(users -> {
      StringBuilder rows = new StringBuilder();
      for (UserAccount u : users) {
        rows.append(Html.td(u.name(), u.role(), u.disabled() ? "disabled" : "active", Html.time(u.created()),
            Html.raw(v.user().equalsIgnoreCase(u.name()) ? "(you)" : toggle(v, u) + reset(v, u))));
      }
      return Html.page(v, "Users", "users", Html.flash(v) + Html.table("Console accounts",
          Html.th("Name", "Role", "State", "Added", "Actions"), rows.toString()) + add(v));
    }));
  }

  void add(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    var f = ctx.request().formAttributes();
    Responses.afterChange(ctx, services.accounts().add(v.user(), f.get("name"), f.get("role"), f.get("password")),
        "/admin/users", "Added " + f.get("name") + ".", "/admin/users");
  }

  void setDisabled(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String name = ctx.request().getFormAttribute("name");
    boolean off = "disable".equals(ctx.request().getFormAttribute("action"));
    Responses.afterChange(ctx, services.accounts().setDisabled(v.user(), name, off), "/admin/users",
        name + (off ? " is disabled." : " is enabled again."), "/admin/users");
  }

  void resetPassword(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String name = ctx.request().getFormAttribute("name");
    Responses.afterChange(ctx, services.accounts().resetPassword(v.user(), name,
        ctx.request().getFormAttribute("password")), "/admin/users", "New password set for " + name + ".",
        "/admin/users");
  }

  private static String toggle(Visitor v, UserAccount u) {
    String action = u.disabled() ? "enable" : "disable";
    return Html.form(v, "/admin/users/state", "<input type=\"hidden\" name=\"name\" value=\"" + esc(u.name())
        + "\"><input type=\"hidden\" name=\"action\" value=\"" + action + "\"><button type=\"submit\" id=\"" + action
        + "-" + esc(u.name()) + "\">" + (u.disabled() ? "Enable" : "Disable") + "</button>");
  }

  private static String reset(Visitor v, UserAccount u) {
    String id = "pw-" + esc(u.name());
    return Html.form(v, "/admin/users/password", "<input type=\"hidden\" name=\"name\" value=\"" + esc(u.name())
        + "\"><label for=\"" + id + "\">New password for " + esc(u.name()) + "</label><input id=\"" + id
        + "\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"" + Passwords.MIN_LENGTH
        + "\" required><button type=\"submit\">Set password</button>");
  }

  private static String add(Visitor v) {
    return "<section aria-labelledby=\"add\"><h2 id=\"add\">Add a user</h2>" + Html.form(v, "/admin/users/add",
        "<div class=\"field\"><label for=\"u-name\">User name</label><input id=\"u-name\" name=\"name\" required "
            + "pattern=\"[A-Za-z0-9._@\\-]{2,64}\" autocomplete=\"off\"></div><div class=\"field\"><label for=\"u-role\">"
            + "Role</label><select id=\"u-role\" name=\"role\"><option value=\"viewer\">viewer (reads)</option>"
            + "<option value=\"admin\">admin (decides, manages links and users)</option></select></div>"
            + "<div class=\"field\"><label for=\"u-password\">Password (at least " + Passwords.MIN_LENGTH
            + " characters)</label><input id=\"u-password\" name=\"password\" type=\"password\" "
            + "autocomplete=\"new-password\" minlength=\"" + Passwords.MIN_LENGTH + "\" required></div>"
            + "<button type=\"submit\" id=\"add-user\">Add</button>") + "</section>";
  }
}
