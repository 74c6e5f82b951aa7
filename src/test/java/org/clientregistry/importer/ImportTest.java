package org.clientregistry.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.clientregistry.TestRegistry;
import org.clientregistry.bench.SyntheticPatients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import} into a real registry over HTTPS: refusals with their reasons, an interruption and its resume. */
class ImportTest {
  private static final String OPENMRS = "http://clientregistry.org/openmrs";
  @TempDir Path dir;
  private TestRegistry registry;

  @BeforeEach
  void start() {
    registry = new TestRegistry(dir.resolve("registry")).start();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private ImportJob.Settings settings(Path file, Readers.Format format, Path mapping, int batch) {
    return new ImportJob.Settings(file, format, mapping, OPENMRS, "openmrs",
        URI.create("https://localhost:" + registry.port), registry.certificates(), batch,
        dir.resolve("report.csv"), dir.resolve("state.json"), false);
  }

  private boolean run(ImportJob.Settings settings, ByteArrayOutputStream out, LongConsumer afterBatch)
      throws IOException {
    return new ImportJob(settings, new PrintStream(out, true, StandardCharsets.UTF_8), afterBatch).run();
  }

  private List<CSVRecord> report() throws IOException {
    try (CSVParser p = CSVParser.builder().setPath(dir.resolve("report.csv")).setFormat(CSVFormat.DEFAULT.builder()
        .setHeader().setSkipHeaderRecord(true).get()).get()) {
      return p.getRecords();
    }
  }

  @Test
  void aCsvWithBadRowsReportsEachRowsOutcomeAndReason() throws Exception {
    Path mapping = dir.resolve("mapping.json");
    Files.writeString(mapping, """
        { "idColumn": "id",
          "columns": { "first": "given", "last": "family", "dob": { "to": "birthDate", "format": "dd/MM/yyyy" },
                       "sex": { "to": "gender", "values": { "F": "female", "M": "male" } }, "phone": "phone" } }""");
    Path csv = dir.resolve("patients.csv");
    Files.writeString(csv, """
        \uFEFFid,first,last,dob,sex,phone
        OM-1,Jane,Nakato,12/04/1990,F,+256 772 123456
        OM-2,Jane,Nakato,12/04/1990,F,0772123456
        ,Peter,Okello,01/01/1980,M,
        OM-4,Ruth,Banda,31/02/1985,F,
        OM-5,Moses,Phiri,03/03/1970,X,
        OM-6,"Okello, Jr",Peter,01/01/1980,M,
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(run(settings(csv, Readers.Format.CSV, mapping, 100), out, n -> { }), out.toString());
    List<CSVRecord> rows = report();
    assertEquals(6, rows.size());
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), rows.stream().map(r -> r.get("row")).toList());
    // The same person twice, the phone written differently: one makes the golden record, the other joins it
    // (a batch's entries run side by side, so either may come first).
    assertEquals(java.util.Set.of("created", "linked"), java.util.Set.of(rows.get(0).get("outcome"),
        rows.get(1).get("outcome")));
    assertEquals(rows.get(0).get("cruid"), rows.get(1).get("cruid"));
    assertFalse(rows.get(0).get("cruid").isEmpty());
    assertEquals("refused", rows.get(2).get("outcome"));
    assertTrue(rows.get(2).get("reason").contains("no value in the id column 'id'"), rows.get(2).get("reason"));
    assertEquals("refused", rows.get(3).get("outcome"));
    assertTrue(rows.get(3).get("reason").contains("dob: '31/02/1985' is not a date"), rows.get(3).get("reason"));
    assertTrue(rows.get(4).get("reason").contains("sex: 'X' is not one of"), rows.get(4).get("reason"));
    assertEquals("created", rows.get(5).get("outcome"), "a quoted cell with a comma");
    assertTrue(out.toString().contains("6 / 6 records (100%)"), out.toString());
    assertTrue(ImportState.complete(dir.resolve("state.json")));
  }

  @Test
  void recordsTheRegistryRefusesAreReportedOneByOne() throws Exception {
    Path ndjson = dir.resolve("patients.ndjson");
    Files.writeString(ndjson, String.join("\n",
        patient("OM-10", "Grace", "Achieng").encode(),
        "{ not json",
        patient("OM-12", "Paul", "Mwangi").put("gender", "robot").encode(),
        new JsonObject().put("resourceType", "Observation").encode(),
        patient("OM-14", "Alice", "Kamau").put("identifier", new io.vertx.core.json.JsonArray()).encode(),
        patient("OM-15", "Isaac", "Moyo").encode()) + "\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(run(settings(ndjson, Readers.Format.NDJSON, null, 10), out, n -> { }), out.toString());
    List<CSVRecord> rows = report();
    assertEquals(List.of("created", "refused", "refused", "refused", "refused", "created"),
        rows.stream().map(r -> r.get("outcome")).toList());
    assertEquals("not a JSON object", rows.get(1).get("reason"));
    assertTrue(rows.get(2).get("reason").startsWith("400"), "the registry's strict parse: " + rows.get(2));
    assertTrue(rows.get(3).get("reason").contains("not a Patient"), rows.get(3).get("reason"));
    assertTrue(rows.get(4).get("reason").startsWith("400"), "no internal identifier: " + rows.get(4));
  }

  @Test
  void anInterruptedImportGoesOnWhereItStopped() throws Exception {
    Path ndjson = dir.resolve("synthetic.ndjson");
    List<String> lines = new ArrayList<>();
    SyntheticPatients generator = new SyntheticPatients(11, 0.3);
    while (lines.size() < 300) {
      SyntheticPatients.Record r = generator.next();
      if (r.client().equals("openmrs")) {
        lines.add(r.patient().encode());
      }
    }
    Files.write(ndjson, lines);
    ImportJob.Settings settings = settings(ndjson, Readers.Format.NDJSON, null, 20);

    // The registry goes away after the first batch is recorded: the import stops, keeping what it recorded.
    AtomicBoolean stopped = new AtomicBoolean();
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    assertFalse(run(settings, first, done -> {
      if (stopped.compareAndSet(false, true)) {
        registry.stop();
      }
    }), first.toString());
    assertTrue(first.toString().contains("Run the same command again"), first.toString());
    long done = new JsonObject(Files.readString(dir.resolve("state.json"))).getLong("rowsDone");
    assertTrue(done >= 20 && done < 300, "stopped part way: " + done);
    assertEquals(done, report().size(), "the report holds exactly the recorded rows");

    registry.start();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    assertTrue(run(settings, second, n -> { }), second.toString());
    assertTrue(second.toString().contains("Resuming after record " + done), second.toString());
    List<CSVRecord> rows = report();
    assertEquals(300, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(Integer.toString(i + 1), rows.get(i).get("row"), "each row once, in order");
      assertFalse(rows.get(i).get("outcome").equals("refused"), rows.get(i).toString());
    }
    JsonObject state = new JsonObject(Files.readString(dir.resolve("state.json")));
    assertTrue(state.getBoolean("complete"));
    assertEquals(300L, state.getJsonObject("counts").stream().mapToLong(e -> ((Number) e.getValue()).longValue())
        .sum());

    // Run once more: nothing is left to do, and nothing is sent twice.
    ByteArrayOutputStream third = new ByteArrayOutputStream();
    assertTrue(run(settings, third, n -> { }), third.toString());
    assertTrue(third.toString().contains("Already imported"), third.toString());
    assertEquals(300, report().size());
  }

  private static JsonObject patient(String id, String given, String family) {
    return new JsonObject().put("resourceType", "Patient")
        .put("identifier", new io.vertx.core.json.JsonArray().add(new JsonObject().put("system", OPENMRS)
            .put("value", id)))
        .put("name", new io.vertx.core.json.JsonArray().add(new JsonObject().put("family", family)
            .put("given", new io.vertx.core.json.JsonArray().add(given))))
        .put("gender", "female").put("birthDate", "1985-05-05");
  }
}
