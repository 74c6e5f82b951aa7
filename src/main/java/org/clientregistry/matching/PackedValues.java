package org.clientregistry.matching;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record's normalised values (per slot, a few strings) packed in one byte array: slot by slot, a value count,
 * then each value as a length and its UTF-8 bytes. About a third of the heap of the String[][] it stands for; the
 * index unpacks it only for the few records a lookup returns.
 */
final class PackedValues {
  private PackedValues() {}

  static byte[] pack(String[][] values) {
    byte[] out = new byte[64];
    int n = 0;
    for (String[] slot : values) {
      out = ensure(out, n, 5);
      n = writeVarint(out, n, slot.length);
      for (String v : slot) {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        out = ensure(out, n, 5 + bytes.length);
        n = writeVarint(out, n, bytes.length);
        System.arraycopy(bytes, 0, out, n, bytes.length);
        n += bytes.length;
      }
    }
    return Arrays.copyOf(out, n);
  }

  static String[][] unpack(byte[] packed, int slots) {
    String[][] values = new String[slots][];
    int[] pos = {0};
    for (int s = 0; s < slots; s++) {
      int count = readVarint(packed, pos);
      String[] slot = new String[count];
      for (int k = 0; k < count; k++) {
        int length = readVarint(packed, pos);
        slot[k] = new String(packed, pos[0], length, StandardCharsets.UTF_8);
        pos[0] += length;
      }
      values[s] = slot;
    }
    return values;
  }

  private static byte[] ensure(byte[] out, int n, int more) {
    return n + more <= out.length ? out : Arrays.copyOf(out, Math.max(out.length * 2, n + more));
  }

  private static int writeVarint(byte[] out, int n, int v) {
    while ((v & ~0x7F) != 0) {
      out[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[n++] = (byte) v;
    return n;
  }

  private static int readVarint(byte[] in, int[] pos) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = in[pos[0]++];
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
  }
}
