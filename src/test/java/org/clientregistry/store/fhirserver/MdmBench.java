package org.clientregistry.store.fhirserver;

import static org.clientregistry.store.fhirserver.StoreThroughputBench.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measuring harness, not a test: linked records per second of HAPI FHIR's own MDM ({@link MdmTestConfig}) and of
 * the registry on a plain HAPI server, each alone and both loading at once (two in-process HAPI servers in this
 * JVM). Run it on purpose:
 * {@code mvn -q -o test -Dtest=MdmBench -Dcr.bench=true [-Dcr.bench.people=200] [-Dcr.bench.warm=20]
 * [-Dcr.bench.together=false]} (people per measured run, people per warm-up run, whether to load both at once
 * too). Figures go to standard output in
 * lines starting {@code BENCH}.
 *
 * <p>Each person has two records (as {@link StoreThroughputBench}: the openmrs and the lims record, same
 * demographics), both sent at once, 16 submissions in flight. MDM links asynchronously, so its linked rate is 2N
 * over the time from the first POST until every one of the 2N Patients has an MDM link (MATCH or POSSIBLE_MATCH to
 * a golden Patient, read from MDM's link table once its link count says all may be there, counted every
 * {@value #POLL_MS} ms); the registry links before it answers,
 * so its linked rate is 2N over the time until all answered. Every run (warm-ups included) has people of its own:
 * new demographics and identifiers. Each run also says how much CPU this JVM used ({@link CpuUse}): all of it, so
 * in the run with both at once each line counts both loads.
 */
@EnabledIfSystemProperty(named = "cr.bench", matches = "true")
class MdmBench {
  private static final int PEOPLE = Integer.getInteger("cr.bench.people", 200);
  private static final int WARM = Integer.getInteger("cr.bench.warm", 20);
  /** Whether to measure both loading at once too (after the runs alone). */
  private static final boolean TOGETHER = !"false".equals(System.getProperty("cr.bench.together"));
  private static final int IN_FLIGHT = 16;
  private static final long POLL_MS = 100;

  @TempDir
  Path dir;

  /** The next unused person number: each run's people differ from every other run's. */
  private final AtomicInteger nextPerson = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** One run; {@code cpu} over the whole run, {@code afterAccepted} from the last answer until all linked. */
  record Run(int people, double seconds, double acceptedPerSecond, double linkedPerSecond, int together,
             int possibleOnly, CpuUse.Used cpu, CpuUse.Used afterAccepted) {
    String linked() {
      return String.format("%.1f linked records/s (%d records in %.1f s; %s%s)", linkedPerSecond, 2 * people,
          seconds, cpu.describe(2 * people), afterAccepted == null ? ""
              : String.format("; after the last POST was answered: %.1f s, %s", afterAccepted.wallSeconds(),
                  afterAccepted.busy()));
    }
  }

  @Test
  void measure() throws Exception {
    try (Servers servers = new Servers(dir.resolve("cr"))) {
      HapiTestServer mdm = servers.mdm;
      TestRegistry registry = servers.registry;
      mdmRun(mdm, "mdm-warm-a", WARM);
      Run a = mdmRun(mdm, "mdm-a", PEOPLE);
      System.out.printf("BENCH HAPI MDM alone: %d people x 2 records POSTed to HAPI: accepted %.1f records/s;"
          + " %s; people with both records on one golden record (MATCH): %d of %d; records with only a"
          + " POSSIBLE_MATCH link: %d%n", PEOPLE, a.acceptedPerSecond, a.linked(), a.together, PEOPLE,
          a.possibleOnly);

      registryRun(registry, "cr-warm-b", WARM);
      Run b = registryRun(registry, "cr-b", PEOPLE);
      System.out.printf("BENCH registry alone (plain HAPI, no MDM): %d people x 2 records (openmrs, lims): %s;"
          + " people with both records on one golden record (at answer time): %d of %d%n", PEOPLE, b.linked(),
          b.together, PEOPLE);
      System.out.printf("BENCH alone: registry/MDM linked records/s = %.2f%n", b.linkedPerSecond / a.linkedPerSecond);
      if (!TOGETHER) {
        return;
      }

      mdmRun(mdm, "mdm-warm-c", WARM);
      registryRun(registry, "cr-warm-c", WARM);
      CyclicBarrier go = new CyclicBarrier(2);
      CompletableFuture<Run> mdmLoad = CompletableFuture.supplyAsync(atOnce(go, () -> mdmRun(mdm, "mdm-c", PEOPLE)));
      CompletableFuture<Run> crLoad = CompletableFuture.supplyAsync(atOnce(go,
          () -> registryRun(registry, "cr-c", PEOPLE)));
      Run cm = mdmLoad.join();
      Run cr = crLoad.join();
      System.out.printf("BENCH both at once (two HAPI servers, one JVM, %d people each): registry %s; HAPI MDM %s"
          + " (accepted %.1f records/s; people on one golden record: %d of %d); ratio registry/MDM = %.2f%n",
          PEOPLE, cr.linked(), cm.linked(), cm.acceptedPerSecond, cm.together, PEOPLE,
          cr.linkedPerSecond / cm.linkedPerSecond);
    }
  }

  /**
   * Warm code on empty servers ({@code -Dcr.bench.emptyServers=true}): the warm-ups run on servers of
   * their own, stopped after, and each measurement on new, empty servers in the same JVM, so the JIT compiler has
   * compiled HAPI, MDM and the registry while the servers hold nothing (a long-running server with few records),
   * which the nearly-empty runs of {@link #measure} cannot tell apart from compiling.
   */
  @Test
  @EnabledIfSystemProperty(named = "cr.bench.emptyServers", matches = "true")
  void measureWarmOnEmptyServers() throws Exception {
    try (Servers warm = new Servers(dir.resolve("cr-warm"))) {
      mdmRun(warm.mdm, "mdm-warm", WARM);
      registryRun(warm.registry, "cr-warm", WARM);
    }
    Run a;
    Run b;
    try (Servers alone = new Servers(dir.resolve("cr-alone"))) {
      a = mdmRun(alone.mdm, "mdm-a", PEOPLE);
      b = registryRun(alone.registry, "cr-b", PEOPLE);
    }
    System.out.printf("BENCH warm code, empty servers, alone: HAPI MDM %s (accepted %.1f records/s; people on one"
        + " golden record: %d of %d); registry %s (people on one golden record: %d of %d); ratio %.2f%n",
        a.linked(), a.acceptedPerSecond, a.together, PEOPLE, b.linked(), b.together, PEOPLE,
        b.linkedPerSecond / a.linkedPerSecond);
    try (Servers both = new Servers(dir.resolve("cr-both"))) {
      CyclicBarrier go = new CyclicBarrier(2);
      CompletableFuture<Run> mdmLoad = CompletableFuture.supplyAsync(atOnce(go, () -> mdmRun(both.mdm, "mdm-c",
          PEOPLE)));
      CompletableFuture<Run> crLoad = CompletableFuture.supplyAsync(atOnce(go,
          () -> registryRun(both.registry, "cr-c", PEOPLE)));
      Run cm = mdmLoad.join();
      Run cr = crLoad.join();
      System.out.printf("BENCH warm code, empty servers, both at once: registry %s; HAPI MDM %s (people on one"
          + " golden record: %d of %d); ratio registry/MDM = %.2f%n", cr.linked(), cm.linked(), cm.together, PEOPLE,
          cr.linkedPerSecond / cm.linkedPerSecond);
    }
  }

  /** A HAPI server with MDM, a plain one and a registry on the plain one, stopped together. */
  private static final class Servers implements AutoCloseable {
    final HapiTestServer mdm = HapiTestServer.start(MdmTestConfig.class);
    final HapiTestServer plain = HapiTestServer.start();
    final TestRegistry registry;

    Servers(Path dir) {
      Map<String, String> env = new HashMap<>(plain.registryEnv());
      env.put("CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "60000");
      registry = new TestRegistry(dir, env).start();
    }

    @Override
    public void close() {
      registry.close();
      mdm.stop();
      plain.stop();
    }
  }

  private static <T> Supplier<T> atOnce(CyclicBarrier go, Supplier<T> load) {
    return () -> {
      try {
        go.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return load.get();
    };
  }

  /**
   * POSTs n people's two records straight to the MDM server (16 in flight), then waits until MDM has linked every
   * one of them.
   */
  private Run mdmRun(HapiTestServer mdm, String prefix, int n) {
    int base = nextPerson.getAndAdd(n);
    String[][] ids = new String[n][2];
    AtomicInteger next = new AtomicInteger();
    long linksBefore = MdmTestConfig.linkCount(mdm);
    long started = System.nanoTime();
    CpuUse cpu = new CpuUse();
    List<CompletableFuture<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < IN_FLIGHT / 2; lane++) {
      lanes.add(mdmLane(mdm, prefix, base, n, next, ids));
    }
    CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
    double acceptedSeconds = (System.nanoTime() - started) / 1e9;
    CpuUse linking = new CpuUse();

    long deadline = System.nanoTime() + (600 + 2L * n) * 1_000_000_000L;
    Map<String, List<MdmTestConfig.Link>> links;
    int linked;
    while (true) {
      // Counting first: reading the whole link table every poll would take CPU from MDM itself.
      if (MdmTestConfig.linkCount(mdm) < linksBefore + 2L * n && System.nanoTime() < deadline) {
        sleep(POLL_MS);
        continue;
      }
      links = MdmTestConfig.links(mdm);
      linked = 0;
      for (String[] person : ids) {
        for (String id : person) {
          linked += links.getOrDefault(id, List.of()).stream()
              .anyMatch(l -> l.result().equals("MATCH") || l.result().equals("POSSIBLE_MATCH")) ? 1 : 0;
        }
      }
      if (linked == 2 * n) {
        break;
      }
      if (System.nanoTime() > deadline) {
        fail(prefix + ": MDM linked " + linked + " of " + 2 * n + " records before the time limit");
      }
      sleep(POLL_MS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    CpuUse.Used used = cpu.since();
    CpuUse.Used afterAccepted = linking.since();

    int together = 0;
    int possibleOnly = 0;
    for (String[] person : ids) {
      String golden0 = matchedGolden(links, person[0]);
      String golden1 = matchedGolden(links, person[1]);
      together += golden0 != null && golden0.equals(golden1) ? 1 : 0;
      possibleOnly += (golden0 == null ? 1 : 0) + (golden1 == null ? 1 : 0);
    }
    return new Run(n, seconds, 2 * n / acceptedSeconds, 2 * n / seconds, together, possibleOnly, used,
        afterAccepted);
  }

  private static String matchedGolden(Map<String, List<MdmTestConfig.Link>> links, String id) {
    return links.get(id).stream().filter(l -> l.result().equals("MATCH")).map(MdmTestConfig.Link::golden)
        .findFirst().orElse(null);
  }

  private CompletableFuture<Void> mdmLane(HapiTestServer mdm, String prefix, int base, int n, AtomicInteger next,
                                          String[][] ids) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<String> first = create(mdm, person("openmrs", prefix, base + i));
    CompletableFuture<String> second = create(mdm, person("lims", prefix, base + i));
    return first.thenCombine(second, (a, b) -> {
      ids[i][0] = a;
      ids[i][1] = b;
      return null;
    }).thenCompose(v -> mdmLane(mdm, prefix, base, n, next, ids));
  }

  /** POST /Patient to HAPI; the new Patient's id. */
  private CompletableFuture<String> create(HapiTestServer mdm, JsonObject patient) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(mdm.baseUrl() + "/Patient"))
            .header("Content-Type", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(patient.encode())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
          if (r.statusCode() != 201) {
            throw new IllegalStateException("HAPI answered " + r.statusCode() + ": " + r.body());
          }
          return new JsonObject(r.body()).getString("id");
        });
  }

  /** Sends n people's openmrs and lims records to the registry (16 in flight); it links before it answers. */
  private Run registryRun(TestRegistry registry, String prefix, int n) {
    int base = nextPerson.getAndAdd(n);
    String[][] cruids = new String[n][2];
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    CpuUse cpu = new CpuUse();
    List<Future<Integer>> lanes = new ArrayList<>();
    for (int lane = 0; lane < IN_FLIGHT / 2; lane++) {
      lanes.add(registryLane(registry, prefix, base, n, next, cruids, 0));
    }
    int ok = lanes.stream().mapToInt(f -> f.await()).sum();
    double seconds = (System.nanoTime() - started) / 1e9;
    CpuUse.Used used = cpu.since();
    assertEquals(2 * n, ok, prefix + ": every submission succeeded");
    int together = 0;
    for (String[] person : cruids) {
      together += person[0].equals(person[1]) ? 1 : 0;
    }
    return new Run(n, seconds, 2 * n / seconds, 2 * n / seconds, together, 0, used, null);
  }

  private static Future<Integer> registryLane(TestRegistry registry, String prefix, int base, int n,
                                              AtomicInteger next, String[][] cruids, int done) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture(done);
    }
    Future<HttpResponse<Buffer>> first = post(registry, "openmrs", person("openmrs", prefix, base + i));
    Future<HttpResponse<Buffer>> second = post(registry, "lims", person("lims", prefix, base + i));
    return Future.join(first, second).compose(v -> {
      cruids[i][0] = first.result().getHeader("LocationCRUID");
      cruids[i][1] = second.result().getHeader("LocationCRUID");
      return registryLane(registry, prefix, base, n, next, cruids, done
          + (first.result().statusCode() == 201 ? 1 : 0) + (second.result().statusCode() == 201 ? 1 : 0));
    });
  }

  private static Future<HttpResponse<Buffer>> post(TestRegistry to, String client, JsonObject body) {
    return to.client(client).post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body.encode()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
