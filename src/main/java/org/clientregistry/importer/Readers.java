package org.clientregistry.importer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Opens an input file by its format: CSV with a column mapping, NDJSON of Patients, or a FHIR Bundle. */
public final class Readers {
  public enum Format { CSV, NDJSON, BUNDLE }

  private Readers() {}

  /** The format the file's name says: .csv, .ndjson (or .jsonl), else a JSON Bundle. */
  public static Format guess(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".csv") ? Format.CSV : name.endsWith(".ndjson") || name.endsWith(".jsonl") ? Format.NDJSON
        : Format.BUNDLE;
  }

  /** @param mapping and idSystem: CSV only */
  static RowReader open(Format format, Path file, Path mapping, String idSystem) throws IOException {
    return switch (format) {
      case CSV -> csv(file, ColumnMapping.read(mapping), idSystem);
      case NDJSON -> ndjson(file);
      case BUNDLE -> bundle(file);
    };
  }

  /** How many records the file holds (one pass), for the progress line's ETA. */
  static long count(Format format, Path file, Path mapping, String idSystem) throws IOException {
    if (format == Format.NDJSON) {
      try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
        return lines.filter(l -> !l.isBlank()).count();
      }
    }
    long n = 0;
    try (RowReader r = open(format, file, mapping, idSystem)) {
      while (r.next() != null) {
        n++;
      }
    }
    return n;
  }

  private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
      .setTrim(true).setIgnoreEmptyLines(true).get();

  private static RowReader csv(Path file, ColumnMapping mapping, String idSystem) throws IOException {
    CSVParser parser = CSVParser.builder().setPath(file).setCharset(StandardCharsets.UTF_8).setFormat(CSV).get();
    Iterator<CSVRecord> records = parser.iterator();
    return new RowReader() {
      private long row;

      @Override
      public ImportRow next() {
        if (!records.hasNext()) {
          return null;
        }
        CSVRecord record = records.next();
        Map<String, String> cells = new LinkedHashMap<>();
        // A byte-order mark that spreadsheet programs write sticks to the first header name.
        record.toMap().forEach((k, v) -> cells.put(k.replace("\uFEFF", ""), v));
        return mapping.patient(++row, cells, idSystem);
      }

      @Override
      public void close() throws IOException {
        parser.close();
      }
    };
  }

  private static RowReader ndjson(Path file) throws IOException {
    BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    return new RowReader() {
      private long row;

      @Override
      public ImportRow next() throws IOException {
        String line;
        do {
          line = in.readLine();
        } while (line != null && line.isBlank());
        return line == null ? null : patient(++row, line);
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  private static ImportRow patient(long row, String json) {
    try {
      JsonObject resource = new JsonObject(json);
      return "Patient".equals(resource.getString("resourceType")) ? ImportRow.of(row, resource)
          : ImportRow.refused(row, "not a Patient (resourceType " + resource.getValue("resourceType") + ")");
    } catch (DecodeException | ClassCastException e) {
      return ImportRow.refused(row, "not a JSON object");
    }
  }

  /** A Bundle's entries (or a lone Patient); the file is read whole, as a Bundle is one JSON document. */
  private static RowReader bundle(Path file) throws IOException {
    JsonObject root;
    try {
      root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IOException(file + " is not a JSON object (a Bundle or a Patient)");
    }
    JsonArray entries = "Bundle".equals(root.getString("resourceType")) ? root.getJsonArray("entry", new JsonArray())
        : new JsonArray().add(new JsonObject().put("resource", root));
    return new RowReader() {
      private int next;

      @Override
      public ImportRow next() {
        if (next >= entries.size()) {
          return null;
        }
        Object entry = entries.getValue(next++);
        Object resource = entry instanceof JsonObject e ? e.getValue("resource") : null;
        return resource instanceof JsonObject r ? patient(next, r.encode())
            : ImportRow.refused(next, "entry without a resource");
      }

      @Override
      public void close() {}
    };
  }
}
