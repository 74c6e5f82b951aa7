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
  private static final int LOOKUPS = 1_000;
  private static final String[] GIVEN = {"Amina", "Brian", "Carol", "David", "Esther", "Frank", "Gloria", "Henry"};
  private static final String[] FAMILY = {"Okello", "Namusoke", "Ssempa", "Auma", "Mugisha", "Atim", "Kizza"};

  @TempDir
  Path dir;

  @Test
  void measure() {
    run("embedded", Map.of(), null);
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    run("fhirserver (in-process HAPI JPA, " + HapiTestServer.database() + ")", hapi.registryEnv(), hapi);
  }

  /**
   * Linked records per second with two replicas on one HAPI server, each person's two records (two systems) sent
   * to the two replicas at once, beside one registry getting both; then how many people stayed split once the
   * replicas followed each other (late joins).
   */
  @Test
  void replicas() {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    Map<String, String> env = new java.util.HashMap<>(hapi.registryEnv());
    env.put("CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "60000");
    try (TestRegistry one = new TestRegistry(dir.resolve("one"), env).start()) {
      people(one, one, "warm1", 20);
      double perSecond = people(one, one, "one", SUBMISSIONS / 2);
      System.out.printf("BENCH one registry: %.1f linked records/s%n", perSecond);
    }
    hapi.reset();
    try (TestRegistry a = new TestRegistry(dir.resolve("ra"), env).start();
         TestRegistry b = new TestRegistry(dir.resolve("rb"), env).start()) {
      people(a, b, "warm2", 20);
      long requestsBefore = hapi.requests();
      double perSecond = people(a, b, "two", SUBMISSIONS / 2);
      double trips = (hapi.requests() - requestsBefore) / (double) SUBMISSIONS;
      for (int round = 0; round < 2; round++) {
        a.registry().followOtherWriters().await();
        b.registry().followOtherWriters().await();
      }
      int split = 0;
      for (int i = 0; i < SUBMISSIONS / 2; i++) {
        split += cruid(a, "openmrs", person("openmrs", "two", i)).equals(cruid(b, "lims", person("lims", "two", i)))
            ? 0 : 1;
      }
      System.out.printf("BENCH two replicas: %.1f linked records/s, %.2f FHIR round trips per record; people split"
          + " after following: %d of %d%n", perSecond, trips, split, SUBMISSIONS / 2);
    }
  }

  /** Person i's record at a client: one of two systems' records of the same person. */
  static io.vertx.core.json.JsonObject person(String client, String prefix, int i) {
    String given = GIVEN[i % GIVEN.length];
    String family = FAMILY[(i / GIVEN.length) % FAMILY.length] + (char) ('a' + i % 26) + (i / 26);
    return patient(client, prefix + "-" + i, given, family, i % 2 == 0 ? "male" : "female",
        (1940 + i % 70) + "-0" + (1 + i % 9) + "-1" + (i % 10), "07" + (10_000_000 + i * 7919 % 89_999_999), null);
  }

  /** Sends each person's openmrs record to {@code a} and lims record to {@code b} at once; records per second. */
  private static double people(TestRegistry a, TestRegistry b, String prefix, int n) {
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    List<Future<Integer>> lanes = new ArrayList<>();
    for (int lane = 0; lane < IN_FLIGHT / 2; lane++) {
      lanes.add(pair(a, b, prefix, next, n, 0));
    }
    int ok = lanes.stream().mapToInt(f -> f.await()).sum();
    assertEquals(2 * n, ok, "every submission succeeded");
    return 2 * n / ((System.nanoTime() - started) / 1e9);
  }

  private static Future<Integer> pair(TestRegistry a, TestRegistry b, String prefix, AtomicInteger next, int n,
                                      int done) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture(done);
    }
    Future<HttpResponse<Buffer>> first = post(a, "openmrs", person("openmrs", prefix, i));
    Future<HttpResponse<Buffer>> second = post(b, "lims", person("lims", prefix, i));
    return Future.join(first, second).compose(v -> pair(a, b, prefix, next, n, done
        + (first.result().statusCode() == 201 ? 1 : 0) + (second.result().statusCode() == 201 ? 1 : 0)));
  }

  private static Future<HttpResponse<Buffer>> post(TestRegistry to, String client, io.vertx.core.json.JsonObject body) {
    return to.client(client).post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body.encode()));
  }

  private static String cruid(TestRegistry on, String client, io.vertx.core.json.JsonObject record) {
    HttpResponse<Buffer> again = post(on, client, record).await();
    assertEquals(200, again.statusCode(), again.bodyAsString());
    return again.getHeader("LocationCRUID");
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
      lookUpAll(registry, "warm", LOOKUPS / 10);
      requestsBefore = hapi == null ? 0 : hapi.requests();
      started = System.nanoTime();
      lookUpAll(registry, "run", LOOKUPS);
      seconds = (System.nanoTime() - started) / 1e9;
      trips = hapi == null ? "n/a" : String.format("%.2f", (hapi.requests() - requestsBefore) / (double) LOOKUPS);
      System.out.printf("BENCH %s: %d PIX lookups (audited) in %.2f s = %.1f/s; FHIR round trips per lookup: %s%n",
          name, LOOKUPS, seconds, LOOKUPS / seconds, trips);
    }
  }

  /** PIX lookups of the records submitted under {@code prefix}, {@value #IN_FLIGHT} in flight. */
  private static void lookUpAll(TestRegistry registry, String prefix, int n) {
    int records = prefix.equals("warm") ? 40 : SUBMISSIONS;
    AtomicInteger next = new AtomicInteger();
    List<Future<Integer>> lanes = new ArrayList<>();
    for (int lane = 0; lane < IN_FLIGHT; lane++) {
      lanes.add(lookUps(registry, prefix, records, next, n, 0));
    }
    assertEquals(n, lanes.stream().mapToInt(f -> f.await()).sum(), "every lookup answered");
  }

  private static Future<Integer> lookUps(TestRegistry registry, String prefix, int records, AtomicInteger next, int n,
                                         int done) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture(done);
    }
    return registry.client("openmrs").get("/fhir/Patient/$ihe-pix?sourceIdentifier="
        + java.net.URLEncoder.encode(org.clientregistry.Patients.system("openmrs") + "|" + prefix + "-" + (i % records),
        java.nio.charset.StandardCharsets.UTF_8)).send()
        .compose(r -> lookUps(registry, prefix, records, next, n, done + (r.statusCode() == 200 ? 1 : 0)));
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
