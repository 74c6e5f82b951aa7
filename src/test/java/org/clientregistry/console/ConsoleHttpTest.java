package org.clientregistry.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's listener over plain HTTPS: where it is served, its cookie, headers and refusals. */
class ConsoleHttpTest {
  @TempDir
  static Path dir;
  static TestRegistry registry;
  static WebClient console;

  @BeforeAll
  static void start() {
    int port = TestRegistry.freePort();
    registry = new TestRegistry(dir, ConsoleBrowserTest.usersAndPort(dir, port, Map.of())).start();
    console = WebClient.create(registry.vertx, new WebClientOptions().setSsl(true).setDefaultHost("localhost")
        .setDefaultPort(port).setFollowRedirects(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(registry.certificates().resolve("ca.crt").toString())));
  }

  @AfterAll
  static void stop() {
    console.close();
    registry.close();
  }

  @Test
  void theSessionCookieIsSecureHttpOnlyAndStrictAndPagesAreLockedDown() {
    HttpResponse<Buffer> r = console.get("/admin/sign-in").send().await();
    assertEquals(200, r.statusCode());
    String cookie = r.cookies().stream().filter(c -> c.startsWith("cr_console=")).findFirst().orElseThrow();
    assertTrue(cookie.contains("Secure"), cookie);
    assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(r.getHeader("Content-Security-Policy").contains("script-src 'self'"));
    assertEquals("no-store", r.getHeader("Cache-Control"));
    assertEquals("DENY", r.getHeader("X-Frame-Options"));
  }

  @Test
  void pagesNeedASignInAndChangesNeedTheToken() {
    HttpResponse<Buffer> page = console.get("/admin/review").send().await();
    assertEquals(303, page.statusCode());
    assertEquals("/admin/sign-in", page.getHeader("Location"));
    // A sign-in posted from another site (no token, a foreign Origin) is refused before the password is looked at.
    HttpResponse<Buffer> forged = console.post("/admin/sign-in").putHeader("Origin", "https://elsewhere.example")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("username", "ada")
            .add("password", ConsoleBrowserTest.ADMIN_PASSWORD)).await();
    assertEquals(403, forged.statusCode());
    assertFalse(forged.cookies().stream().anyMatch(c -> c.contains("cr_console=") && c.contains("Max-Age=0")));
  }

  @Test
  void theConsoleIsNotServedOnTheRegistrysOwnPort() {
    HttpResponse<Buffer> r = registry.get("admin", "/admin/");
    assertEquals(404, r.statusCode(), "only on its own listener, never through the API port or OpenHIM's channel");
    assertNotNull(registry.registry());
  }
}
