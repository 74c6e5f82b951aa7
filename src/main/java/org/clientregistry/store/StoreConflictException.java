package org.clientregistry.store;

/** A versioned write lost a race with another writer; the caller re-reads and tries again. */
public class StoreConflictException extends RuntimeException {
  public StoreConflictException(String message) {
    super(message);
  }
}
