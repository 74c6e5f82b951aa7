package org.clientregistry.openhim;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import org.clientregistry.config.LiveSettings;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.IndexSnapshot;
import org.clientregistry.matching.Nicknames;
import org.clientregistry.security.OwnerOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last config from core the registry accepted, kept in the data directory (owner-only: it may hold the FHIR
 * server's credentials), with the fingerprint of the matching index its rules build. A restart starts from it, so
 * that clients the console allowed are allowed from the first request, the index is built once with the console's
 * rules (or read from its snapshot), and the config in force is known before core answers. Written whole (a
 * temporary file moved into place), so a crash leaves the previous copy or the new one.
 */
public final class ConsoleConfigFile {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleConfigFile.class);
  public static final String NAME = "openhim-config.json";

  /** A saved config: core's config object, the index fingerprint of its rules, and when it was accepted. */
  public record Saved(JsonObject config, String indexFingerprint, Instant acceptedAt) {}

  private final Path file;

  public ConsoleConfigFile(Path dataDir) {
    this.file = dataDir.resolve(NAME);
  }

  public Path path() {
    return file;
  }

  /** Blocking. The saved config, or empty when there is none or it cannot be read (logged: core's comes later). */
  public Optional<Saved> read() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      OwnerOnly.restrict(file);
      JsonObject saved = new JsonObject(Files.readString(file));
      return Optional.of(new Saved(saved.getJsonObject("config"), saved.getString("indexFingerprint", ""),
          Instant.parse(saved.getString("acceptedAt"))));
    } catch (IOException | RuntimeException e) {
      LOG.warn("The saved OpenHIM console config {} cannot be read ({}); waiting for core's", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** A saved config validated again and ready to start from: its settings and decision rules. */
  public record Restored(Saved saved, MediatorSettings settings, DecisionRules rules) {}

  /**
   * Blocking. The saved config, validated as core's would be (the rules file fills an empty rules text); empty
   * when there is none or it no longer validates (logged; the registry then waits for core's config).
   */
  public Optional<Restored> restore(String fileRulesJson, LiveSettings.Values inForce, Nicknames nicknames) {
    return read().flatMap(saved -> {
      try {
        MediatorSettings settings = MediatorSettings.parse(saved.config(), fileRulesJson, inForce);
        DecisionRules rules = DecisionRulesParser.parse(settings.rulesJson(), FieldExtractor::validate, nicknames);
        String fingerprint = IndexSnapshot.fingerprint(rules);
        LOG.info("Starting from the OpenHIM console config accepted at {} ({} client(s)){}", saved.acceptedAt(),
            settings.values().clients().size(), saved.indexFingerprint().equals(fingerprint) ? ""
                : "; the matching code changed since, so a kept index snapshot is not used");
        return Optional.of(new Restored(saved, settings, rules));
      } catch (RuntimeException e) {
        LOG.warn("The saved OpenHIM console config {} is not used ({}); waiting for core's", file, e.getMessage());
        return Optional.empty();
      }
    });
  }

  /** Blocking: keeps {@code config} as the last accepted one, durably. */
  public void write(JsonObject config, String indexFingerprint) throws IOException {
    OwnerOnly.directories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(NAME + ".tmp");
    Files.deleteIfExists(tmp);
    OwnerOnly.file(tmp);
    byte[] bytes = new JsonObject().put("config", config).put("indexFingerprint", indexFingerprint == null ? ""
        : indexFingerprint).put("acceptedAt", Instant.now().toString()).encodePrettily()
        .getBytes(StandardCharsets.UTF_8);
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(java.nio.ByteBuffer.wrap(bytes));
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
