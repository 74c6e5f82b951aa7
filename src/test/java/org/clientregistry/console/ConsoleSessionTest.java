package org.clientregistry.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An idle session ends: with a 5-second idle timeout, a page loaded after a pause asks for a sign-in again. */
class ConsoleSessionTest {
  @TempDir
  Path dir;

  @Test
  void anIdleSessionExpires() {
    int port = TestRegistry.freePort();
    try (TestRegistry registry = new TestRegistry(dir, ConsoleBrowserTest.usersAndPort(dir, port,
        Map.of("CR_CONSOLE_IDLE_SECONDS", "5"))).start();
         Browser browser = new Browser(port)) {
      browser.signIn("ada", ConsoleBrowserTest.ADMIN_PASSWORD);
      assertEquals("Dashboard", browser.title());
      // No timing assumption: wait as long as it takes (each look waits longer than the idle timeout first, since
      // a look itself keeps a live session alive).
      new WebDriverWait(browser.driver, Duration.ofSeconds(180), Duration.ofSeconds(8)).until(d -> {
        browser.open("/admin/");
        return browser.title().equals("Sign in");
      });
      assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/sign-in"));
    }
  }
}
