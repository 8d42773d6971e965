package io.loyalty.serde;

import io.loyalty.avro.RejectionReason;

/** Bytes that cannot become a record; the reason becomes the rejection's reason code. */
public final class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final RejectionReason reason;

  public DecodeException(RejectionReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DecodeException(RejectionReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public RejectionReason reason() {
    return reason;
  }
}
