package org.clientregistry.console;

/** HTML building blocks: every value that is not ours goes through {@link #esc}. */
final class Html {
  private Html() {}

  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

  static String time(java.time.Instant at) {
    return at == null ? "" : TIME.format(at);
  }

  /** A link to a golden record's page, or nothing. */
  static Raw golden(String id) {
    return raw(id == null ? "" : link("/admin/golden/" + id, id));
  }

  static String num(double d) {
    return String.format(java.util.Locale.ROOT, "%.2f", d);
  }

  /** A form that changes something: POST, with the session's CSRF token. */
  static String form(Visitor s, String action, String inner) {
    return "<form method=\"post\" action=\"" + esc(action) + "\">" + csrf(s) + inner + "</form>";
  }

  static String csrf(Visitor s) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf()) + "\">";
  }

  /** A comment box and a confirmation tick box that must be ticked: each change is asked for twice. */
  static String confirmAndComment(String idPrefix, String what) {
    return "<div class=\"field\"><label for=\"" + idPrefix + "-comment\">Comment</label>"
        + "<input id=\"" + idPrefix + "-comment\" name=\"comment\" type=\"text\" maxlength=\"500\" required></div>"
        + "<label class=\"check\"><input id=\"" + idPrefix + "-confirm\" name=\"confirm\" type=\"checkbox\" "
        + "value=\"yes\" required> Yes, " + esc(what) + "</label>";
  }

  static String table(String caption, String head, String rows) {
    return "<table><caption>" + caption + "</caption><thead><tr>" + head + "</tr></thead><tbody>" + rows
        + "</tbody></table>";
  }

  static String th(String... names) {
    StringBuilder b = new StringBuilder();
    for (String n : names) {
      b.append("<th scope=\"col\">").append(esc(n)).append("</th>");
    }
    return b.toString();
  }

  static String td(Object... values) {
    StringBuilder b = new StringBuilder("<tr>");
    for (Object v : values) {
      b.append("<td>").append(v instanceof Raw r ? r.html() : esc(v)).append("</td>");
    }
    return b.append("</tr>").toString();
  }

  /** Markup we made ourselves, passed through {@link #td} unescaped. */
  record Raw(String html) {}

  static Raw raw(String html) {
    return new Raw(html);
  }

  static String link(String href, String text) {
    return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
  }

  /** The page around a body: navigation by role, the user, sign-out; the title also names the page for readers. */
  static String page(Visitor s, String title, String active, String body) {
    StringBuilder nav = new StringBuilder();
    if (s != null && s.user() != null) {
      nav.append("<nav aria-label=\"Console\"><ul>");
      item(nav, active, "dashboard", "/admin/", "Dashboard");
      item(nav, active, "review", "/admin/review", "Review queue");
      if (s.admin()) {
        item(nav, active, "search", "/admin/search", "Search");
      }
      item(nav, active, "rules", "/admin/rules", "Rules");
      if (s.admin()) {
        item(nav, active, "users", "/admin/users", "Users");
      }
      nav.append("</ul>").append(form(s, "/admin/sign-out", "<span class=\"who\">" + esc(s.user()) + " ("
          + esc(s.role()) + ")</span> <button type=\"submit\" id=\"sign-out\">Sign out</button>")).append("</nav>");
    }
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + esc(title) + " · Client registry console</title>"
        + "<link rel=\"stylesheet\" href=\"/admin/static/console.css\">"
        + "<script src=\"/admin/static/console.js\" defer></script></head><body>"
        + "<a class=\"skip\" href=\"#main\">Skip to content</a>"
        + "<header><span class=\"brand\">Client registry</span>" + nav + "</header>"
        + "<main id=\"main\" tabindex=\"-1\"><h1>" + esc(title) + "</h1>" + body + "</main></body></html>";
  }

  private static void item(StringBuilder nav, String active, String key, String href, String text) {
    nav.append("<li><a href=\"").append(href).append('"')
        .append(key.equals(active) ? " aria-current=\"page\"" : "").append('>').append(text).append("</a></li>");
  }

  /** The notice left by the last change, if any: refusals start with "Not done". */
  static String flash(Visitor v) {
    String message = v.takeFlash();
    return notice(message != null && message.startsWith("Not done") ? "error" : "ok", message);
  }

  static String notice(String kind, String message) {
    return message == null || message.isBlank() ? ""
        : "<p class=\"notice " + kind + "\" role=\"" + (kind.equals("error") ? "alert" : "status") + "\">"
            + esc(message) + "</p>";
  }
}
