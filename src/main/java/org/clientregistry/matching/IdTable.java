package org.clientregistry.matching;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Record ids numbered densely (0, 1, 2 ...) so the index can keep per-record facts in plain arrays. Ids in the
 * canonical UUID form (what the registry makes) are kept as two longs, 16 bytes instead of an 80-byte String; any
 * other id (a FHIR server's own) is kept as it is. Not thread-safe: the index guards it.
 */
final class IdTable {
  private long[] hi = new long[16];
  private long[] lo = new long[16];
  private final Map<Integer, String> otherIds = new HashMap<>();
  private final Map<String, Integer> otherSlots = new HashMap<>();
  private int size;
  /** Open addressing, linear probing: slot + 1 per cell, 0 for empty. */
  private int[] table = new int[32];

  int size() {
    return size;
  }

  /** The slot of an id, or -1. */
  int find(String id) {
    return isUuid(id) ? findUuid(high(id), low(id)) : otherSlots.getOrDefault(id, -1);
  }

  private int findUuid(long h, long l) {
    int mask = table.length - 1;
    for (int i = mix(h, l) & mask; ; i = (i + 1) & mask) {
      int cell = table[i];
      if (cell == 0) {
        return -1;
      }
      if (hi[cell - 1] == h && lo[cell - 1] == l) {
        return cell - 1;
      }
    }
  }

  /** The slot of an id, numbering it when new (the id is read once: a start-up load adds a million). */
  int add(String id) {
    boolean uuid = isUuid(id);
    long h = uuid ? high(id) : 0;
    long l = uuid ? low(id) : 0;
    int found = uuid ? findUuid(h, l) : otherSlots.getOrDefault(id, -1);
    if (found >= 0) {
      return found;
    }
    int slot = size++;
    if (slot == hi.length) {
      hi = Arrays.copyOf(hi, slot * 2);
      lo = Arrays.copyOf(lo, slot * 2);
    }
    if (!uuid) {
      otherIds.put(slot, id);
      otherSlots.put(id, slot);
      return slot;
    }
    hi[slot] = h;
    lo[slot] = l;
    if (size * 2 > table.length) {
      rehash(table.length * 2);
    } else {
      place(slot);
    }
    return slot;
  }

  String id(int slot) {
    String other = otherIds.get(slot);
    return other != null ? other : new java.util.UUID(hi[slot], lo[slot]).toString();
  }

  private void place(int slot) {
    int mask = table.length - 1;
    int i = mix(hi[slot], lo[slot]) & mask;
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = slot + 1;
  }

  private void rehash(int capacity) {
    table = new int[capacity];
    for (int s = 0; s < size; s++) {
      if (!otherIds.containsKey(s)) {
        place(s);
      }
    }
  }

  /** For an index snapshot: the numbered ids and the lookup table, as they are. */
  void writeTo(SnapshotOutput out) throws java.io.IOException {
    out.writeInt(size);
    out.writeLongs(hi, size);
    out.writeLongs(lo, size);
    out.writeInt(otherIds.size());
    for (Map.Entry<Integer, String> e : otherIds.entrySet()) {
      out.writeInt(e.getKey());
      out.writeString(e.getValue());
    }
    out.writeInts(table, table.length);
  }

  /** Replaces this (empty) table with one from a snapshot. */
  void readFrom(SnapshotInput in) throws java.io.IOException {
    int n = in.readInt();
    hi = in.readLongs(16);
    lo = in.readLongs(16);
    for (int i = in.readInt(); i > 0; i--) {
      int slot = in.readInt();
      String id = in.readString();
      otherIds.put(slot, id);
      otherSlots.put(id, slot);
    }
    table = in.readInts(0);
    if (table == null || Integer.bitCount(table.length) != 1 || hi.length < n || lo.length < n) {
      throw new java.io.IOException("the snapshot's id table is not well formed");
    }
    size = n;
  }

  private static int mix(long h, long l) {
    long x = h * 0x9E3779B97F4A7C15L ^ l;
    x ^= x >>> 33;
    x *= 0xC2B2AE3D27D4EB4FL;
    return (int) (x ^ (x >>> 29));
  }

  /** Lower-case canonical UUIDs only, so that the id read back is the very string that was stored. */
  static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static long high(String s) {
    return hex(s, 0, 8) << 32 | hex(s, 9, 13) << 16 | hex(s, 14, 18);
  }

  private static long low(String s) {
    return hex(s, 19, 23) << 48 | hex(s, 24, 36);
  }

  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v << 4 | Character.digit(s.charAt(i), 16);
    }
    return v;
  }
}
