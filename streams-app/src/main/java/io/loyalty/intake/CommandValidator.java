package io.loyalty.intake;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.RejectionReason;
import java.util.Optional;

/** Checks a command on its own: ids present, keyed by its account. */
public final class CommandValidator {
  private CommandValidator() {}

  public static Optional<Violation> validate(String key, LoyaltyCommand command) {
    for (String[] field : new String[][] {{"commandId", command.getCommandId()},
        {"organizationId", command.getOrganizationId()}, {"customerId", command.getCustomerId()}}) {
      if (field[1].isBlank()) {
        return Optional.of(new Violation(RejectionReason.MISSING_FIELD, field[0] + " is empty"));
      }
    }
    String expected = AccountKey.of(command.getOrganizationId(), command.getCustomerId());
    if (!expected.equals(key)) {
      return Optional.of(new Violation(RejectionReason.KEY_MISMATCH,
          "record key '" + key + "' is not the account key '" + expected + "' of the command"));
    }
    return Optional.empty();
  }
}
