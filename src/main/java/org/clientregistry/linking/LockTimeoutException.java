package org.clientregistry.linking;

/** Similar records stayed busy past the lock timeout: the registry is overloaded; the client may retry (503). */
public final class LockTimeoutException extends RuntimeException {
  public LockTimeoutException() {
    super("Timed out waiting for concurrent submissions of similar records; retry later");
  }
}
