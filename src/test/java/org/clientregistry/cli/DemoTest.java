package org.clientregistry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} as its own process: it loads three systems' patients and the lookup it suggests finds a person. */
class DemoTest {
  @TempDir Path dir;

  @Test
  void theDemoLoadsThreeSystemsAndItsSuggestedLookupWorks() throws Exception {
    int port = TestRegistry.freePort();
    Path demo = dir.resolve("demo");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.clientregistry.Main", "demo", "--records", "300",
        "--port", Integer.toString(port), "--dir", demo.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CR_"));
    pb.environment().put("CR_ACCESS_LOG_LEVEL", "WARN");
    Process p = pb.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.add(line);
        if (line.startsWith("Stop with Ctrl-C")) {
          break;
        }
      }
      String all = String.join("\n", output);
      assertTrue(all.contains("Demo registry ready at https://localhost:" + port), all);
      for (String client : List.of("openmrs", "dhis2", "lims")) {
        assertTrue(all.contains("as " + client), all);
        assertTrue(Files.exists(demo.resolve("input/" + client + ".report.csv")));
      }
      Matcher pix = Pattern.compile("sourceIdentifier=(http://clientregistry.org/(\\w+))\\|([A-Z]{2}-\\d+)")
          .matcher(all);
      assertTrue(pix.find(), all);
      try (TestRegistry client = new TestRegistry(demo)) {
        // the demo's own certificates and port, through the test's HTTPS client
        var answer = client.client(demo.resolve("certificates/clients/lims.crt"),
                demo.resolve("certificates/clients/lims.key"))
            .get(port, "localhost", "/fhir/Patient/$ihe-pix?sourceIdentifier=" + pix.group(1) + "|" + pix.group(3))
            .send().await();
        assertEquals(200, answer.statusCode(), answer.bodyAsString());
        assertTrue(answer.bodyAsString().contains("targetIdentifier"), answer.bodyAsString());
      }
    } finally {
      p.destroy(); // SIGTERM: the demo stops cleanly
      assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    }
  }
}
