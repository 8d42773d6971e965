package io.loyalty.offers;

import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.Product;
import io.loyalty.avro.state.AccountState;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The program's cannabis marketing policy, applied to every offer and marketing message before it is made. Where
 * each rule comes from, as far as this project can tell (operators must check their own jurisdiction):
 * <ul>
 *   <li>minimum age 21, 18 for registered patients: adult-use laws restrict marketing to people under 21 (e.g.
 *       Colorado 1 CCR 212-3 §3-1000 series, California Bus. &amp; Prof. Code §26151-26152), medical programs
 *       admit patients from 18;</li>
 *   <li>no birth date, no marketing: an operator must be able to show the recipient's age;</li>
 *   <li>no free cannabis: California BPC §26153 forbids giving cannabis away as part of a promotion, as do
 *       several other states;</li>
 *   <li>maximum discount: some jurisdictions and many operators cap promotional discounts;</li>
 *   <li>medical-only products only to registered medical patients;</li>
 *   <li>opt-out text in every SMS: the TCPA and the CTIA messaging principles.</li>
 * </ul>
 */
public final class Compliance {
  public static final String NO_BIRTH_DATE = "NO_BIRTH_DATE";
  public static final String UNDER_AGE = "UNDER_AGE";
  public static final String FREE_PRODUCT = "FREE_PRODUCT";
  public static final String DISCOUNT_ABOVE_MAXIMUM = "DISCOUNT_ABOVE_MAXIMUM";
  public static final String MEDICAL_ONLY = "MEDICAL_ONLY";
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Compliance() {}

  /** A registered medical patient: a medical card valid on that date, or one of the policy's medical customer groups. */
  public static boolean isMedicalPatient(AccountState state, CompliancePolicy policy, LocalDate on) {
    LocalDate cardExpires = state.getMedicalCardExpiresOn();
    return (cardExpires != null && !cardExpires.isBefore(on)) || state.getCustomerGroup() != null
        && policy.getMedicalCustomerGroups().stream().anyMatch(group -> group.equalsIgnoreCase(state.getCustomerGroup()));
  }

  /** The same, on the date the account's business clock shows in the program's time zone. */
  public static boolean isMedicalPatient(AccountState state, ProgramRules program) {
    return isMedicalPatient(state, program.config().getCompliance(), LocalDate.ofInstant(state.getClock(), program.zone()));
  }

  /** Why no marketing message may reach the customer now, if not. */
  public static Optional<String> forbidsMarketing(AccountState state, CompliancePolicy policy, boolean medicalPatient, Instant at,
      ZoneId zone) {
    LocalDate birth = state.getBirthDate();
    if (birth == null) {
      return policy.getRequireBirthDate() ? Optional.of(NO_BIRTH_DATE) : Optional.empty();
    }
    int age = Period.between(birth, at.atZone(zone).toLocalDate()).getYears();
    return age < (medicalPatient ? policy.getMinimumAgeMedical() : policy.getMinimumAge()) ? Optional.of(UNDER_AGE) : Optional.empty();
  }

  /** The same for the program's policy, the customer being a patient or not on that day in the program's time zone. */
  public static Optional<String> forbidsMarketing(AccountState state, ProgramRules program, Instant at) {
    CompliancePolicy policy = program.config().getCompliance();
    return forbidsMarketing(state, policy, isMedicalPatient(state, policy, LocalDate.ofInstant(at, program.zone())), at,
        program.zone());
  }

  /** Why this offer may not be made to this customer, if not. */
  public static Optional<String> forbidsOffer(OfferKind kind, BigDecimal value, Product target, CompliancePolicy policy,
      boolean medicalPatient) {
    if (target != null && target.getMedicalOnly() && !medicalPatient) {
      return Optional.of(MEDICAL_ONLY);
    }
    boolean discount = kind == OfferKind.PRODUCT_DISCOUNT || kind == OfferKind.CATEGORY_DISCOUNT;
    if (discount && value.compareTo(HUNDRED) >= 0 && !policy.getFreeProductOffersAllowed()) {
      return Optional.of(FREE_PRODUCT);
    }
    if (discount && value.compareTo(policy.getMaximumDiscountPercent()) > 0) {
      return Optional.of(DISCOUNT_ABOVE_MAXIMUM);
    }
    return Optional.empty();
  }
}
