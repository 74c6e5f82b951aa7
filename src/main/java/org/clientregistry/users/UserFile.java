package org.clientregistry.users;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The console's accounts in one JSON file (readable by the registry's user only), replaced atomically on every
 * change, so the {@code user} command and a running registry can both write it. Blocking: call from a worker.
 */
public final class UserFile {
  private final Path file;

  public UserFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public boolean exists() {
    return Files.exists(file);
  }

  public synchronized List<UserAccount> read() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      JsonArray users = new JsonObject(Files.readString(file)).getJsonArray("users", new JsonArray());
      List<UserAccount> out = new ArrayList<>();
      users.forEach(u -> out.add(UserAccount.fromJson((JsonObject) u)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public Optional<UserAccount> find(String name) {
    String key = UserAccount.key(name);
    return read().stream().filter(u -> UserAccount.key(u.name()).equals(key)).findFirst();
  }

  public synchronized void add(UserAccount account) {
    List<UserAccount> users = new ArrayList<>(read());
    if (users.stream().anyMatch(u -> UserAccount.key(u.name()).equals(UserAccount.key(account.name())))) {
      throw new IllegalArgumentException("There is already a user " + account.name());
    }
    users.add(account);
    write(users);
  }

  /** Changes one account; fails when there is none of that name. */
  public synchronized UserAccount update(String name, UnaryOperator<UserAccount> change) {
    List<UserAccount> users = new ArrayList<>(read());
    for (int i = 0; i < users.size(); i++) {
      if (UserAccount.key(users.get(i).name()).equals(UserAccount.key(name))) {
        UserAccount changed = change.apply(users.get(i));
        users.set(i, changed);
        write(users);
        return changed;
      }
    }
    throw new IllegalArgumentException("There is no user " + name);
  }

  private void write(List<UserAccount> users) {
    JsonArray out = new JsonArray();
    users.forEach(u -> out.add(u.toJson()));
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".console-users", ".tmp");
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, new JsonObject().put("users", out).encodePrettily());
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
