package io.loyalty.serde;

/** A Schema Registry answer other than success, with the registry's own error code and message. */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int httpStatus;
  private final int errorCode;

  public RegistryException(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's error_code (40403 schema not found, 409 incompatible, ...), or the HTTP status when absent. */
  public int errorCode() {
    return errorCode;
  }
}
