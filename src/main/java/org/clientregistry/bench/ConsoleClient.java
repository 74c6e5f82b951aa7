package org.clientregistry.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clientregistry.users.Passwords;
import org.clientregistry.users.UserAccount;
import org.clientregistry.users.UserFile;

/**
 * The console as an administrator's browser uses it: signed in (the session cookie kept by a client session), the
 * forms' CSRF token sent with each search. Pages are only fetched, not rendered by a browser: the figures are the
 * server's answer times.
 */
final class ConsoleClient implements AutoCloseable {
  static final String USER = "bench";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private final WebClient client;
  private final WebClientSession web;
  private String csrf;

  ConsoleClient(Vertx vertx, Path certificates, int port) {
    client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setDefaultHost("localhost")
        .setDefaultPort(port).setKeepAlive(true).setFollowRedirects(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(certificates.resolve("ca.crt").toString())));
    web = WebClientSession.create(client);
  }

  /** A users file with one administrator, for the registry under test; the password is the bench's own. */
  static String addUser(Path usersFile) {
    String password = "bench-" + java.util.UUID.randomUUID();
    new UserFile(usersFile).add(new UserAccount(USER, "admin", new Passwords().hash(password), false, Instant.now()));
    return password;
  }

  /** Signs in (the browser's Origin header vouches for the form) and keeps the session's CSRF token. */
  void signIn(int port, String password) {
    HttpResponse<Buffer> r = web.post("/admin/sign-in").putHeader("Origin", "https://localhost:" + port)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("username", USER).add("password", password)).await();
    if (r.statusCode() != 303 || !"/admin/".equals(r.getHeader("Location"))) {
      throw new IllegalStateException("console sign-in: HTTP " + r.statusCode() + " to " + r.getHeader("Location"));
    }
    Matcher m = CSRF.matcher(ok(web.get("/admin/search").send().await()).bodyAsString());
    if (!m.find()) {
      throw new IllegalStateException("console: no CSRF token on the search page");
    }
    csrf = m.group(1);
  }

  /** One review item's page: both records side by side, the item compared again, the waterfall. */
  Future<Integer> reviewItem(String id) {
    return web.get("/admin/review/" + id).send().map(r -> ok(r).body().length());
  }

  /** A search by one identifier (the store's identifier index); the number of golden records found. */
  Future<Integer> searchByIdentifier(String system, String value) {
    return search(MultiMap.caseInsensitiveMultiMap().add("system", system).add("value", value));
  }

  /** A search by given and family name and birth date (scored through the matching index, as $match is). */
  Future<Integer> searchByDemographics(JsonObject patient) {
    JsonArray names = patient.getJsonArray("name", new JsonArray());
    JsonObject name = names.isEmpty() ? new JsonObject() : names.getJsonObject(0);
    JsonArray given = name.getJsonArray("given", new JsonArray());
    return search(MultiMap.caseInsensitiveMultiMap().add("given", given.isEmpty() ? "" : given.getString(0))
        .add("family", name.getString("family", "")).add("birthDate", patient.getString("birthDate", "")));
  }

  private Future<Integer> search(MultiMap form) {
    return web.post("/admin/search").sendForm(form.add("csrf", csrf)).map(r -> {
      Matcher m = Pattern.compile("id=\"results-title\">(\\d+) golden record").matcher(ok(r).bodyAsString());
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    });
  }

  private static HttpResponse<Buffer> ok(HttpResponse<Buffer> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("console: HTTP " + r.statusCode());
    }
    return r;
  }

  @Override
  public void close() {
    client.close();
  }
}
