package org.clientregistry.security;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and folders the registry makes hold personal data or keys: they are its user's alone (folders 0700, files
 * 0600), whatever the umask. Where the file system has no POSIX modes (Windows) nothing is checked.
 */
public final class OwnerOnly {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final String FOLDER = "rwx------";
  private static final String FILE = "rw-------";

  private OwnerOnly() {}

  /** Makes {@code dir} and whichever of its parents are missing, each 0700; an existing folder is only checked. */
  public static Path directories(Path dir) throws IOException {
    if (!posix(dir)) {
      return Files.createDirectories(dir);
    }
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    while (!missing.isEmpty()) {
      try {
        Files.createDirectory(missing.pop(), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(FOLDER)));
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile by another thread or process: checked below like any existing folder
      }
    }
    warnIfOpen(dir);
    return dir;
  }

  /** Makes an empty file readable by its owner only, unless it exists (then its mode is made owner-only). */
  public static Path file(Path file) throws IOException {
    if (!posix(file.toAbsolutePath().getParent())) {
      return Files.exists(file) ? file : Files.createFile(file);
    }
    try {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FILE)));
    } catch (FileAlreadyExistsException exists) {
      restrict(file);
      return file;
    }
  }

  /** A file the registry owns (its database, a key it made) that others may read is made owner-only, with a word. */
  public static void restrict(Path file) throws IOException {
    if (Files.exists(file) && posix(file) && open(file)) {
      LOG.warn("{} was readable by other users ({}); made readable by its owner only", file, mode(file));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(FILE));
    }
  }

  /** Warns about a folder or file the operator provided that other users can read (it is theirs to change). */
  public static void warnIfOpen(Path path) throws IOException {
    if (Files.exists(path) && posix(path) && open(path)) {
      LOG.warn("{} is open to other users ({}); it holds personal data or keys: chmod {} it", path, mode(path),
          Files.isDirectory(path) ? "700" : "600");
    }
  }

  /** Whether group or others have any access. */
  public static boolean open(Path path) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
    return mode.stream().anyMatch(OTHERS::contains);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static boolean posix(Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
