package org.clientregistry.store;

/** The store cannot be reached or failed; the request may be retried later (503). */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
