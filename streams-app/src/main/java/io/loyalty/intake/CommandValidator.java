package io.loyalty.intake;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.UpdateProfile;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a command on its own: ids present and well formed, keyed by its account, contact details in a form a
 * sender can use, no ambiguous request. Messages name the field, never its value (contact details are personal).
 */
public final class CommandValidator {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

  private CommandValidator() {}

  public static Optional<Violation> validate(String key, LoyaltyCommand command) {
    for (String[] field : new String[][] {{"commandId", command.getCommandId()},
        {"organizationId", command.getOrganizationId()}, {"customerId", command.getCustomerId()}}) {
      if (field[1].isBlank()) {
        return Optional.of(new Violation(RejectionReason.MISSING_FIELD, field[0] + " is empty"));
      }
    }
    if (!AccountKey.isValidOrganizationId(command.getOrganizationId())) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD, AccountKey.ORGANIZATION_ID_RULE));
    }
    String expected = AccountKey.of(command.getOrganizationId(), command.getCustomerId());
    if (!expected.equals(key)) {
      return Optional.of(new Violation(RejectionReason.KEY_MISMATCH,
          "record key '" + key + "' is not the account key '" + expected + "' of the command"));
    }
    return request(command.getCommand());
  }

  private static Optional<Violation> request(Object request) {
    if (request instanceof Enroll enroll) {
      return contact(enroll.getEmail(), enroll.getPhone());
    } else if (request instanceof UpdateProfile update) {
      return contact(update.getEmail(), update.getPhone());
    } else if (request instanceof HoldPoints hold && hold.getPoints() != null && hold.getRewardId() != null) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD,
          "a hold names points or a rewardId, not both: which one to reserve is ambiguous"));
    }
    return Optional.empty();
  }

  private static Optional<Violation> contact(String email, String phone) {
    if (email != null && !EMAIL.matcher(email).matches()) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD, "email is not an email address (name@domain)"));
    }
    if (phone != null && !E164.matcher(phone).matches()) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD,
          "phone is not in E.164 form (+, country code and number, 8 to 15 digits)"));
    }
    return Optional.empty();
  }
}
