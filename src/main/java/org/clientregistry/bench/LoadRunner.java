package org.clientregistry.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.clientregistry.api.BundleRoutes;

/**
 * The load generator: HTTPS clients presenting the example clients' certificates (as the EMRs would), running a
 * list of requests with a fixed number in flight (each finished request starts the next), timing each.
 */
final class LoadRunner implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, WebClient> clients = new HashMap<>();
  private final Path certificates;
  private final int port;

  LoadRunner(Path certificates, int port) {
    this.certificates = certificates;
    this.port = port;
  }

  Vertx vertx() {
    return vertx;
  }

  Path certificates() {
    return certificates;
  }

  private synchronized WebClient client(String id) {
    return clients.computeIfAbsent(id, k -> WebClient.create(vertx, new WebClientOptions()
        .setSsl(true).setSslEngineOptions(org.clientregistry.security.TlsServerOptions.engine()).setDefaultHost("localhost").setDefaultPort(port).setKeepAlive(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certificates.resolve("ca.crt").toString()))
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(certificates.resolve("clients/" + k + ".crt").toString())
            .setKeyPath(certificates.resolve("clients/" + k + ".key").toString())),
        new PoolOptions().setHttp1MaxSize(64)));
  }

  /** Runs requests 0..n-1 with {@code inFlight} at a time; returns each one's result (null when it failed). */
  <T> List<T> run(String label, int n, int inFlight, IntFunction<Future<T>> request, Latencies latencies) {
    Object[] results = new Object[n];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicLong failures = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long started = System.nanoTime();
    long progress = vertx.setPeriodic(5_000, t -> System.out.printf("  %s: %,d of %,d (%.0f/s)%n", label,
        next.get(), n, next.get() / ((System.nanoTime() - started) / 1e9)));
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        if (running.decrementAndGet() == 0) {
          done.complete(null);
        }
        return;
      }
      long t0 = System.nanoTime();
      Future<T> f;
      try {
        f = request.apply(i);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        latencies.add(System.nanoTime() - t0);
        if (ar.succeeded()) {
          results[i] = ar.result();
        } else if (failures.incrementAndGet() <= 5) {
          System.out.println("  " + label + " request " + i + " failed: " + ar.cause().getMessage());
        }
        loop[0].run();
      });
    };
    int loops = Math.min(inFlight, n);
    running.set(loops);
    if (loops == 0) {
      done.complete(null);
    }
    vertx.runOnContext(v -> {
      for (int k = 0; k < loops; k++) {
        loop[0].run();
      }
    });
    done.join();
    vertx.cancelTimer(progress);
    if (failures.get() > 0) {
      System.out.println("  " + label + ": " + failures.get() + " requests failed");
    }
    @SuppressWarnings("unchecked")
    List<T> out = (List<T>) java.util.Arrays.asList(results);
    return out;
  }

  /** POST /fhir/Patient; the golden record's id (CRUID) from LocationCRUID. */
  Future<String> submit(SyntheticPatients.Record r) {
    return client(r.client()).post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(r.patient().toBuffer()).map(res -> cruid(res, 201, 200).getHeader("LocationCRUID")
            .substring("Patient/".length()));
  }

  /** POST /fhir with a batch Bundle of one client's records; the CRUID of each entry (null where one failed). */
  Future<List<String>> submitBatch(String clientId, List<SyntheticPatients.Record> records) {
    JsonArray entries = new JsonArray();
    records.forEach(r -> entries.add(new JsonObject().put("resource", r.patient())
        .put("request", new JsonObject().put("method", "POST").put("url", "Patient"))));
    JsonObject bundle = new JsonObject().put("resourceType", "Bundle").put("type", "batch").put("entry", entries);
    return client(clientId).post("/fhir").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(bundle.toBuffer()).map(res -> {
          JsonArray out = cruid(res, 200).bodyAsJsonObject().getJsonArray("entry");
          List<String> ids = new java.util.ArrayList<>(out.size());
          for (int i = 0; i < out.size(); i++) {
            String id = null;
            JsonArray ext = out.getJsonObject(i).getJsonObject("response").getJsonArray("extension");
            for (int k = 0; ext != null && k < ext.size(); k++) {
              if (BundleRoutes.CRUID_EXTENSION.equals(ext.getJsonObject(k).getString("url"))) {
                id = ext.getJsonObject(k).getJsonObject("valueReference").getString("reference")
                    .substring("Patient/".length());
              }
            }
            ids.add(id);
          }
          return ids;
        });
  }

  /** GET $ihe-pix for one record's internal identifier. */
  Future<Integer> pix(SyntheticPatients.Record r) {
    return client(r.client()).get("/fhir/Patient/$ihe-pix")
        .addQueryParam("sourceIdentifier", "http://clientregistry.org/" + r.client() + "|" + r.internalId())
        .send().map(res -> cruid(res, 200).statusCode());
  }

  /** POST $match with a record's Patient. */
  Future<Integer> match(SyntheticPatients.Record r) {
    JsonObject parameters = new JsonObject().put("resourceType", "Parameters").put("parameter", new JsonArray()
        .add(new JsonObject().put("name", "resource").put("resource", r.patient()))
        .add(new JsonObject().put("name", "count").put("valueInteger", 5)));
    return client(r.client()).post("/fhir/Patient/$match").putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(parameters.toBuffer()).map(res -> cruid(res, 200).statusCode());
  }

  /** One page of the review queue (20 items, each compared again and read side by side); its total. */
  Future<Long> reviewPage(int offset) {
    return client("admin").get("/review").addQueryParam("_count", "20").addQueryParam("_offset",
        Integer.toString(offset)).send().map(res -> cruid(res, 200).bodyAsJsonObject().getLong("total"));
  }

  /** A call to the admin API with a JSON body (null: GET); the JSON answer. */
  JsonObject admin(String path, JsonObject body) {
    var request = body == null ? client("admin").get(path) : client("admin").post(path);
    HttpResponse<Buffer> res = (body == null ? request.send() : request.sendJsonObject(body)).await();
    return cruid(res, 200, 202).bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> cruid(HttpResponse<Buffer> res, int... ok) {
    for (int s : ok) {
      if (res.statusCode() == s) {
        return res;
      }
    }
    throw new IllegalStateException("HTTP " + res.statusCode());
  }

  @Override
  public void close() {
    clients.values().forEach(WebClient::close);
    vertx.close().await();
  }
}
