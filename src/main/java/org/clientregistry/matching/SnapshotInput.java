package org.clientregistry.matching;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Reads what {@link SnapshotOutput} wrote, checking as it goes that no length runs past the end of the file (a
 * damaged length cannot make it allocate gigabytes), and at the end that the checksum agrees.
 */
final class SnapshotInput {
  private final FileChannel channel;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();
  /** Bytes of content (the file less its checksum) not yet taken into the buffer. */
  private long unread;

  SnapshotInput(FileChannel channel) throws IOException {
    this.channel = channel;
    this.unread = channel.size() - 8;
    if (unread < 0) {
      throw new IOException("the snapshot is shorter than its checksum");
    }
    buf.limit(0);
  }

  int readInt() throws IOException {
    need(4);
    return buf.getInt();
  }

  long readLong() throws IOException {
    need(8);
    return buf.getLong();
  }

  boolean readBoolean() throws IOException {
    need(1);
    return buf.get() != 0;
  }

  /** An int array (null if written as null), at least {@code minLength} long (the rest zeros). */
  int[] readInts(int minLength) throws IOException {
    int n = readInt();
    if (n < 0) {
      return null;
    }
    checkLength(n, 4);
    int[] a = new int[Math.max(n, minLength)];
    inChunks(n, 4, (off, k) -> buf.asIntBuffer().get(a, off, k));
    return a;
  }

  long[] readLongs(int minLength) throws IOException {
    int n = readInt();
    checkLength(n, 8);
    long[] a = new long[Math.max(n, minLength)];
    inChunks(n, 8, (off, k) -> buf.asLongBuffer().get(a, off, k));
    return a;
  }

  short[] readShorts(int minLength) throws IOException {
    int n = readInt();
    checkLength(n, 2);
    short[] a = new short[Math.max(n, minLength)];
    inChunks(n, 2, (off, k) -> buf.asShortBuffer().get(a, off, k));
    return a;
  }

  boolean[] readBooleans(int minLength) throws IOException {
    int n = readInt();
    checkLength(n, 1);
    boolean[] a = new boolean[Math.max(n, minLength)];
    for (int i = 0; i < n; i++) {
      need(1);
      a[i] = buf.get() != 0;
    }
    return a;
  }

  byte[] readBytes() throws IOException {
    int n = readInt();
    if (n < 0) {
      return null;
    }
    checkLength(n, 1);
    byte[] a = new byte[n];
    inChunks(n, 1, (off, k) -> buf.duplicate().get(a, off, k));
    return a;
  }

  String readString() throws IOException {
    byte[] b = readBytes();
    if (b == null) {
      throw new IOException("a string in the snapshot is missing");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Checks that all the content was read and that its checksum is the one written after it. */
  void finish() throws IOException {
    if (unread > 0 || buf.hasRemaining()) {
      throw new IOException("the snapshot has more content than its reader expects");
    }
    ByteBuffer sum = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    while (sum.hasRemaining() && channel.read(sum) >= 0) {
      // reads the 8 checksum bytes
    }
    if (sum.hasRemaining() || sum.flip().getLong() != crc.getValue()) {
      throw new IOException("the snapshot's checksum does not match: the file is damaged");
    }
  }

  /** What moves elements {@code off..off+k} from the buffer, at its position, into an array. */
  private interface Chunk {
    void get(int off, int k);
  }

  /** Moves {@code n} elements of {@code width} bytes out in as many buffer-fulls as they take. */
  private void inChunks(int n, int width, Chunk chunk) throws IOException {
    for (int off = 0; off < n; ) {
      need(width);
      int k = Math.min(n - off, buf.remaining() / width);
      chunk.get(off, k);
      buf.position(buf.position() + width * k);
      off += k;
    }
  }

  private void checkLength(int n, int elementBytes) throws IOException {
    if (n < 0 || (long) n * elementBytes > unread + buf.remaining()) {
      throw new IOException("a length in the snapshot runs past its end: the file is damaged");
    }
  }

  /** Makes at least {@code bytes} (at most 8) readable, refilling the whole buffer when it runs low. */
  private void need(int bytes) throws IOException {
    if (buf.remaining() >= bytes) {
      return;
    }
    buf.compact();
    while (buf.hasRemaining() && unread > 0) {
      int at = buf.position();
      int read = channel.read(buf.slice(at, (int) Math.min(buf.remaining(), unread)));
      if (read < 0) {
        break;
      }
      crc.update(buf.slice(at, read));
      buf.position(at + read);
      unread -= read;
    }
    buf.flip();
    if (buf.remaining() < bytes) {
      throw new IOException("the snapshot ends early: the file is damaged");
    }
  }
}
