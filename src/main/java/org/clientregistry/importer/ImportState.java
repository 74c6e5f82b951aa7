package org.clientregistry.importer;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import has done, kept in a small JSON file after every answered batch so that a run interrupted at any
 * point goes on where the last one stopped: the rows done (every row before it has its line in the report) and the
 * outcome counts. It names the input file by path, size and time, so a changed file is not resumed by mistake.
 */
final class ImportState {
  private final Path file;
  private final String input;
  long rowsDone;
  boolean complete;
  final Map<String, Long> counts = new TreeMap<>();

  private ImportState(Path file, String input) {
    this.file = file;
    this.input = input;
  }

  /** The input as the state knows it: a changed path, size, time or client means another import. */
  static String describe(Path input, String client) throws IOException {
    return input.toAbsolutePath().normalize() + "|" + Files.size(input) + "|"
        + Files.getLastModifiedTime(input).toMillis() + "|" + client;
  }

  static ImportState fresh(Path file, String input) {
    return new ImportState(file, input);
  }

  /** The saved state, or null when there is none; an exception when it belongs to another input. */
  static ImportState resume(Path file, String input) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    if (!input.equals(json.getString("input"))) {
      throw new IOException("the saved state " + file + " is of another file, client or version of the file; "
          + "use --restart to import from the first record");
    }
    ImportState state = new ImportState(file, input);
    state.rowsDone = json.getLong("rowsDone", 0L);
    state.complete = json.getBoolean("complete", false);
    json.getJsonObject("counts", new JsonObject()).forEach(e -> state.counts.put(e.getKey(),
        ((Number) e.getValue()).longValue()));
    return state;
  }

  void count(String outcome) {
    counts.merge(outcome, 1L, Long::sum);
  }

  /** Written beside and moved into place, so a kill at any moment leaves the old state or the new one. */
  void save(boolean complete) throws IOException {
    JsonObject json = new JsonObject().put("input", input).put("rowsDone", rowsDone).put("complete", complete)
        .put("counts", new JsonObject(new java.util.LinkedHashMap<>(counts)));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json.encodePrettily(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static boolean complete(Path file) throws IOException {
    return Files.exists(file) && new JsonObject(Files.readString(file)).getBoolean("complete", false);
  }
}
