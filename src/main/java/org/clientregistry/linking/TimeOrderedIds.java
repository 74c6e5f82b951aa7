package org.clientregistry.linking;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New ids for golden records and review items: version 7 UUIDs (RFC 9562), a millisecond timestamp then 74 random
 * bits. Ids made close in time sort close together, so the store's indexes take new keys at their right edge (a
 * few pages written per commit) instead of at random places across a million-key B-tree. The random part keeps
 * them unguessable, as version 4 ids were.
 */
final class TimeOrderedIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TimeOrderedIds() {}

  static String next() {
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL); // version 7, 12 random bits
    long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant, 62 random bits
    return new UUID(high, low).toString();
  }
}
