package org.clientregistry.linking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ids of new source records: a keyed hash (HMAC-SHA256) of the owner and its internal identifier, laid out as a
 * UUID. Keyed, because ids appear in URLs, {@code Location} headers and access logs, and a plain hash of a
 * low-entropy medical record number can be reversed by trying them all; deterministic under one key, so replicas
 * sharing the key give the same record the same id (the store then lets only one create it).
 */
public final class RecordIds {
  private static final String MAC = "HmacSHA256";
  private final SecretKeySpec key;

  private RecordIds(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("a record-id key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), MAC);
  }

  public static RecordIds keyed(byte[] key) {
    return new RecordIds(key);
  }

  /** A key of this process only: for tools and tests whose ids need not outlive the process. */
  public static RecordIds ephemeral() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new RecordIds(key);
  }

  /** The id of the record {@code clientId} keeps under {@code system|value}. */
  public String of(String clientId, String system, String value) {
    byte[] h;
    try {
      Mac mac = Mac.getInstance(MAC); // not thread-safe, and cheap next to what a submission costs
      mac.init(key);
      h = mac.doFinal((clientId + "|" + system + "|" + value).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
    h[6] = (byte) ((h[6] & 0x0f) | 0x80); // version 8: a custom UUID (RFC 9562)
    h[8] = (byte) ((h[8] & 0x3f) | 0x80); // the RFC's variant
    ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
    return new UUID(b.getLong(), b.getLong()).toString();
  }
}
