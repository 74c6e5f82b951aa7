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

  /**
   * A write the store may or may not have made (no answer came, and a check could not tell): said so to the
   * client, never "nothing was written". A resubmission is idempotent.
   */
  public static class OutcomeUnknown extends StoreUnavailableException {
    public OutcomeUnknown(String message, int retryAfterSeconds) {
      super(message, null, retryAfterSeconds);
    }
  }

  /** How long a client should wait before trying again. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
