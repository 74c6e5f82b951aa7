package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clientregistry.Patients;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenCR's own labelled set (5,000 records, 1,000 duplicates), submitted over HTTPS in batch bundles with the
 * shipped default rules: the obvious duplicates must link and different people must stay apart.
 */
class UgandaDatasetTest {
  static final Path DATA = Path.of("src", "test", "resources", "datasets", "opencr-uganda", "uganda_data_v21_20201501.csv");
  static final int BATCH = 1000; // large bundles must work

  @TempDir
  Path dir;

  @Test
  void defaultRulesLinkTheDuplicatesAndKeepPeopleApart() throws Exception {
    assertTrue(Files.exists(DATA), "the labelled data set is missing: " + DATA.toAbsolutePath()
        + " (it ships in src/test/resources/datasets)");
    List<String[]> rows = readCsv(DATA);
    Map<String, String> cruidByRecord = new HashMap<>();
    try (TestRegistry registry = new TestRegistry(dir, storeEnv()).start()) {
      for (int from = 0; from < rows.size(); from += BATCH) {
        JsonArray entries = new JsonArray();
        List<String> ids = new ArrayList<>();
        for (String[] row : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
          ids.add(row[0]);
          entries.add(new JsonObject().put("resource", toPatient(row))
              .put("request", new JsonObject().put("method", "POST").put("url", "Patient")));
        }
        HttpResponse<Buffer> r = registry.post("openmrs", "/fhir", new JsonObject().put("resourceType", "Bundle")
            .put("type", "batch").put("entry", entries));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonArray out = r.bodyAsJsonObject().getJsonArray("entry");
        for (int i = 0; i < ids.size(); i++) {
          JsonObject response = out.getJsonObject(i).getJsonObject("response");
          assertEquals("201 Created", response.getString("status"), response.encode());
          cruidByRecord.put(ids.get(i), response.getJsonArray("extension").getJsonObject(0)
              .getJsonObject("valueReference").getString("reference"));
        }
      }
    }
    long truePositive = 0;
    long predicted = 0;
    long actual = 0;
    List<String> ids = new ArrayList<>(cruidByRecord.keySet());
    for (int i = 0; i < ids.size(); i++) {
      for (int j = i + 1; j < ids.size(); j++) {
        boolean same = entity(ids.get(i)).equals(entity(ids.get(j)));
        boolean linked = cruidByRecord.get(ids.get(i)).equals(cruidByRecord.get(ids.get(j)));
        actual += same ? 1 : 0;
        predicted += linked ? 1 : 0;
        truePositive += same && linked ? 1 : 0;
      }
    }
    double precision = predicted == 0 ? 0 : (double) truePositive / predicted;
    double recall = (double) truePositive / actual;
    System.out.printf("Uganda set (%s): %d true pairs, %d linked pairs, precision %.4f, recall %.4f%n",
        getClass().getSimpleName(), actual, predicted, precision, recall);
    assertEquals(1000, actual);
    assertTrue(precision >= 0.995, "precision " + precision);
    assertTrue(recall >= 0.95, "recall " + recall);
  }

  /** The store's settings: none for the embedded store. */
  Map<String, String> storeEnv() {
    return Map.of();
  }

  static String entity(String recId) {
    return recId.substring(0, recId.indexOf('-', 4));
  }

  static List<String[]> readCsv(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      for (int i = 0; i < cells.length; i++) {
        cells[i] = cells[i].trim();
      }
      rows.add(cells);
    }
    return rows;
  }

  /** rec_id, sex, date_of_birth, given_name, surname, phone_number, uganda_nin, art_number. */
  static JsonObject toPatient(String[] row) {
    String gender = switch (row[1]) {
      case "f" -> "female";
      case "m" -> "male";
      default -> null;
    };
    JsonObject p = Patients.patient("openmrs", row[0], blankToNull(row[3]), blankToNull(row[4]), gender,
        isoDate(row[2]), blankToNull(row[5]), blankToNull(row[6]));
    if (!row[7].isBlank()) {
      p.getJsonArray("identifier").add(new JsonObject().put("system", "http://clientregistry.org/art-number")
          .put("value", row[7]));
    }
    return p;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** YYYYMMDD to an ISO date; a malformed date (the data has typos such as l9770220) is left out. */
  static String isoDate(String yyyymmdd) {
    try {
      return LocalDate.parse(yyyymmdd, DateTimeFormatter.BASIC_ISO_DATE).toString();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
