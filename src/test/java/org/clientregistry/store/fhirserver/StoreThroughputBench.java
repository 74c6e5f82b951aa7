package org.clientregistry.store.fhirserver;

import static org.clientregistry.Patients.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measuring harness, not a test: submissions per second and FHIR round trips per submission on both stores.
 * Run it on purpose: {@code mvn -q test -Dtest=StoreThroughputBench -Dcr.bench=true}. It asserts only that every
 * submission succeeded; the figures go to standard output.
 */
@EnabledIfSystemProperty(named = "cr.bench", matches = "true")
class StoreThroughputBench {
  private static final int SUBMISSIONS = 400;
  private static final int IN_FLIGHT = 16;
  private static final String[] GIVEN = {"Amina", "Brian", "Carol", "David", "Esther", "Frank", "Gloria", "Henry"};
  private static final String[] FAMILY = {"Okello", "Namusoke", "Ssempa", "Auma", "Mugisha", "Atim", "Kizza"};

  @TempDir
  Path dir;

  @Test
  void measure() {
    run("embedded", Map.of(), null);
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    run("fhirserver (in-process HAPI JPA, H2)", hapi.registryEnv(), hapi);
  }

  private void run(String name, Map<String, String> env, HapiTestServer hapi) {
    try (TestRegistry registry = new TestRegistry(dir.resolve(name.substring(0, 4)), env).start()) {
      submitAll(registry, "warm", 40); // JIT, connection pools, HAPI's first queries
      long requestsBefore = hapi == null ? 0 : hapi.requests();
      long started = System.nanoTime();
      submitAll(registry, "run", SUBMISSIONS);
      double seconds = (System.nanoTime() - started) / 1e9;
      String trips = hapi == null ? "n/a" : String.format("%.2f", (hapi.requests() - requestsBefore)
          / (double) SUBMISSIONS);
      System.out.printf("BENCH %s: %d submissions in %.2f s = %.1f/s; FHIR round trips per submission: %s%n", name,
          SUBMISSIONS, seconds, SUBMISSIONS / seconds, trips);
    }
  }

  private static void submitAll(TestRegistry registry, String prefix, int n) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Integer>> lanes = new ArrayList<>();
    for (int lane = 0; lane < IN_FLIGHT; lane++) {
      lanes.add(lane(registry, prefix, next, n, 0));
    }
    int ok = lanes.stream().mapToInt(f -> f.await()).sum();
    assertEquals(n, ok, "every submission succeeded");
  }

  private static Future<Integer> lane(TestRegistry registry, String prefix, AtomicInteger next, int n, int done) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture(done);
    }
    String given = GIVEN[i % GIVEN.length];
    String family = FAMILY[(i / GIVEN.length) % FAMILY.length] + (char) ('a' + i % 26) + (i / 26);
    return registry.client("openmrs").post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(patient("openmrs", prefix + "-" + i, given, family, i % 2 == 0 ? "male" : "female",
            (1940 + i % 70) + "-0" + (1 + i % 9) + "-1" + (i % 10), null, null).encode()))
        .compose((HttpResponse<Buffer> r) -> lane(registry, prefix, next, n, done + (r.statusCode() == 201 ? 1 : 0)));
  }
}
