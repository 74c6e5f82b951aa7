package org.clientregistry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clientregistry.tools.EvaluateCommand;
import org.clientregistry.tools.PairwiseQuality;

/**
 * {@code bench}: starts the registry as its own process, loads synthetic patients with known truth through the
 * real HTTPS API (bundles for the bulk, then single submissions with N clients in flight), measures lookups, heap
 * per record, CPU, the restart time, and the link quality; writes JSON and a markdown table.
 */
public final class BenchCommand {
  private static final String USAGE = """
      usage: bench [--records N] [--warmup N] [--preload N] [--clients N] [--bundle-size N] [--bundle-clients N]
                   [--lookups N] [--duplicates 0.3] [--seed 42] [--heap 2g] [--out target/bench]
                   [--server-jvm-args "-XX:StartFlightRecording=filename=server.jfr"] [--console-only true]
        --records   single POST /fhir/Patient submissions (default 10000)
        --warmup    how many of those go first, unmeasured, so the JIT has compiled the hot path (default 3000)
        --preload   records loaded first through batch Bundles (default 0), to measure at a larger registry size
        --clients   requests in flight for single submissions and lookups (default 16)
        --lookups   $ihe-pix and $match requests measured (default 2000 each), console requests (at most 1000 each)
        --console-only true: after the submissions, only the console's review page and searches (no lookups, re-match,
                    heap or restarts): the quick way to measure the console at 1M
      The registry runs from config/ (as shipped) with its data in <out>/run; figures go to <out>/bench-<size>.json
      and .md.""";

  private BenchCommand() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = EvaluateCommand.options(args, USAGE);
    int records = Integer.parseInt(o.getOrDefault("records", "10000"));
    int warmup = Math.min(records / 2, Integer.parseInt(o.getOrDefault("warmup", "3000")));
    int preload = Integer.parseInt(o.getOrDefault("preload", "0"));
    int clients = Integer.parseInt(o.getOrDefault("clients", "16"));
    int bundleSize = Integer.parseInt(o.getOrDefault("bundle-size", "500"));
    int bundleClients = Integer.parseInt(o.getOrDefault("bundle-clients", "2"));
    int lookups = Integer.parseInt(o.getOrDefault("lookups", "2000"));
    double duplicates = Double.parseDouble(o.getOrDefault("duplicates", "0.3"));
    long seed = Long.parseLong(o.getOrDefault("seed", "42"));
    boolean consoleOnly = Boolean.parseBoolean(o.getOrDefault("console-only", "false"));
    Path out = Path.of(o.getOrDefault("out", "target/bench"));
    Path run = out.resolve("run");
    deleteTree(run);
    Files.createDirectories(run);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("when", Instant.now().toString());
    report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java",
        System.getProperty("java.version"), "loadAverageAtStart", loadAverage()));
    report.put("settings", Map.of("records", records, "warmup", warmup, "preload", preload, "clients", clients, "bundleSize",
        bundleSize, "duplicates", duplicates, "seed", seed, "serverHeap", o.getOrDefault("heap", "2g")));
    SyntheticPatients generator = new SyntheticPatients(seed, duplicates);
    List<String> persons = new ArrayList<>();
    List<String> goldens = new ArrayList<>();
    int port = freePort();
    int consolePort = freePort();
    String consolePassword = ConsoleClient.addUser(run.resolve("console-users.json"));
    try (ServerProcess server = new ServerProcess(run, port, o.getOrDefault("heap", "2g"),
        o.getOrDefault("server-jvm-args", ""), Map.of("CR_CONSOLE_PORT", Integer.toString(consolePort),
            "CR_CONSOLE_USERS_FILE", run.resolve("console-users.json").toString()))) {
      System.out.println("Starting the registry (empty store)");
      report.put("startEmptyMs", server.start(Duration.ofMinutes(5)));
      long baselineHeap = server.heapAfterGc();
      try (LoadRunner load = new LoadRunner(run.resolve("certificates"), port)) {
        if (preload > 0) {
          report.put("bulk", bulk(load, server, generator, preload, bundleSize, bundleClients, persons, goldens));
        }
        List<SyntheticPatients.Record> warm = generator.next(warmup);
        report.put("warmup", phase("warm-up (not measured)", load, server, warmup, clients,
            i -> load.submit(warm.get(i)), (i, id) -> {
              persons.add(Long.toString(warm.get(i).person()));
              goldens.add(id);
            }));
        List<SyntheticPatients.Record> singles = generator.next(records - warmup);
        report.put("singleSubmissions", phase("single submissions", load, server, singles.size(), clients,
            i -> load.submit(singles.get(i)), (i, id) -> {
              persons.add(Long.toString(singles.get(i).person()));
              goldens.add(id);
            }));
        SplittableRandom pick = new SplittableRandom(seed + 1);
        List<SyntheticPatients.Record> sample = new ArrayList<>();
        for (int i = 0; i < lookups; i++) {
          sample.add(singles.get(pick.nextInt(singles.size())));
        }
        report.put("console", console(load, server, consolePort, consolePassword, sample, Math.min(lookups, 1000)));
        if (!consoleOnly) {
          lookupsAndRematch(report, load, server, generator, sample, lookups, clients, records, persons, goldens);
        }
      }
      report.put("candidates", server.candidateStatistics());
      PairwiseQuality q = PairwiseQuality.of(persons, goldens);
      report.put("quality", q);
      System.out.printf("Link quality: precision %.4f recall %.4f F1 %.4f%n", q.precision(), q.recall(), q.f1());
      if (!consoleOnly) {
        heapAndRestarts(report, server, baselineHeap, preload + records);
      }
    }
    report.put("loadAverageAtEnd", loadAverage());
    String name = "bench-" + size(preload + records) + (consoleOnly ? "-console" : "");
    Files.writeString(out.resolve(name + ".md"), BenchReport.markdown(report));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(name + ".json").toFile(),
        report);
    System.out.println(BenchReport.markdown(report));
    System.out.println("figures: " + out.resolve(name + ".json"));
  }

  private static void lookupsAndRematch(Map<String, Object> report, LoadRunner load, ServerProcess server,
                                        SyntheticPatients generator, List<SyntheticPatients.Record> sample,
                                        int lookups, int clients, int records, List<String> persons,
                                        List<String> goldens) throws InterruptedException {
    report.put("pix", phase("$ihe-pix", load, server, lookups, clients, i -> load.pix(sample.get(i)), null));
    report.put("match", phase("$match", load, server, lookups, clients, i -> load.match(sample.get(i)), null));
    // One in flight: the service's own latency, without queueing for the cores the load generator shares.
    report.put("pixOneInFlight", phase("$ihe-pix, one in flight", load, server, lookups, 1,
        i -> load.pix(sample.get(i)), null));
    report.put("matchOneInFlight", phase("$match, one in flight", load, server, lookups, 1,
        i -> load.match(sample.get(i)), null));
    report.put("reviewQueue", phase("GET /review (20 items), one in flight", load, server,
        Math.min(lookups, 200), 1, i -> load.reviewPage((i * 20) % 2000), null));
    report.put("rematch", rematch(load, server, generator, clients, Math.min(records, 5000), persons, goldens));
  }

  private static void heapAndRestarts(Map<String, Object> report, ServerProcess server, long baselineHeap,
                                      long stored) throws java.io.IOException, InterruptedException {
    long heap = server.heapAfterGc();
    report.put("heap", Map.of("baselineBytes", baselineHeap, "afterLoadBytes", heap, "storedRecords", stored,
        "bytesPerRecord", stored == 0 ? 0 : (heap - baselineHeap) / stored));
    System.out.println("Restarting after a clean stop (the index read back from the snapshot the stop kept)");
    report.put("stopMs", server.stop());
    report.put("restartReadyMs", server.start(Duration.ofMinutes(30)));
    report.put("restartFromSnapshot", server.metric("cr_index_from_snapshot") == 1);
    System.out.println("Restarting after a kill (the index rebuilt from every stored record)");
    server.kill();
    report.put("rebuildReadyMs", server.start(Duration.ofMinutes(30)));
  }

  /**
   * The console (issue 16: under 100 ms at 1M): a review item's page (its records read, the pair compared again, the
   * waterfall drawn) and the searches by identifier and by name and birth date, one request in flight, after an
   * unmeasured warm-up.
   */
  private static Map<String, Object> console(LoadRunner load, ServerProcess server, int port, String password,
                                             List<SyntheticPatients.Record> sample, int n) {
    Map<String, Object> figures = new LinkedHashMap<>();
    try (ConsoleClient console = new ConsoleClient(load.vertx(), load.certificates(), port)) {
      console.signIn(port, password);
      List<String> ids = load.admin("/review?_count=200", null).getJsonArray("items").stream()
          .map(o -> ((io.vertx.core.json.JsonObject) o).getString("id")).toList();
      figures.put("openItemsSampled", ids.size());
      java.util.function.IntFunction<Future<Integer>> byId = i -> console.searchByIdentifier(
          "http://clientregistry.org/" + sample.get(i).client(), sample.get(i).internalId());
      java.util.function.IntFunction<Future<Integer>> byName = i -> console.searchByDemographics(
          sample.get(i).patient());
      phase("console warm-up (not measured)", load, server, Math.min(300, sample.size()), 1, i -> i % 3 == 0
          && !ids.isEmpty() ? console.reviewItem(ids.get(i % ids.size())) : i % 3 == 1 ? byId.apply(i)
          : byName.apply(i), null);
      if (!ids.isEmpty()) {
        figures.put("reviewItemPage", phase("console: review item page, one in flight", load, server, n, 1,
            i -> console.reviewItem(ids.get(i % ids.size())), null));
      }
      long[] found = new long[2];
      Map<String, Object> identifier = phase("console: search by identifier, one in flight", load, server, n, 1,
          byId, (i, groups) -> found[0] += groups != null && groups > 0 ? 1 : 0);
      Map<String, Object> name = phase("console: search by name and birth date, one in flight", load, server, n, 1,
          byName, (i, groups) -> found[1] += groups != null && groups > 0 ? 1 : 0);
      identifier.put("foundAGoldenRecord", found[0]);
      name.put("foundAGoldenRecord", found[1]);
      figures.put("searchByIdentifier", identifier);
      figures.put("searchByNameAndBirthDate", name);
    }
    return figures;
  }

  /**
   * Re-matching every golden record: a dry run, then an apply with single submissions running meanwhile (their
   * latency beside the single-submission phase's shows what the apply costs them).
   */
  private static Map<String, Object> rematch(LoadRunner load, ServerProcess server, SyntheticPatients generator,
                                             int clients, int during, List<String> persons, List<String> goldens)
      throws InterruptedException {
    Map<String, Object> figures = new LinkedHashMap<>();
    System.out.println("Re-match: dry run");
    long t0 = System.nanoTime();
    io.vertx.core.json.JsonObject dry = load.admin("/links/rematch", new io.vertx.core.json.JsonObject());
    double drySeconds = (System.nanoTime() - t0) / 1e9;
    long checked = dry.getLong("goldenRecords");
    figures.put("goldenRecords", checked);
    figures.put("dryRunSeconds", drySeconds);
    figures.put("dryRunGoldenRecordsPerSecond", checked / drySeconds);
    figures.put("wouldMove", dry.getLong("recordsMoved"));
    System.out.printf("  %,d golden records in %.1f s (%,.0f/s), %,d records would move%n", checked, drySeconds,
        checked / drySeconds, dry.getLong("recordsMoved"));
    System.out.println("Re-match: apply, with single submissions meanwhile");
    long t1 = System.nanoTime();
    load.admin("/links/rematch", new io.vertx.core.json.JsonObject().put("apply", true));
    List<SyntheticPatients.Record> meanwhile = generator.next(during);
    figures.put("submissionsDuringApply", phase("single submissions during the apply", load, server, during,
        clients, i -> load.submit(meanwhile.get(i)), (i, id) -> {
          persons.add(Long.toString(meanwhile.get(i).person()));
          goldens.add(id);
        }));
    io.vertx.core.json.JsonObject status = load.admin("/links/rematch", null);
    while ("running".equals(status.getString("state"))) {
      Thread.sleep(200);
      status = load.admin("/links/rematch", null);
    }
    double applySeconds = (System.nanoTime() - t1) / 1e9;
    figures.put("applyState", status.getString("state"));
    figures.put("applySeconds", applySeconds);
    figures.put("applyGoldenRecordsPerSecond", status.getLong("goldenRecords", 0L) / applySeconds);
    figures.put("moved", status.getLong("recordsMoved", 0L));
    System.out.printf("  applied (%s) in %.1f s, %,d records moved%n", status.getString("state"), applySeconds,
        status.getLong("recordsMoved", 0L));
    return figures;
  }

  /** Batch Bundles of one client's records at a time, a few in flight. */
  private static Map<String, Object> bulk(LoadRunner load, ServerProcess server, SyntheticPatients generator,
                                          int preload, int bundleSize, int inFlight, List<String> persons,
                                          List<String> goldens) {
    System.out.printf("Bulk load: %,d records in Bundles of %d%n", preload, bundleSize);
    List<List<SyntheticPatients.Record>> bundles = new ArrayList<>();
    Map<String, List<SyntheticPatients.Record>> open = new LinkedHashMap<>();
    for (int i = 0; i < preload; i++) {
      SyntheticPatients.Record r = generator.next();
      List<SyntheticPatients.Record> b = open.computeIfAbsent(r.client(), k -> new ArrayList<>());
      b.add(r);
      if (b.size() == bundleSize) {
        bundles.add(b);
        open.remove(r.client());
      }
    }
    bundles.addAll(open.values());
    Map<String, Object> figures = phase("bundles", load, server, bundles.size(), inFlight,
        i -> load.submitBatch(bundles.get(i).get(0).client(), bundles.get(i)), (i, ids) -> {
          List<SyntheticPatients.Record> b = bundles.get(i);
          for (int k = 0; k < b.size(); k++) {
            persons.add(Long.toString(b.get(k).person()));
            goldens.add(ids == null ? null : ids.get(k));
          }
        });
    double seconds = (double) figures.get("seconds");
    figures.put("recordsPerSecond", preload / seconds);
    return figures;
  }

  interface Sink<T> {
    void accept(int index, T result);
  }

  /** One measured phase: throughput, latency percentiles, server CPU (cores busy) and load average. */
  private static <T> Map<String, Object> phase(String label, LoadRunner load, ServerProcess server, int n,
                                               int inFlight, java.util.function.IntFunction<Future<T>> request,
                                               Sink<T> sink) {
    System.out.printf("%s: %,d requests, %d in flight%n", label, n, inFlight);
    Latencies latencies = new Latencies();
    double cpu0 = server.cpuSeconds();
    long t0 = System.nanoTime();
    List<T> results = load.run(label, n, inFlight, request, latencies);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = server.cpuSeconds() - cpu0;
    long failed = results.stream().filter(r -> r == null).count();
    if (sink != null) {
      for (int i = 0; i < results.size(); i++) {
        sink.accept(i, results.get(i));
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("requests", n);
    figures.put("failed", failed);
    figures.put("seconds", seconds);
    figures.put("perSecond", n / seconds);
    figures.putAll(latencies.summary());
    figures.put("serverCpuCores", cpu < 0 ? -1 : cpu / seconds);
    figures.put("loadAverage", loadAverage());
    System.out.printf("  %s: %.0f/s, p50 %.1f ms, p99 %.1f ms, server CPU %.2f cores%n", label, n / seconds,
        figures.get("p50Ms"), figures.get("p99Ms"), cpu / seconds);
    return figures;
  }

  static String size(long n) {
    return n >= 1_000_000 && n % 1_000_000 == 0 ? n / 1_000_000 + "M" : n >= 1000 && n % 1000 == 0 ? n / 1000 + "k"
        : Long.toString(n);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
