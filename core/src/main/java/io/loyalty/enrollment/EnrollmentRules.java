package io.loyalty.enrollment;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.Channel;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.SignUpField;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.notifications.ConsentRules;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Membership changes. Enrolling (or opting in) makes the customer a member and grants the sign-up bonus of
 * the location, once per account; opting out stops earning and redeeming and keeps the history; re-joining
 * restores them. Profile fields are set only where the command carries a value.
 */
public final class EnrollmentRules {
  /** Tags an account holds at most. */
  public static final int TAGS_KEPT = 20;

  private EnrollmentRules() {}

  public static CommandOutcome enroll(AccountBook book, Enroll enroll, ProgramRules program, String locationId) {
    Optional<CommandOutcome> refused = missingSignUpField(book.state(), program, enroll.getPhone(), enroll.getEmail(),
        enroll.getBirthDate()).or(() -> changeTags(book.state(), enroll.getTags(), List.of()));
    if (refused.isPresent()) {
      return refused.get();
    }
    setProfile(book, enroll.getCustomerGroup(), enroll.getFirstName(), enroll.getLastName(), enroll.getEmail(),
        enroll.getPhone(), enroll.getBirthDate());
    setAttributes(book.state(), enroll.getHomeState(), enroll.getPostalCode(), enroll.getMedicalCardExpiresOn());
    return join(book, program, locationId);
  }

  public static CommandOutcome optIn(AccountBook book, ProgramRules program, String locationId) {
    return missingSignUpField(book.state(), program, null, null, null).orElseGet(() -> join(book, program, locationId));
  }

  /**
   * The first field the program requires at sign-up that neither the command nor the profile has: checked before
   * anything changes, so a refused enrollment leaves the account as it was.
   */
  private static Optional<CommandOutcome> missingSignUpField(AccountState state, ProgramRules program, String phone, String email,
      java.time.LocalDate birthDate) {
    for (SignUpField field : program.config().getRequiredSignUpFields()) {
      boolean present = switch (field) {
        case PHONE -> hasText(phone) || hasText(state.getPhone());
        case EMAIL -> hasText(email) || hasText(state.getEmail());
        case BIRTH_DATE -> birthDate != null || state.getBirthDate() != null;
      };
      if (!present) {
        String name = field.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return Optional.of(CommandOutcome.refused("MISSING_SIGN_UP_FIELD", "the program requires the customer's " + name
            + " at sign-up; neither the request nor the profile has one"));
      }
    }
    return Optional.empty();
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }

  private static CommandOutcome join(AccountBook book, ProgramRules program, String locationId) {
    AccountState state = book.state();
    boolean wasEnrolled = state.getEnrollment() == EnrollmentState.ENROLLED;
    state.setEnrollment(EnrollmentState.ENROLLED);
    BigDecimal bonus = program.signupBonus(locationId);
    if (!state.getSignupBonusGranted() && bonus != null && bonus.signum() > 0) {
      state.setSignupBonusGranted(true);
      book.credit(Posting.of(LedgerEntryType.SIGNUP_BONUS, bonus, null)
          .withReason("sign-up bonus" + (locationId == null ? "" : " at " + locationId)), null, null);
    }
    book.touch();
    return CommandOutcome.applied(wasEnrolled ? "already a member" : null);
  }

  public static CommandOutcome optOut(AccountBook book) {
    book.state().setEnrollment(EnrollmentState.OPTED_OUT);
    book.touch();
    return CommandOutcome.applied();
  }

  public static CommandOutcome updateProfile(AccountBook book, UpdateProfile update) {
    AccountState state = book.state();
    Optional<CommandOutcome> refused = changeTags(state, update.getAddTags(), update.getRemoveTags());
    if (refused.isPresent()) {
      return refused.get();
    }
    setProfile(book, update.getCustomerGroup(), update.getFirstName(), update.getLastName(), update.getEmail(),
        update.getPhone(), update.getBirthDate());
    setAttributes(state, update.getHomeState(), update.getPostalCode(), update.getMedicalCardExpiresOn());
    if (!update.getPreferences().isEmpty()) {
      Map<String, String> preferences = new HashMap<>(state.getPreferences());
      preferences.putAll(update.getPreferences());
      state.setPreferences(preferences);
    }
    book.touch();
    return CommandOutcome.applied();
  }

  private static void setProfile(AccountBook book, String group, String firstName, String lastName, String email,
      String phone, java.time.LocalDate birthDate) {
    AccountState state = book.state();
    setIfPresent(group, state::setCustomerGroup);
    setIfPresent(firstName, state::setFirstName);
    setIfPresent(lastName, state::setLastName);
    ConsentRules.changeAddress(book, Channel.EMAIL, email);
    ConsentRules.changeAddress(book, Channel.SMS, phone);
    setIfPresent(birthDate, state::setBirthDate);
  }

  private static void setAttributes(AccountState state, String homeState, String postalCode, java.time.LocalDate medicalCardExpiresOn) {
    setIfPresent(homeState, state::setHomeState);
    setIfPresent(postalCode, state::setPostalCode);
    setIfPresent(medicalCardExpiresOn, state::setMedicalCardExpiresOn);
  }

  /**
   * Adds and removes tags, kept sorted; refused before anything changes when the account would hold more than
   * {@link #TAGS_KEPT} (segments and workflows read them on every event).
   */
  public static Optional<CommandOutcome> changeTags(AccountState state, List<String> added, List<String> removed) {
    if (added.isEmpty() && removed.isEmpty()) {
      return Optional.empty();
    }
    TreeSet<String> tags = new TreeSet<>(state.getTags());
    tags.addAll(added);
    removed.forEach(tags::remove);
    if (tags.size() > TAGS_KEPT) {
      return Optional.of(CommandOutcome.refused("INVALID_FIELD", "an account holds at most " + TAGS_KEPT + " tags; this would make "
          + tags.size()));
    }
    state.setTags(new ArrayList<>(tags));
    return Optional.empty();
  }

  private static <T> void setIfPresent(T value, java.util.function.Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
