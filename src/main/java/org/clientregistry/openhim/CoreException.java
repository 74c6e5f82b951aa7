package org.clientregistry.openhim;

/** Core's API answered something other than what the protocol expects; {@code status} 0 when it did not answer. */
public final class CoreException extends RuntimeException {
  private final int status;

  public CoreException(String message, int status) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
