package org.clientregistry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The registry under test as its own JVM (the same jar or classpath), so that its CPU time and heap are measured
 * apart from the load generator's. Started on a free port with a data and certificates directory of the bench's.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern HEAP = Pattern.compile("(?m)^cr_jvm_heap_used_bytes ([0-9.eE+]+)$");
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private final int port;
  private final HttpClient http;
  private Process process;
  private int starts;

  /** @param jvmArgs extra JVM options for the server (a profiler, say), space-separated; may be empty */
  ServerProcess(Path dir, int port, String heap, String jvmArgs, Map<String, String> extraEnv) {
    this.port = port;
    this.log = dir.resolve("server.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx" + heap, "-Xms" + heap, "-XX:+UseParallelGC"));
    if (!jvmArgs.isBlank()) {
      cmd.addAll(List.of(jvmArgs.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.clientregistry.Main"));
    this.command = List.copyOf(cmd);
    this.env = new java.util.HashMap<>(Map.of(
        "CR_SERVER_PORT", Integer.toString(port),
        "CR_STORE_DATA_DIR", dir.resolve("data").toString(),
        "CR_TLS_CERTIFICATES_DIR", dir.resolve("certificates").toString(),
        "CR_MATCHING_WATCH_RULES_SECONDS", "0",
        "CR_ACCESS_LOG_LEVEL", "WARN",
        // /ready is polled without a client certificate, which a required one would refuse at the handshake.
        "CR_SERVER_CLIENT_CERTIFICATE", "requested"));
    this.env.putAll(extraEnv);
    this.http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** Starts the server and waits for /ready; returns the milliseconds it took. */
  long start(Duration timeout) throws IOException, InterruptedException {
    starts++;
    // "{start}" in the JVM options becomes 1, 2, ...: one profile file per server start
    List<String> cmd = command.stream().map(a -> a.replace("{start}", Integer.toString(starts))).toList();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    long started = System.nanoTime();
    process = pb.start();
    long deadline = started + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the registry exited with " + process.exitValue() + "; see " + log);
      }
      if (status("/ready") == 200) {
        return (System.nanoTime() - started) / 1_000_000;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the registry was not ready within " + timeout + "; see " + log);
  }

  private int status(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  long pid() {
    return process.pid();
  }

  /** CPU seconds (user + system) the server used so far, from /proc (Linux); -1 elsewhere. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks / 100.0; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Heap in use after a full collection (jcmd GC.run, then the server's own gauge). */
  long heapAfterGc() throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process gc = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
    gc.getInputStream().readAllBytes();
    gc.waitFor(60, TimeUnit.SECONDS);
    Thread.sleep(500);
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = HEAP.matcher(metrics.body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  /** The blocking index's candidate searches so far: lookups, candidates per lookup, lookups cut by the cap. */
  Map<String, Object> candidateStatistics() throws IOException, InterruptedException {
    String body = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double lookups = metric(body, "cr_candidate_lookups_total");
    double candidates = metric(body, "cr_candidates_total");
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("lookups", (long) lookups);
    out.put("candidatesPerLookup", lookups == 0 ? 0 : candidates / lookups);
    out.put("capped", (long) metric(body, "cr_candidate_lookups_capped_total"));
    return out;
  }

  private static double metric(String prometheus, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(prometheus);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /**
   * SIGTERM and wait: the registry drains, keeps its index on disk and closes its store. Returns the milliseconds
   * the stop took.
   */
  long stop() throws InterruptedException {
    long started = System.nanoTime();
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** SIGKILL, as a crash would: nothing is kept, the next start rebuilds the index from the store. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** One of the server's gauges or counters, now (-1 when it has none of that name). */
  double metric(String name) throws IOException, InterruptedException {
    return metric(http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body(), name);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static SSLContext trustAll() {
    try {
      TrustManager[] all = {new X509TrustManager() {
        public void checkClientTrusted(X509Certificate[] c, String a) {}

        public void checkServerTrusted(X509Certificate[] c, String a) {}

        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }};
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, all, new SecureRandom());
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
