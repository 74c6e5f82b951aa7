package org.clientregistry.openhim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.clientregistry.TestRegistry;
import org.clientregistry.api.RegistryRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default channel of mediator.json routes every request the registry serves behind core: its urlPattern is
 * matched as core 8.x does ({@code new RegExp(urlPattern).test(path)}, a search, not a whole-string match) against
 * each route of the registry's real router, and each route's methods are among the channel's.
 */
class ChannelPatternTest {
  /** Outside the channel: the operator's monitoring, never routed through core. */
  private static final Set<String> OPERATIONS = Set.of("/health", "/ready", "/metrics");
  @TempDir static Path dir;
  static TestRegistry registry;
  static Router router;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(dir).start();
    router = RegistryRouter.create(registry.vertx, registry.registry().routes(), ctx -> ctx.next(),
        ctx -> ctx.next(), 1024);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static JsonObject channel() throws Exception {
    return new JsonObject(Files.readString(Path.of("mediator.json"))).getJsonArray("defaultChannelConfig")
        .getJsonObject(0);
  }

  @Test
  void theChannelPatternMatchesEveryRouteServedBehindCore() throws Exception {
    JsonObject channel = channel();
    Pattern pattern = Pattern.compile(channel.getString("urlPattern"));
    Set<String> channelMethods = Set.copyOf(channel.getJsonArray("methods").getList());
    List<String> checked = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || OPERATIONS.contains(path)) {
        continue; // the catch-all 404 and failure handlers have no path
      }
      for (String example : examples(route)) {
        assertTrue(pattern.matcher(example).find(), "the channel does not route " + example);
        checked.add(example);
      }
      for (HttpMethod method : route.methods() == null ? Set.<HttpMethod>of() : route.methods()) {
        assertTrue(channelMethods.contains(method.name()), "the channel does not route " + method + " " + path);
      }
    }
    for (String needed : new String[] {"/fhir", "/fhir/Patient", "/fhir/Patient/$match", "/fhir/Patient/$ihe-pix",
        "/fhir/Patient/_search", "/fhir/metadata", "/review", "/links/merge"}) {
      assertTrue(checked.contains(needed), "the router no longer serves " + needed + ": " + checked);
    }
  }

  @Test
  void theChannelLeavesOtherPathsAlone() throws Exception {
    Pattern pattern = Pattern.compile(channel().getString("urlPattern"));
    for (String other : new String[] {"/health", "/ready", "/metrics", "/fhirx", "/other/fhir/Patient", "/"}) {
      assertFalse(pattern.matcher(other).find(), other + " must not be routed to the registry");
    }
  }

  /** Concrete paths a route serves: path parameters filled in; a prefix route also with something below it. */
  private static List<String> examples(Route route) {
    String path = route.getPath().replaceAll(":[A-Za-z]+", "some-id");
    if (route.isExactPath()) {
      return List.of(path);
    }
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return List.of(base, base + "/Patient/some-id");
  }
}
