package org.clientregistry.users;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed sign-ins per user name (known or not, so that guessing names gains nothing) and locks the name
 * for a while after too many in a row; a successful sign-in clears the count. Kept in memory: a restart clears
 * lock-outs, which an attacker cannot cause from the console.
 */
public final class LockOut {
  private final int maxFailures;
  private final Duration lockFor;
  private final Clock clock;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  private record State(int failures, Instant lockedUntil) {}

  public LockOut(int maxFailures, Duration lockFor, Clock clock) {
    this.maxFailures = maxFailures;
    this.lockFor = lockFor;
    this.clock = clock;
  }

  public boolean locked(String name) {
    State s = states.get(UserAccount.key(name));
    return s != null && s.lockedUntil() != null && clock.instant().isBefore(s.lockedUntil());
  }

  /** Records a failure; answers whether this one locked the name. */
  public boolean failed(String name) {
    State s = states.compute(UserAccount.key(name), (k, old) -> {
      int n = old == null || old.lockedUntil() != null && !clock.instant().isBefore(old.lockedUntil())
          ? 1 : old.failures() + 1;
      return new State(n, n >= maxFailures ? clock.instant().plus(lockFor) : null);
    });
    return s.lockedUntil() != null && s.failures() == maxFailures;
  }

  public void succeeded(String name) {
    states.remove(UserAccount.key(name));
  }

  /** An administrator's password reset also lifts a lock. */
  public void clear(String name) {
    states.remove(UserAccount.key(name));
  }
}
