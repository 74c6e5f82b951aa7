package org.clientregistry.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which .ci/run installs) driven
 * through Selenium. Waits are conditions with generous limits, never fixed sleeps. The development CA is made
 * per test run, so the browser is told to accept the registry's certificate.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);
  final WebDriver driver;
  final String base;

  Browser(int port) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("The console tests need Debian's chromium and chromium-driver "
          + "(apt-get install -y chromium chromium-driver; .ci/run does it)");
    }
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--ignore-certificate-errors", "--window-size=1366,1000", "--lang=en-GB");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    this.base = "https://localhost:" + port;
  }

  void open(String path) {
    driver.get(base + path);
  }

  WebElement find(String css) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  boolean has(String css) {
    return !driver.findElements(By.cssSelector(css)).isEmpty();
  }

  String text(String css) {
    return find(css).getText();
  }

  void type(String css, String value) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(value);
  }

  /** Sets a field's value at once (a long text typed key by key would only be slower). */
  void setValue(String css, String value) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", find(css), value);
  }

  /** Clicks something that loads a new page, and waits until the old one is gone. */
  void clickAndWait(String css) {
    WebElement target = find(css);
    andWait(target::click);
  }

  /** Runs an action that loads a new page (a key press, a submit), and waits until the old one is gone. */
  void andWait(Runnable action) {
    // A mark on the old page's window: gone once the next page has loaded (a staleness check on an element is
    // answered differently by some Chromium versions while a navigation is under way).
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript("window.crOldPage = true;");
    action.run();
    new WebDriverWait(driver, WAIT).until(d -> {
      try {
        return Boolean.TRUE.equals(js.executeScript(
            "return window.crOldPage === undefined && document.readyState === 'complete';"));
      } catch (WebDriverException e) {
        return false; // the page is being replaced: look again
      }
    });
  }

  String title() {
    return find("h1").getText();
  }

  /** The page as a user sees it, into docs/images for docs/administration.md. */
  void screenshot(String name) {
    // The whole page, not only the window: the window is made as tall as the page for the shot.
    long height = ((Number) ((JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollHeight;")).longValue();
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, (int) Math.min(4000, height + 140)));
    File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 1000));
    try {
      Path target = Path.of("docs/images/console-" + name + ".png");
      Files.createDirectories(target.getParent());
      Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A POST made by the page's own script (same origin, with the session cookie): answers the status. */
  long post(String path, String formBody, boolean withToken) {
    Object status = ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "const token = document.querySelector('input[name=csrf]').value;"
            + "const headers = {'Content-Type': 'application/x-www-form-urlencoded'};"
            + "if (arguments[2]) { headers['X-CSRF-Token'] = token; }"
            + "fetch(arguments[0], {method: 'POST', body: arguments[1], headers: headers, redirect: 'manual'})"
            + ".then(r => done(r.status)).catch(e => done(-1));", path, formBody, withToken);
    return ((Number) status).longValue();
  }

  void signIn(String user, String password) {
    driver.manage().deleteAllCookies(); // whoever was signed in before is not any more
    open("/admin/sign-in");
    type("#username", user);
    type("#password", password);
    clickAndWait("#sign-in");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
