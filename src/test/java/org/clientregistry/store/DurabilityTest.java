package org.clientregistry.store;

import static org.clientregistry.Patients.patient;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What was acknowledged survives a restart, and a kill -9 of the process. */
class DurabilityTest {
  @TempDir
  Path dir;

  @Test
  void restartKeepsRecordsLinksAndIdempotency() {
    String cruid;
    String id;
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      HttpResponse<Buffer> a = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "r-1", "Olivia",
          "Nambi", "female", "1987-07-07", "0777 070 787", null));
      HttpResponse<Buffer> b = registry.post("lims", "/fhir/Patient", patient("lims", "r-1", "Olivia", "Nambi",
          "female", "1987-07-07", "0777070787", null));
      cruid = a.getHeader("LocationCRUID");
      id = a.bodyAsJsonObject().getString("id");
      assertEquals(cruid, b.getHeader("LocationCRUID"));
    }
    try (TestRegistry again = new TestRegistry(dir).start()) {
      HttpResponse<Buffer> resubmit = again.post("openmrs", "/fhir/Patient", patient("openmrs", "r-1", "Olivia",
          "Nambi", "female", "1987-07-07", "0777 070 787", null));
      assertEquals(200, resubmit.statusCode());
      assertEquals(id, resubmit.bodyAsJsonObject().getString("id"));
      assertEquals(cruid, resubmit.getHeader("LocationCRUID"));
      // The index was reloaded: a third system's record still links to the same person.
      HttpResponse<Buffer> c = again.post("dhis2", "/fhir/Patient", patient("dhis2", "r-1", "Olivia", "Nambi",
          "female", "1987-07-07", "0777070787", null));
      assertEquals(201, c.statusCode());
      assertEquals(cruid, c.getHeader("LocationCRUID"));
      HttpResponse<Buffer> pix = again.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier="
          + system("lims") + "|r-1");
      assertEquals(200, pix.statusCode());
      assertTrue(pix.bodyAsString().contains(system("dhis2")));
    }
  }

  @Test
  void everyAcknowledgedSubmissionSurvivesKillMinusNine() throws Exception {
    TestRegistry registry = new TestRegistry(dir);
    Process process = startProcess(registry);
    try {
      waitReady(registry, process);
      List<String> cruids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        HttpResponse<Buffer> r = registry.post("openmrs", "/fhir/Patient", patient("openmrs", "k-" + i,
            "Given" + (char) ('a' + i % 26), "Family" + i, i % 2 == 0 ? "male" : "female", "19" + (50 + i)
                + "-01-01", null, null));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        cruids.add(r.getHeader("LocationCRUID"));
      }
      process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean close
      registry.start();
      for (int i = 0; i < 40; i++) {
        HttpResponse<Buffer> pix = registry.get("openmrs", "/fhir/Patient/$ihe-pix?sourceIdentifier="
            + system("openmrs") + "|k-" + i);
        assertEquals(200, pix.statusCode(), "record k-" + i + " was acknowledged, so it must survive");
        assertTrue(pix.bodyAsString().contains(cruids.get(i).substring("Patient/".length())));
      }
    } finally {
      process.destroyForcibly();
      registry.close();
    }
  }

  private static Process startProcess(TestRegistry registry) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "org.clientregistry.Main");
    pb.environment().putAll(registry.env());
    pb.environment().put("CR_STORE_SYNCHRONOUS", "normal");
    pb.redirectErrorStream(true).redirectOutput(new File(registry.dir.resolve("registry.log").toString()));
    return pb.start();
  }

  private static void waitReady(TestRegistry registry, Process process) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    Path key = registry.certificates().resolve("clients/openmrs.key");
    while (System.currentTimeMillis() < deadline) {
      if (!java.nio.file.Files.exists(key)) {
        Thread.sleep(100); // the client certificate is made by the starting process
        continue;
      }
      if (!process.isAlive()) {
        throw new AssertionError("registry process exited: " + java.nio.file.Files.readString(
            registry.dir.resolve("registry.log")));
      }
      try {
        if (registry.get("openmrs", "/ready").statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet, or certificates not written yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("registry did not become ready");
  }
}
