package org.clientregistry.matching;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The matching index written to a file, and read back into an empty index. The file starts with what says whether
 * it may be used: a format number, a fingerprint of the decision rules and of the matching code that built it
 * (other rules or other code key records differently) and a token that ties it to one state of the store. Whether
 * to use it is the caller's decision ({@code linking.IndexSnapshots}).
 */
public final class IndexSnapshot {
  private static final int MAGIC = 0x58495243; // "CRIX"
  private static final int FORMAT = 1;

  private IndexSnapshot() {}

  /** What a snapshot says about itself. */
  public record Header(String fingerprint, String token) {}

  /**
   * A fingerprint of what decides how the index keys and keeps records: these rules, the common-key threshold and
   * the matching package's own classes; null when the classes cannot be read (then no snapshot can be trusted).
   */
  public static String fingerprint(DecisionRules rules) {
    byte[] code = CodeDigest.VALUE;
    if (code == null) {
      return null;
    }
    MessageDigest d = sha256();
    d.update(("format " + FORMAT + "; common " + MatchIndex.COMMON_KEY + "; " + rules).getBytes(StandardCharsets.UTF_8));
    d.update(code);
    return HexFormat.of().formatHex(d.digest());
  }

  /** Writes the index to {@code file} (through a temporary file beside it, so a crash never leaves half a file). */
  public static long write(MatchIndex index, Header header, Path file) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    // It holds personal data (the values the rules read): readable by the registry's own user only.
    if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
      Files.createFile(temporary, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      SnapshotOutput out = new SnapshotOutput(channel);
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeString(header.fingerprint());
      out.writeString(header.token());
      index.writeTo(out);
      out.finish();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return Files.size(file);
  }

  /**
   * Reads a snapshot into an empty index, if its header is {@code expected}; fails otherwise, or when the file is
   * damaged (the index is then part-filled: throw it away).
   */
  public static void read(Path file, Header expected, MatchIndex into) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      SnapshotInput in = new SnapshotInput(channel);
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        throw new IOException("not an index snapshot of this format");
      }
      if (!in.readString().equals(expected.fingerprint())) {
        throw new IOException("made with other decision rules or another version of the matching code");
      }
      if (!in.readString().equals(expected.token())) {
        throw new IOException("made for another state of the store");
      }
      into.readFrom(in);
      in.finish();
    }
  }

  /** The matching code's digest, read once per process (its class files do not change while it runs). */
  private static final class CodeDigest {
    static final byte[] VALUE = codeDigest();
  }

  /** SHA-256 of the matching package's class files, in name order: any change to how records are keyed shows. */
  private static byte[] codeDigest() {
    String folder = IndexSnapshot.class.getPackageName().replace('.', '/') + "/";
    try {
      Path location = Path.of(IndexSnapshot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      MessageDigest d = sha256();
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.list(location.resolve(folder))) {
          for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
            d.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            d.update(Files.readAllBytes(f));
          }
        }
        return d.digest();
      }
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(location.toFile())) {
        List<java.util.jar.JarEntry> entries = jar.stream()
            .filter(e -> e.getName().startsWith(folder) && e.getName().endsWith(".class")
                && e.getName().indexOf('/', folder.length()) < 0)
            .sorted(java.util.Comparator.comparing(java.util.jar.JarEntry::getName)).toList();
        for (java.util.jar.JarEntry e : entries) {
          d.update(e.getName().getBytes(StandardCharsets.UTF_8));
          try (InputStream in = jar.getInputStream(e)) {
            d.update(in.readAllBytes());
          }
        }
      }
      return d.digest();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
