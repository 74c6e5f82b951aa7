package org.clientregistry.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Labelled data sets read with commons-csv: a header row, RFC 4180 quoting (commas, quotes and line breaks inside
 * quoted cells), spaces around cells ignored (FEBRL writes a space after each comma), blank lines skipped, and a
 * short row read as empty cells.
 */
final class CsvRecords {
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
      .setIgnoreSurroundingSpaces(true).setTrim(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(true)
      .get();

  private CsvRecords() {}

  static List<Map<String, String>> read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
         CSVParser parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get()) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty()) {
        throw new IOException(file + " is empty");
      }
      List<Map<String, String>> rows = new ArrayList<>();
      for (CSVRecord record : parser) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          row.put(header.get(i), i < record.size() ? record.get(i) : "");
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
