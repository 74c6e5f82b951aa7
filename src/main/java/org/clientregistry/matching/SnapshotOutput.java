package org.clientregistry.matching;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Writes an index snapshot: little-endian numbers and arrays through one buffer (arrays in bulk, a million records
 * is hundreds of megabytes), a CRC32C of everything at the end so that a damaged file is never read as an index.
 * Arrays are written as their length, then their elements; a null array as length -1.
 */
final class SnapshotOutput {
  private final FileChannel channel;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();

  SnapshotOutput(FileChannel channel) {
    this.channel = channel;
  }

  void writeInt(int v) throws IOException {
    room(4);
    buf.putInt(v);
  }

  void writeLong(long v) throws IOException {
    room(8);
    buf.putLong(v);
  }

  void writeBoolean(boolean v) throws IOException {
    room(1);
    buf.put((byte) (v ? 1 : 0));
  }

  /** The first {@code n} ints of an array (or null). */
  void writeInts(int[] a, int n) throws IOException {
    if (a == null) {
      writeInt(-1);
      return;
    }
    writeInt(n);
    inChunks(n, 4, (off, k) -> buf.asIntBuffer().put(a, off, k));
  }

  void writeLongs(long[] a, int n) throws IOException {
    writeInt(n);
    inChunks(n, 8, (off, k) -> buf.asLongBuffer().put(a, off, k));
  }

  void writeShorts(short[] a, int n) throws IOException {
    writeInt(n);
    inChunks(n, 2, (off, k) -> buf.asShortBuffer().put(a, off, k));
  }

  void writeBooleans(boolean[] a, int n) throws IOException {
    writeInt(n);
    for (int i = 0; i < n; i++) {
      room(1);
      buf.put((byte) (a[i] ? 1 : 0));
    }
  }

  void writeBytes(byte[] a) throws IOException {
    if (a == null) {
      writeInt(-1);
      return;
    }
    writeInt(a.length);
    inChunks(a.length, 1, (off, k) -> buf.duplicate().put(a, off, k));
  }

  void writeString(String s) throws IOException {
    writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes what is buffered and the checksum, and forces it all to the disk. */
  void finish() throws IOException {
    flush();
    buf.putLong(crc.getValue()).flip(); // the checksum itself is not summed
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    buf.clear();
    channel.force(true);
  }

  /** What moves elements {@code off..off+k} of an array into the buffer, at its position. */
  private interface Chunk {
    void put(int off, int k);
  }

  /** Moves {@code n} elements of {@code width} bytes in as many buffer-fulls as they take. */
  private void inChunks(int n, int width, Chunk chunk) throws IOException {
    for (int off = 0; off < n; ) {
      room(width);
      int k = Math.min(n - off, buf.remaining() / width);
      chunk.put(off, k);
      buf.position(buf.position() + width * k);
      off += k;
    }
  }

  private void room(int bytes) throws IOException {
    if (buf.remaining() < bytes) {
      flush();
    }
  }

  private void flush() throws IOException {
    buf.flip();
    crc.update(buf.duplicate());
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    buf.clear();
  }
}
