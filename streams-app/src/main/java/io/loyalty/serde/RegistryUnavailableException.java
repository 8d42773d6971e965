package io.loyalty.serde;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The Schema Registry could not be reached: an outage of the engine's surroundings, never the fault of the record at hand. */
public final class RegistryUnavailableException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, IOException cause) {
    super(message, cause);
  }

  /**
   * Whether a failure comes from the registry (unreachable, or answering an error) rather than from the input:
   * such an input is retried once the registry answers, never rejected.
   */
  public static boolean causedBy(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RegistryUnavailableException || cause instanceof RegistryException) {
        return true;
      }
    }
    return false;
  }
}
