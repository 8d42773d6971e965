package io.loyalty.accounts;

import io.loyalty.avro.CommandStatus;

/** What a command did: applied, or refused with a reason code and a message for the caller. */
public record CommandOutcome(CommandStatus status, String reasonCode, String message) {
  public static CommandOutcome applied() {
    return new CommandOutcome(CommandStatus.APPLIED, null, null);
  }

  public static CommandOutcome applied(String message) {
    return new CommandOutcome(CommandStatus.APPLIED, null, message);
  }

  public static CommandOutcome refused(String reasonCode, String message) {
    return new CommandOutcome(CommandStatus.REFUSED, reasonCode, message);
  }

  public boolean isApplied() {
    return status == CommandStatus.APPLIED;
  }
}
