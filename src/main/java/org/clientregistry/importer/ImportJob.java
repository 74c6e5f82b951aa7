package org.clientregistry.importer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongConsumer;
import org.clientregistry.importer.Outcomes.Outcome;

/**
 * Loads a file into a running registry: reads it on the calling thread (never an event loop), posts batch
 * Bundles with two in flight, and records each answered batch in the report and then the state file, in input
 * order. A failed run stops after the last batch it could record; the same command later goes on from there.
 */
public final class ImportJob {
  /** Batches in flight: one read and sent while the registry answers the other. */
  private static final int WINDOW = 2;
  private static final int RETRIES_WHEN_BUSY = 10;

  /** What to import, where to, and where its report and state go. */
  public record Settings(Path file, Readers.Format format, Path mapping, String idSystem, String client, URI url,
                         Path certificates, int batchSize, Path report, Path state, boolean restart) {}

  /** Thrown when the registry cannot take the import on (not a single record's refusal). */
  static final class Stopped extends Exception {
    Stopped(String message) {
      super(message);
    }
  }

  private record Batch(List<ImportRow> rows, Future<HttpResponse<Buffer>> answer) {}

  private final Settings s;
  private final PrintStream out;
  private final LongConsumer afterBatch;

  /** @param afterBatch told the rows done after each recorded batch (tests interrupt an import with it) */
  public ImportJob(Settings settings, PrintStream out, LongConsumer afterBatch) {
    this.s = settings;
    this.out = out;
    this.afterBatch = afterBatch;
  }

  /** Runs the import; true when every record has its line in the report. */
  public boolean run() throws IOException {
    String input = ImportState.describe(s.file(), s.client());
    ImportState state = s.restart() ? null : ImportState.resume(s.state(), input);
    if (state == null) {
      state = ImportState.fresh(s.state(), input);
    } else if (state.complete) {
      out.println("Already imported: " + state.counts + " (" + s.state() + "); --restart imports it again. Report: "
          + s.report());
      return true;
    } else if (state.rowsDone > 0) {
      out.println("Resuming after record " + state.rowsDone + " (saved in " + s.state() + ")");
    }
    long total = Readers.count(s.format(), s.file(), s.mapping(), s.idSystem());
    Progress progress = new Progress(out, total, state.rowsDone);
    Vertx vertx = Vertx.vertx();
    try (RowReader reader = Readers.open(s.format(), s.file(), s.mapping(), s.idSystem());
         ImportReport report = ImportReport.open(s.report(), state.rowsDone);
         RegistryUpload upload = new RegistryUpload(vertx, s.url(), s.certificates(), s.client())) {
      for (long i = 0; i < state.rowsDone && reader.next() != null; i++) {
        // skipped: recorded by an earlier run
      }
      Deque<Batch> inFlight = new ArrayDeque<>();
      List<ImportRow> rows;
      while (!(rows = read(reader)).isEmpty()) {
        inFlight.add(send(upload, rows));
        if (inFlight.size() >= WINDOW) {
          record(inFlight.poll(), upload, report, state, progress);
        }
      }
      while (!inFlight.isEmpty()) {
        record(inFlight.poll(), upload, report, state, progress);
      }
      state.save(true);
      progress.finish(state.rowsDone);
      out.println("Done: " + state.counts + ". Report: " + s.report());
      return true;
    } catch (Stopped e) {
      progress.finish(state.rowsDone);
      out.println("Stopped after record " + state.rowsDone + ": " + e.getMessage());
      out.println("Run the same command again to go on from there. Report so far: " + s.report());
      return false;
    } finally {
      vertx.close().await();
    }
  }

  private List<ImportRow> read(RowReader reader) throws IOException {
    List<ImportRow> rows = new ArrayList<>(s.batchSize());
    ImportRow row;
    while (rows.size() < s.batchSize() && (row = reader.next()) != null) {
      rows.add(row);
    }
    return rows;
  }

  private static Batch send(RegistryUpload upload, List<ImportRow> rows) {
    List<ImportRow> sendable = rows.stream().filter(r -> r.patient() != null).toList();
    return new Batch(rows, sendable.isEmpty() ? Future.succeededFuture() : upload.post(sendable));
  }

  /** Writes the batch's report lines, then the state that counts them. */
  private void record(Batch batch, RegistryUpload upload, ImportReport report, ImportState state, Progress progress)
      throws IOException, Stopped {
    List<ImportRow> sendable = batch.rows().stream().filter(r -> r.patient() != null).toList();
    List<Outcome> outcomes = sendable.isEmpty() ? List.of() : outcomes(sendable, batch.answer(), upload);
    int next = 0;
    for (ImportRow row : batch.rows()) {
      Outcome o = row.patient() == null ? Outcome.refused(row.refusal()) : outcomes.get(next++);
      report.line(row.row(), o.outcome(), o.cruid(), o.reason());
      state.count(o.outcome());
    }
    report.flush();
    state.rowsDone = batch.rows().get(batch.rows().size() - 1).row();
    state.save(false);
    progress.update(state.rowsDone);
    afterBatch.accept(state.rowsDone);
  }

  /** One outcome per sent row. A Bundle refused whole (one entry that does not parse) is sent again row by row. */
  private List<Outcome> outcomes(List<ImportRow> rows, Future<HttpResponse<Buffer>> answer, RegistryUpload upload)
      throws Stopped {
    HttpResponse<Buffer> response = await(answer, rows, upload);
    if (response.statusCode() == 200) {
      List<Outcome> outcomes = Outcomes.ofBatch(response.body());
      if (outcomes.size() != rows.size()) {
        throw new Stopped("the registry answered " + outcomes.size() + " entries for " + rows.size());
      }
      return outcomes;
    }
    if (response.statusCode() == 400 || response.statusCode() == 422) {
      if (rows.size() == 1) {
        return List.of(Outcome.refused(response.statusCode() + ": " + Outcomes.reason(response.body())));
      }
      List<Outcome> each = new ArrayList<>();
      for (ImportRow row : rows) {
        each.addAll(outcomes(List.of(row), upload.post(List.of(row)), upload));
      }
      return each;
    }
    throw new Stopped("the registry answered " + response.statusCode() + ": " + Outcomes.reason(response.body()));
  }

  /** The answer; a busy registry (503) is asked again after the wait it names. */
  private static HttpResponse<Buffer> await(Future<HttpResponse<Buffer>> answer, List<ImportRow> rows,
                                            RegistryUpload upload) throws Stopped {
    try {
      HttpResponse<Buffer> response = answer.await();
      for (int tries = 0; response.statusCode() == 503 && tries < RETRIES_WHEN_BUSY; tries++) {
        Thread.sleep(retryAfterMillis(response.getHeader("Retry-After")));
        response = upload.post(rows).await();
      }
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped("interrupted");
    } catch (Exception e) {
      throw new Stopped("cannot reach the registry (" + e.getMessage() + ")");
    }
  }

  private static long retryAfterMillis(String header) {
    try {
      return Math.min(30, Math.max(1, Long.parseLong(header == null ? "2" : header.trim()))) * 1000;
    } catch (NumberFormatException e) {
      return 2000;
    }
  }
}
