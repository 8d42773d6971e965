package io.loyalty.intake;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.enrollment.EnrollmentRules;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a command on its own: ids present and well formed, keyed by its account, contact details in a form a
 * sender can use, no ambiguous request. Messages name the field, never its value (contact details are personal).
 */
public final class CommandValidator {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
  /** A state or province's two-letter code, as in ISO 3166-2 (US-MA, CA-ON): MA, ON. */
  private static final Pattern REGION = Pattern.compile("[A-Z]{2}");
  private static final Pattern POSTAL_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 -]{1,11}");
  private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

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
      return contact(enroll.getEmail(), enroll.getPhone()).or(() -> address(enroll.getHomeState(), enroll.getPostalCode()))
          .or(() -> tags(enroll.getTags()));
    } else if (request instanceof UpdateProfile update) {
      return contact(update.getEmail(), update.getPhone()).or(() -> address(update.getHomeState(), update.getPostalCode()))
          .or(() -> tags(update.getAddTags())).or(() -> tags(update.getRemoveTags()));
    } else if (request instanceof HoldPoints hold && hold.getPoints() != null && hold.getRewardId() != null) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD,
          "a hold names points or a rewardId, not both: which one to reserve is ambiguous"));
    }
    return Optional.empty();
  }

  private static Optional<Violation> address(String homeState, String postalCode) {
    if (homeState != null && !REGION.matcher(homeState).matches()) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD, "homeState is not a two-letter state or province code (MA, ON)"));
    }
    if (postalCode != null && !POSTAL_CODE.matcher(postalCode).matches()) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD,
          "postalCode is not a postal code (2 to 12 letters, digits, spaces or -)"));
    }
    return Optional.empty();
  }

  private static Optional<Violation> tags(List<String> tags) {
    if (tags.size() > EnrollmentRules.TAGS_KEPT) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD, tags.size() + " tags in one command; an account holds at most "
          + EnrollmentRules.TAGS_KEPT));
    }
    for (String tag : tags) {
      if (!TAG.matcher(tag).matches()) {
        return Optional.of(new Violation(RejectionReason.INVALID_FIELD,
            "tag '" + tag + "' is not 1 to 40 lowercase letters, digits, - or _, starting with a letter or digit"));
      }
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
