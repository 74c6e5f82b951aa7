package org.clientregistry.store;

/** The store cannot be reached or failed; the request may be retried later (503 with Retry-After). */
public class StoreUnavailableException extends RuntimeException {
  private final int retryAfterSeconds;

  public StoreUnavailableException(String message, Throwable cause) {
    this(message, cause, 5);
  }

  public StoreUnavailableException(String message, Throwable cause, int retryAfterSeconds) {
    super(message, cause);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** How long a client should wait before trying again. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
