package org.clientregistry.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.tools.EvaluateCommand;

/**
 * {@code rematch}: asks a running registry to re-check every automatic link under the rules in force, through its
 * admin API (the registry keeps serving meanwhile). A dry run by default; {@code --apply} applies and follows the
 * progress until done. Exit 0 when done, 1 when the registry refused or the run failed.
 */
public final class RematchCommand {
  static final String USAGE = """
      usage: rematch [--apply] [--url https://localhost:3000] [--certificates certificates] [--client admin]
        Re-evaluates every automatic link under the decision rules in force, in a running registry.
        Without --apply: a dry run that reports what would change and writes nothing.
        With --apply: applies in batches (resumes where an interrupted run stopped) and shows progress.
        --client names an admin client whose certificate is in <certificates>/clients/.""";

  private RematchCommand() {}

  public static void main(String[] args) throws Exception {
    boolean apply = java.util.Arrays.asList(args).contains("--apply");
    Map<String, String> o = EvaluateCommand.options(java.util.Arrays.stream(args).filter(a -> !a.equals("--apply"))
        .toArray(String[]::new), USAGE);
    URI url = URI.create(o.getOrDefault("url", "https://localhost:3000"));
    Path certs = Path.of(o.getOrDefault("certificates", "certificates"));
    String client = o.getOrDefault("client", "admin");
    Vertx vertx = Vertx.vertx();
    try {
      WebClient web = WebClient.create(vertx, new WebClientOptions().setSsl(true)
          .setDefaultHost(url.getHost()).setDefaultPort(url.getPort() < 0 ? 443 : url.getPort())
          .setTrustOptions(new PemTrustOptions().addCertPath(certs.resolve("ca.crt").toString()))
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve("clients/" + client + ".crt").toString())
              .setKeyPath(certs.resolve("clients/" + client + ".key").toString())));
      HttpResponse<Buffer> started = web.post("/links/rematch")
          .sendJsonObject(new JsonObject().put("apply", apply)).await();
      if (started.statusCode() >= 300) {
        System.err.println("The registry refused (" + started.statusCode() + "): " + started.bodyAsString());
        System.exit(1);
      }
      JsonObject report = started.bodyAsJsonObject();
      while (apply && "running".equals(report.getString("state"))) {
        System.out.printf("\r%,d golden records checked, %,d records moved, %,d review items   ",
            report.getLong("goldenRecords", 0L), report.getLong("recordsMoved", 0L),
            report.getLong("reviewItems", 0L));
        Thread.sleep(1000);
        report = web.get("/links/rematch").send().await().bodyAsJsonObject();
      }
      System.out.println();
      System.out.println((apply ? "Applied: " : "Dry run (nothing written): ") + report.encodePrettily());
      if ("failed".equals(report.getString("state"))) {
        System.exit(1);
      }
    } finally {
      vertx.close();
    }
  }
}
