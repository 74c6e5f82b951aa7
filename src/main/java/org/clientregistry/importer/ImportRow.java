package org.clientregistry.importer;

import io.vertx.core.json.JsonObject;

/**
 * One record of the input: its row number (data rows of a CSV, lines of NDJSON, entries of a Bundle, from 1) and the
 * Patient to submit, or why it cannot be submitted at all.
 */
public record ImportRow(long row, JsonObject patient, String refusal) {
  static ImportRow of(long row, JsonObject patient) {
    return new ImportRow(row, patient, null);
  }

  static ImportRow refused(long row, String reason) {
    return new ImportRow(row, null, reason);
  }
}
