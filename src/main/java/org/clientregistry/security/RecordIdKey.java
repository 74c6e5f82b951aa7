package org.clientregistry.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import org.clientregistry.config.ConfigException;
import org.clientregistry.config.RegistryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-installation secret that record ids are made with (linking.RecordIds): {@code store.recordIdKey} when
 * set (replicas share it), else {@code record-ids.key} in the certificates folder, made on first start. Never in
 * the data directory: a copy of the data alone must not let anyone reverse ids seen in logs.
 */
public final class RecordIdKey {
  private static final Logger LOG = LoggerFactory.getLogger(RecordIdKey.class);
  public static final String FILE = "record-ids.key";

  private RecordIdKey() {}

  public static byte[] load(RegistryConfig config) throws IOException {
    String configured = config.store().recordIdKey();
    if (!configured.isEmpty()) {
      if (configured.length() < 32) {
        throw new ConfigException("store.recordIdKey", "must be at least 32 characters (a random secret)");
      }
      return configured.getBytes(StandardCharsets.UTF_8);
    }
    Path file = config.tls().certificatesDir().resolve(FILE);
    if (Files.exists(file)) {
      OwnerOnly.restrict(file);
      byte[] key = decode(file);
      if (key.length < 16) {
        throw new ConfigException("store.recordIdKey", file + " holds fewer than 16 bytes of key");
      }
      return key;
    }
    return create(file);
  }

  private static byte[] decode(Path file) throws IOException {
    try {
      return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("store.recordIdKey", file + " is not Base64");
    }
  }

  /** Written aside and moved in, so an interrupted start never leaves a truncated key that counts as present. */
  private static byte[] create(Path file) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    OwnerOnly.directories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(temp);
    OwnerOnly.file(temp);
    Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("created {}: the key record ids are made with; keep it with the certificates, and give replicas "
        + "the same key", file);
    return key;
  }
}
