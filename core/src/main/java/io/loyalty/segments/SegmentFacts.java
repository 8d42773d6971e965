package io.loyalty.segments;

import io.loyalty.avro.Channel;
import io.loyalty.avro.ChurnRisk;
import io.loyalty.avro.Engagement;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.Timer;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.engagement.EngagementRules;
import io.loyalty.notifications.ConsentRules;
import io.loyalty.offers.Compliance;
import io.loyalty.preferences.Insights;
import io.loyalty.preferences.RecentPurchases;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What segment conditions read of one customer at one business time: the account, and (when the customer has
 * them) the purchase history's preferences and the engagement outside the POS.
 *
 * @param preferences null before the first purchase
 * @param engagement null before the first activity report
 */
public record SegmentFacts(AccountState state, CustomerPreferences preferences, Engagement engagement, ProgramRules program,
    Instant now) {
  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

  ZoneId zone() {
    return program.zone();
  }

  LocalDate today() {
    return LocalDate.ofInstant(now, zone());
  }

  String text(io.loyalty.avro.SegmentAttribute attribute) {
    return switch (attribute) {
      case CUSTOMER_GROUP -> state.getCustomerGroup();
      case TIER -> state.getTier();
      case HOME_STATE -> state.getHomeState();
      case POSTAL_CODE -> state.getPostalCode();
      case CHURN_RISK -> preferences == null ? null : nullIfUnknown(Insights.churnRisk(preferences, now));
      case PREFERRED_CATEGORY -> preferences == null ? null : top(preferences.getCategories());
      case PREFERRED_STRAIN_TYPE -> preferences == null ? null : top(preferences.getStrainTypes());
      case PREFERRED_METHOD -> preferences == null ? null : top(preferences.getMethods());
      case PREFERRED_LOCATION -> preferences == null ? null : top(preferences.getLocations());
      default -> throw new IllegalArgumentException(attribute + " is not text");
    };
  }

  Boolean flag(io.loyalty.avro.SegmentAttribute attribute) {
    return switch (attribute) {
      case ENROLLED -> state.getEnrollment() == EnrollmentState.ENROLLED;
      case EMAIL_CONSENT -> ConsentRules.consent(state, Channel.EMAIL) == ChannelConsent.CONFIRMED;
      case SMS_CONSENT -> ConsentRules.consent(state, Channel.SMS) == ChannelConsent.CONFIRMED;
      case PUSH_CONSENT -> ConsentRules.consent(state, Channel.PUSH) == ChannelConsent.CONFIRMED;
      case HAS_EMAIL -> state.getEmail() != null;
      case HAS_PHONE -> state.getPhone() != null;
      case BIRTHDAY_MONTH -> state.getBirthDate() == null ? null : state.getBirthDate().getMonth() == today().getMonth();
      case MEDICAL_PATIENT -> Compliance.isMedicalPatient(state, program.config().getCompliance(), today());
      case FIRST_TIME_BUYER -> visits() == 1;
      case CART_OPEN -> engagement != null && EngagementRules.cartOpen(engagement, state.getLastPurchaseAt());
      default -> throw new IllegalArgumentException(attribute + " is not true or false");
    };
  }

  /** @param windowDays the days PURCHASES_IN_WINDOW and SPEND_IN_WINDOW count (validated: set for them only) */
  BigDecimal number(io.loyalty.avro.SegmentAttribute attribute, Integer windowDays) {
    return switch (attribute) {
      case PURCHASES_IN_WINDOW -> BigDecimal.valueOf(preferences == null ? 0 : RecentPurchases.purchases(preferences, windowDays, today()));
      case SPEND_IN_WINDOW -> BigDecimal.valueOf(preferences == null ? 0 : RecentPurchases.spendCents(preferences, windowDays, today()), 2);
      case DAYS_SINCE_LAST_PURCHASE -> daysSince(state.getLastPurchaseAt());
      case DAYS_SINCE_APP_LOGIN -> daysSince(engagement == null ? null : engagement.getLastAppLoginAt());
      case VISITS -> BigDecimal.valueOf(visits());
      case SPEND -> preferences == null ? BigDecimal.ZERO : preferences.getSpend();
      case POINTS_BALANCE -> state.getBalance();
      case DAYS_UNTIL_BIRTHDAY -> state.getBirthDate() == null ? null
          : BigDecimal.valueOf(ChronoUnit.DAYS.between(today(), nextBirthday()));
      case DAYS_UNTIL_POINTS_EXPIRE -> {
        Instant expiry = nextPointsExpiry();
        // Rounded up: "within 7 days" holds from exactly 7 days before the expiry.
        yield expiry == null ? null : BigDecimal.valueOf(Math.floorDiv(expiry.toEpochMilli() - now.toEpochMilli() + DAY_MILLIS - 1, DAY_MILLIS));
      }
      default -> throw new IllegalArgumentException(attribute + " is not a number");
    };
  }

  /** The customer's next birthday, today included (29 February is kept on the 28th in other years). */
  LocalDate nextBirthday() {
    LocalDate today = today();
    LocalDate thisYear = state.getBirthDate().withYear(today.getYear());
    return thisYear.isBefore(today) ? state.getBirthDate().withYear(today.getYear() + 1) : thisYear;
  }

  /** When points of the account expire next: its earliest lot with a deadline, or the whole balance by inactivity. */
  Instant nextPointsExpiry() {
    Instant next = null;
    for (Lot lot : state.getLots()) {
      if (lot.getExpiresAt() != null && lot.getRemaining().signum() > 0 && lot.getExpiresAt().isAfter(now)
          && (next == null || lot.getExpiresAt().isBefore(next))) {
        next = lot.getExpiresAt();
      }
    }
    if (state.getBalance().signum() > 0) {
      for (Timer timer : state.getTimers()) {
        if (timer.getKind() == TimerKind.INACTIVITY_EXPIRY && timer.getDueAt().isAfter(now)
            && (next == null || timer.getDueAt().isBefore(next))) {
          next = timer.getDueAt();
        }
      }
    }
    return next;
  }

  boolean hasTag(String tag) {
    return state.getTags().contains(tag);
  }

  /** The instant a "days since" attribute started counting from, for the moments it turns. */
  Instant daysSinceOrigin(io.loyalty.avro.SegmentAttribute attribute) {
    return switch (attribute) {
      case DAYS_SINCE_LAST_PURCHASE -> state.getLastPurchaseAt();
      case DAYS_SINCE_APP_LOGIN -> engagement == null ? null : engagement.getLastAppLoginAt();
      default -> null;
    };
  }

  /** Whole days elapsed (24 h each) since an instant; null when there is none or it is still ahead. */
  private BigDecimal daysSince(Instant origin) {
    return origin == null || now.isBefore(origin) ? null : BigDecimal.valueOf((now.toEpochMilli() - origin.toEpochMilli()) / DAY_MILLIS);
  }

  private long visits() {
    return preferences == null ? 0 : preferences.getVisits();
  }

  private static String top(List<Affinity> dimension) {
    return dimension.isEmpty() ? null : dimension.get(0).getKey();
  }

  private static String nullIfUnknown(ChurnRisk risk) {
    return risk == ChurnRisk.UNKNOWN ? null : risk.name();
  }
}
