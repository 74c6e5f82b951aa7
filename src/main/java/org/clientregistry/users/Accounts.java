package org.clientregistry.users;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore;

/**
 * Sign-in and account management for the console. Hashing and the file run on the worker pool; every sign-in,
 * refusal and account change is written to the store's audit log (as {@code console:<name>}) before it answers.
 * The accounts are also kept in memory, so that each request can check, without I/O, that its user is still enabled.
 */
public final class Accounts {
  private final WorkerExecutor worker;
  private final UserFile file;
  private final Passwords passwords;
  private final LockOut lockOut;
  private final PatientStore store;
  private final Map<String, UserAccount> known = new ConcurrentHashMap<>();

  public Accounts(WorkerExecutor worker, UserFile file, Passwords passwords, LockOut lockOut, PatientStore store) {
    this.worker = worker;
    this.file = file;
    this.passwords = passwords;
    this.lockOut = lockOut;
    this.store = store;
  }

  /** Why a sign-in was refused; the page says the same to all but {@code LOCKED}, so names cannot be probed. */
  public enum Refusal { WRONG, LOCKED, DISABLED }

  public record SignIn(UserAccount user, Refusal refusal) {}

  /** How a console user appears in the audit log and link history; a malformed typed name is not copied in. */
  public static String actor(String name) {
    return "console:" + (name != null && name.matches("[A-Za-z0-9._@-]{1,64}") ? name : "(malformed name)");
  }

  public Future<SignIn> signIn(String name, String password) {
    String who = name == null ? "" : name.trim();
    if (lockOut.locked(who)) {
      return audited(who, "console.sign-in", "refused", "locked", new SignIn(null, Refusal.LOCKED));
    }
    return worker.executeBlocking(() -> {
      Optional<UserAccount> user = file.find(who);
      user.ifPresent(this::remember);
      boolean ok = passwords.matches(password, user.map(UserAccount::passwordHash).orElse(null));
      if (ok && user.get().disabled()) {
        return new SignIn(null, Refusal.DISABLED);
      }
      if (!ok) {
        return new SignIn(null, lockOut.failed(who) ? Refusal.LOCKED : Refusal.WRONG);
      }
      lockOut.succeeded(who);
      return new SignIn(user.get(), null);
    }, false).compose(r -> r.user() != null
        ? audited(r.user().name(), "console.sign-in", "done", r.user().role(), r)
        : audited(who, "console.sign-in", "refused", r.refusal().name().toLowerCase(), r));
  }

  public Future<Void> signedOut(String name, String why) {
    return audited(name, "console.sign-out", "done", why, null);
  }

  /** The account as the registry knows it now (memory only), for the check made on every request. */
  public Optional<UserAccount> current(String name) {
    return Optional.ofNullable(known.get(UserAccount.key(name)));
  }

  public Future<List<UserAccount>> list() {
    return worker.executeBlocking(() -> {
      List<UserAccount> all = file.read();
      all.forEach(this::remember);
      return all;
    }, false);
  }

  public Future<UserAccount> add(String by, String name, String role, String password) {
    return worker.executeBlocking(() -> {
      UserAccount u = new UserAccount(UserAccount.checkName(name), UserAccount.checkRole(role),
          passwords.hash(password), false, Instant.now());
      file.add(u);
      remember(u);
      return u;
    }, false).compose(u -> audited(by, "console.user-add", "done", u.name() + " as " + u.role(), u));
  }

  public Future<UserAccount> setDisabled(String by, String name, boolean disabled) {
    if (UserAccount.key(by).equals(UserAccount.key(name))) {
      return Future.failedFuture(new IllegalArgumentException("You cannot disable your own account"));
    }
    return change(by, name, u -> u.withDisabled(disabled), disabled ? "console.user-disable" : "console.user-enable");
  }

  public Future<UserAccount> resetPassword(String by, String name, String password) {
    return worker.executeBlocking(() -> passwords.hash(password), false)
        .compose(hash -> change(by, name, u -> u.withHash(hash), "console.user-password"))
        .onSuccess(u -> lockOut.clear(u.name()));
  }

  private Future<UserAccount> change(String by, String name, java.util.function.UnaryOperator<UserAccount> how,
                                     String action) {
    return worker.executeBlocking(() -> {
      UserAccount u = file.update(name, how);
      remember(u);
      return u;
    }, false).compose(u -> audited(by, action, "done", u.name(), u));
  }

  private void remember(UserAccount u) {
    known.put(UserAccount.key(u.name()), u);
  }

  private <T> Future<T> audited(String name, String action, String outcome, String detail, T result) {
    AuditEntry entry = new AuditEntry(Instant.now(), actor(name), action, null, null, outcome, detail);
    return store.commit(ChangeSet.auditOnly(entry)).map(v -> result);
  }
}
