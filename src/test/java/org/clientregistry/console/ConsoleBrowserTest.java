package org.clientregistry.console;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.clientregistry.users.Passwords;
import org.clientregistry.users.UserAccount;
import org.clientregistry.users.UserFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.interactions.Actions;

/**
 * The console in a real headless Chromium against a real registry: sign-in, the review queue worked through with
 * the keyboard and the buttons, break and merge on the golden record page, history, search, rules, users,
 * sign-out; a viewer cannot decide, a POST without the CSRF token is refused, a locked account stays locked.
 * Each page is photographed into docs/images for docs/administration.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final String ADMIN_PASSWORD = "correct horse battery staple";
  static final String VIEWER_PASSWORD = "viewer password of some length";
  @TempDir
  static Path dir;
  static TestRegistry registry;
  static int port;
  static Browser browser;

  @BeforeAll
  static void start() {
    port = TestRegistry.freePort();
    registry = new TestRegistry(dir, usersAndPort(dir, port, Map.of("CR_CONSOLE_MAX_FAILURES", "3"))).start();
    browser = new Browser(port);
  }

  /** A users file with an administrator and a viewer, and the console's env for a test registry. */
  static Map<String, String> usersAndPort(Path dir, int port, Map<String, String> more) {
    UserFile users = new UserFile(dir.resolve("console-users.json"));
    Passwords passwords = new Passwords();
    users.add(new UserAccount("ada", "admin", passwords.hash(ADMIN_PASSWORD), false, Instant.now()));
    users.add(new UserAccount("victor", "viewer", passwords.hash(VIEWER_PASSWORD), false, Instant.now()));
    users.add(new UserAccount("lou", "admin", passwords.hash(ADMIN_PASSWORD), false, Instant.now()));
    Map<String, String> env = new java.util.HashMap<>(Map.of("CR_CONSOLE_PORT", Integer.toString(port),
        "CR_CONSOLE_USERS_FILE", users.path().toString()));
    env.putAll(more);
    return env;
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    registry.close();
  }

  static String golden(HttpResponse<Buffer> r) {
    return r.getHeader("LocationCRUID").substring("Patient/".length());
  }

  static String id(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getString("id");
  }

  /** Two records the shipped rules find uncertain (same name and birth date, other sex and phones): a review item. */
  static String[] uncertainPair(String tag, String given, String family, String birthDate) {
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", tag + "-a", given, family,
        "female", birthDate, "0772 101 070", null));
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", tag + "-b", given,
        family, "male", birthDate, "0700 999 111", null));
    assertNotEquals(golden(a), golden(b), "uncertain: not linked");
    return new String[] {id(a), golden(a), id(b), golden(b)};
  }

  static String goldenOf(String sourceId) {
    return registry.get("admin", "/links?sourceId=Patient/" + sourceId).bodyAsJsonObject().getJsonArray("links")
        .getJsonObject(0).getString("golden").substring("Patient/".length());
  }

  @Test
  @Order(1)
  void anAdministratorSignsInAndWorksThroughTheReviewQueue() {
    List<String[]> pairs = new ArrayList<>();
    pairs.add(uncertainPair("q1", "Grace", "Akello", "1985-02-11"));
    pairs.add(uncertainPair("q2", "Ruth", "Namutebi", "1979-07-30"));
    pairs.add(uncertainPair("q3", "Esther", "Nabirye", "1992-12-05"));

    browser.open("/admin/");
    assertEquals("Sign in", browser.title(), "not signed in: the sign-in page");
    browser.screenshot("sign-in");
    browser.signIn("ada", "not the password at all");
    assertTrue(browser.text(".notice.error").contains("not right"));
    browser.signIn("ada", ADMIN_PASSWORD);
    assertEquals("Dashboard", browser.title());
    assertEquals("3", browser.find(".tile:nth-child(3) dd").getText(), "three open review items");

    browser.clickAndWait("nav a[href='/admin/review']");
    assertTrue(browser.text("#queue-count").startsWith("3 items"));
    browser.screenshot("review-queue");
    browser.clickAndWait("tbody tr:first-child a");
    assertEquals("Review item", browser.title());
    assertTrue(browser.has("tr.differ"), "the phones differ and are marked");
    assertTrue(browser.has("svg.waterfall rect.total"), "the waterfall of weights");
    assertTrue(browser.text("#fields + table, section[aria-labelledby=fields]").contains("phone"));
    browser.screenshot("review-item");

    // The keyboard: m decides "match" and the next item opens.
    browser.andWait(() -> new Actions(browser.driver).sendKeys("m").perform());
    assertTrue(browser.text(".notice").contains("Decision saved: match"));
    assertEquals("Review item", browser.title());
    browser.type("#decision-comment", "different mothers' names on the paper files");
    browser.clickAndWait("#decide-no-match");
    assertTrue(browser.text(".notice").contains("not a match"));
    browser.andWait(() -> new Actions(browser.driver).sendKeys("g").perform());
    assertTrue(browser.text(".notice").contains("new golden record"));
    assertEquals("Review queue", browser.title(), "nothing left: back to the queue");
    assertTrue(browser.text("#queue-count").startsWith("0 items"));

    // The first pair (oldest first) is now one person; the others stay apart.
    assertEquals(goldenOf(pairs.get(0)[0]), goldenOf(pairs.get(0)[2]));
    assertNotEquals(goldenOf(pairs.get(1)[0]), goldenOf(pairs.get(1)[2]));
    assertNotEquals(goldenOf(pairs.get(2)[0]), goldenOf(pairs.get(2)[2]));

    // The dashboard counts what the store recorded today: six new records, three items raised and decided.
    browser.open("/admin/");
    Map<String, String> today = tiles("#today-tiles");
    assertEquals("6", today.get("New golden records"), today.toString());
    assertEquals("0", today.get("Linked by a match"), today.toString());
    assertEquals("3", today.get("Review items raised"), today.toString());
    assertEquals("3", today.get("Review decisions"), today.toString());
    assertEquals("3", today.get("Links made by hand"), "each decision fixes a record's link by hand: " + today);
    Map<String, String> health = tiles("#health-tiles");
    assertEquals("ready, 6 records", health.get("Matching index"), health.toString());
    assertEquals("answering", health.get("Store"));
    assertEquals("working", health.get("Store writes"));
    // The figures under the chart (a closed <details>: read as text content): today is the last row.
    List<String> todayRow = browser.driver.findElements(org.openqa.selenium.By.cssSelector(
        "section[aria-labelledby=decisions] tbody tr:last-child td")).stream()
        .map(td -> td.getAttribute("textContent")).toList();
    assertEquals(List.of(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), "1", "1", "1"), todayRow,
        "one decision of each kind today");
    assertEquals(3, browser.driver.findElements(org.openqa.selenium.By.cssSelector("svg.chart rect")).size());
    browser.screenshot("dashboard");
  }

  /** A tile list's values by label. */
  static Map<String, String> tiles(String list) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    browser.driver.findElements(org.openqa.selenium.By.cssSelector(list + " .tile")).forEach(t -> out.put(
        t.findElement(org.openqa.selenium.By.tagName("dt")).getText(),
        t.findElement(org.openqa.selenium.By.tagName("dd")).getText()));
    return out;
  }

  @Test
  @Order(2)
  void breakAndMergeOnTheGoldenRecordPageWithItsHistory() {
    // Same person twice (same phone): linked automatically.
    HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "bm-a", "Moses",
        "Okello", "male", "1968-03-14", "0772 555 123", null));
    HttpResponse<Buffer> b = registry.post("dhis2", "/fhir/Patient", patient("dhis2", "bm-b", "Moses", "Okello",
        "male", "1968-03-14", "0772 555 123", null));
    String g = golden(a);
    assertEquals(g, golden(b));
    // Someone else entirely, whom an administrator knows to be the same person.
    HttpResponse<Buffer> c = registry.post("lims", "/fhir/Patient", patient("lims", "bm-c", "Mo", "Okelo",
        "male", "1968-04-13", "0700 000 001", null));
    String other = golden(c);
    assertNotEquals(g, other);

    browser.open("/admin/golden/" + g);
    assertEquals("Golden record", browser.title());
    assertTrue(browser.text("#members").contains("(2)"));
    String member = id(b);
    browser.type("#break-" + member + "-comment", "twins, confirmed at the clinic");
    // Without the confirmation the browser does not send the form; with it, the record is broken off.
    browser.find("#break-" + member + "-confirm").click();
    browser.clickAndWait("button[id='break-" + member + "']");
    assertTrue(browser.text(".notice").contains("broken off"), browser.driver.getPageSource());
    assertTrue(browser.text("#members").contains("(1)"));
    assertNotEquals(g, goldenOf(member));

    browser.open("/admin/golden/" + other);
    browser.type("#merge-into", g);
    browser.type("#merge-comment", "same man, birth date mistyped at the lab");
    browser.find("#merge-confirm").click();
    browser.clickAndWait("#merge");
    assertTrue(browser.text(".notice").contains("Merged"));
    assertTrue(browser.text("#golden-id").contains(g), "the surviving golden record's page");
    assertTrue(browser.text("#members").contains("(2)"));
    assertEquals(g, goldenOf(id(c)));
    String history = browser.text("#history + table, section[aria-labelledby=history]");
    assertTrue(history.contains("console:ada"), history);
    assertTrue(history.contains("twins, confirmed at the clinic"), history);
    assertTrue(history.contains("same man, birth date mistyped at the lab"), history);
    browser.screenshot("golden-record");
  }

  @Test
  @Order(3)
  void searchRulesAndUsers() {
    registry.post("openmrs", "/fhir/Patient", patient("openmrs", "s-1", "Harriet", "Atim", "female", "2001-06-01",
        "0772 999 888", "CM0000111"));
    browser.open("/admin/search");
    browser.type("#s-system", "http://clientregistry.org/openmrs");
    browser.type("#s-value", "s-1");
    browser.clickAndWait("#search");
    assertTrue(browser.text("#results").contains("1 golden record"));
    assertTrue(browser.text("#results").contains("Harriet Atim"));
    assertFalse(browser.driver.getCurrentUrl().contains("s-1"), "nothing searched for in the URL");
    browser.type("#s-value", "");
    browser.type("#s-system", "");
    browser.type("#s-given", "Harriet");
    browser.type("#s-family", "Atim");
    browser.type("#s-birth", "2001-06-01");
    browser.clickAndWait("#search");
    assertTrue(browser.text("#results").contains("Harriet Atim"));
    browser.screenshot("search");

    browser.open("/admin/rules");
    assertTrue(browser.text("main").contains("demographics"));
    browser.clickAndWait("#dry-run");
    assertTrue(browser.text("#dry-run-report").contains("under the rules in force"));
    // An edited set, dry-run before anything is applied: a pair the rules in force only send to review.
    uncertainPair("dry", "Agnes", "Nakku", "1988-08-08");
    String rules = browser.find("#rules-text").getAttribute("value");
    browser.setValue("#rules-text", "{\"rules\": [");
    browser.clickAndWait("#dry-run");
    assertTrue(browser.text(".notice.error").contains("Not run"), "a broken text is refused, nothing run");
    String edited = rules.replace("\"potentialMatchThreshold\": 3", "\"potentialMatchThreshold\": 2.5")
        .replace("\"autoMatchThreshold\": 3.5", "\"autoMatchThreshold\": 3");
    assertNotEquals(rules, edited);
    browser.setValue("#rules-text", edited);
    browser.clickAndWait("#dry-run");
    assertTrue(browser.text("#dry-run-report").contains("under the edited rules"));
    assertEquals("3.50", browser.find("main section p").getText().replaceAll(".*automatic match from ", ""),
        "the rules in force are unchanged");
    browser.screenshot("rules");

    browser.open("/admin/users");
    browser.type("#u-name", "vera");
    browser.type("#u-password", "a long enough password");
    browser.clickAndWait("#add-user");
    assertTrue(browser.text(".notice").contains("Added vera"));
    browser.clickAndWait("#disable-vera");
    assertTrue(browser.text(".notice").contains("vera is disabled"));
    browser.screenshot("users");
  }

  @Test
  @Order(4)
  void aRequestWithoutTheCsrfTokenIsRefused() {
    long before = openItems();
    String[] p = uncertainPair("csrf", "Joy", "Achieng", "1990-01-20");
    String item = itemFor(p[2]);
    browser.open("/admin/review/" + item);
    assertEquals(403, browser.post("/admin/review/" + item, "decision=match", false));
    assertEquals(before + 1, openItems(), "refused: still open");
    assertNotEquals(goldenOf(p[0]), goldenOf(p[2]));
    // The same request with the token is taken (answered with the redirect to the next page).
    assertEquals(0, browser.post("/admin/review/" + item, "decision=match", true), "a redirect, opaque to fetch");
    assertEquals(before, openItems());
    assertEquals(goldenOf(p[0]), goldenOf(p[2]));
  }

  @Test
  @Order(5)
  void aViewerReadsButCannotDecide() {
    long before = openItems();
    String[] p = uncertainPair("viewer", "Sarah", "Auma", "1975-09-09");
    browser.clickAndWait("#sign-out");
    assertTrue(browser.text(".notice").contains("signed out"));
    browser.open("/admin/review");
    assertEquals("Sign in", browser.title(), "signed out: pages need a sign-in again");
    browser.signIn("victor", VIEWER_PASSWORD);
    assertFalse(browser.has("nav a[href='/admin/search']"), "search is for administrators");
    browser.open("/admin/review");
    assertTrue(browser.text("#queue-count").contains("item"));
    String item = itemFor(p[2]);
    browser.open("/admin/review/" + item);
    assertEquals("Review item", browser.title());
    assertFalse(browser.has("#decide-match"), "no decision buttons for a viewer");
    assertEquals(403, browser.post("/admin/review/" + item, "decision=match", true), "even with the token");
    assertEquals(before + 1, openItems());
    browser.open("/admin/users");
    assertEquals("Not allowed", browser.title());
    browser.clickAndWait("#sign-out");
  }

  @Test
  @Order(6)
  void repeatedFailuresLockTheAccountAndEverythingIsAudited() throws Exception {
    for (int i = 0; i < 3; i++) {
      browser.signIn("lou", "wrong password number " + i);
    }
    browser.signIn("lou", ADMIN_PASSWORD);
    assertTrue(browser.text(".notice.error").contains("locked"), "locked after 3 failures, right password or not");
    assertEquals("Sign in", browser.title());

    List<String> audit = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/registry.db"));
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT client_id, action, outcome, detail FROM audit_event WHERE client_id LIKE 'console:%'")) {
      while (rs.next()) {
        audit.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
      }
    }
    assertTrue(audit.contains("console:ada console.sign-in refused wrong"), audit.toString());
    assertTrue(audit.contains("console:ada console.sign-in done admin"), audit.toString());
    assertTrue(audit.contains("console:lou console.sign-in refused locked"), audit.toString());
    assertTrue(audit.contains("console:victor console.sign-out done sign-out"), audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.startsWith("console:ada link.break done")), audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.startsWith("console:ada link.merge done")), audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.startsWith("console:ada link.no-match done")), audit.toString());
    assertTrue(audit.contains("console:ada console.user-add done vera as viewer"), audit.toString());
  }

  static String itemFor(String sourceId) {
    for (Object o : registry.get("admin", "/review?_count=100").bodyAsJsonObject().getJsonArray("items")) {
      io.vertx.core.json.JsonObject item = (io.vertx.core.json.JsonObject) o;
      if (item.getJsonObject("source").getString("id").equals("Patient/" + sourceId)) {
        return item.getString("id");
      }
    }
    throw new AssertionError("no open review item for " + sourceId);
  }

  static long openItems() {
    return registry.get("admin", "/review?status=open").bodyAsJsonObject().getLong("total");
  }
}
