package org.clientregistry.importer;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** The CSV report: one line per input record, in input order: row, outcome, CRUID, reason. */
final class ImportReport implements AutoCloseable {
  static final String[] HEADER = {"row", "outcome", "cruid", "reason"};
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

  private final CSVPrinter printer;

  private ImportReport(CSVPrinter printer) {
    this.printer = printer;
  }

  /**
   * Opens the report for an import that has done {@code rowsDone} rows: a fresh one starts with the header; a
   * resumed one keeps its first {@code rowsDone} lines and drops any a kill left past the saved state.
   */
  static ImportReport open(Path file, long rowsDone) throws IOException {
    List<CSVRecord> kept = new ArrayList<>();
    if (rowsDone > 0 && Files.exists(file)) {
      try (CSVParser parser = CSVParser.builder().setPath(file).setCharset(StandardCharsets.UTF_8)
          .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
        for (CSVRecord r : parser) {
          if (kept.size() < rowsDone) {
            kept.add(r);
          }
        }
      }
    }
    Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING);
    CSVPrinter printer = new CSVPrinter(out, FORMAT);
    printer.printRecord((Object[]) HEADER);
    for (CSVRecord r : kept) {
      printer.printRecord(r.values());
    }
    printer.flush();
    return new ImportReport(printer);
  }

  void line(long row, String outcome, String cruid, String reason) throws IOException {
    printer.printRecord(row, outcome, cruid == null ? "" : cruid, reason == null ? "" : reason);
  }

  /** Flushed before the state that counts these lines is saved. */
  void flush() throws IOException {
    printer.flush();
  }

  @Override
  public void close() throws IOException {
    printer.close();
  }
}
