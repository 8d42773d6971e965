package io.loyalty.segments;

import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentCondition;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.offers.Compliance;
import io.loyalty.preferences.Insights;
import io.loyalty.preferences.RecentPurchases;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Segment membership: whether a customer's facts meet a segment's condition now, and the next moment that may
 * change without any event of the customer (a "days since" count reaching its bound, a new month for
 * birthdays, a medical card expiring, the churn risk turning), so a timer can re-evaluate exactly then. A
 * test on an attribute the customer does not have yet is false; ALL of no condition is true.
 */
public final class SegmentRules {
  private static final Duration DAY = Duration.ofDays(1);

  private SegmentRules() {}

  public static boolean matches(SegmentCondition condition, SegmentFacts facts) {
    return switch (condition.getOperator()) {
      case ALL -> condition.getConditions().stream().allMatch(inner -> matches(inner, facts));
      case ANY -> condition.getConditions().stream().anyMatch(inner -> matches(inner, facts));
      case NOT -> !matches(condition.getConditions().get(0), facts);
      case EQUALS, IN, AT_LEAST, AT_MOST -> test(condition, facts);
    };
  }

  /** The segments of the program the customer is in now, in the program's order. */
  public static List<SegmentDefinition> membersOf(List<SegmentDefinition> segments, SegmentFacts facts) {
    List<SegmentDefinition> in = new ArrayList<>();
    for (SegmentDefinition segment : segments) {
      if (matches(segment.getCondition(), facts)) {
        in.add(segment);
      }
    }
    return in;
  }

  /** The earliest moment after {@code facts.now()} at which any of the segments' time-relative tests may turn. */
  public static Optional<Instant> nextTurn(List<SegmentDefinition> segments, SegmentFacts facts) {
    Instant next = null;
    for (SegmentDefinition segment : segments) {
      for (Instant turn : turns(segment.getCondition(), facts, new ArrayList<>())) {
        if (turn.isAfter(facts.now()) && (next == null || turn.isBefore(next))) {
          next = turn;
        }
      }
    }
    return Optional.ofNullable(next);
  }

  private static boolean test(SegmentCondition condition, SegmentFacts facts) {
    SegmentAttribute attribute = condition.getAttribute();
    List<String> values = condition.getValues();
    if (attribute == SegmentAttribute.TAG) {
      return values.stream().anyMatch(facts::hasTag);
    }
    if (SegmentChecks.isFlag(attribute)) {
      Boolean flag = facts.flag(attribute);
      return flag != null && values.stream().anyMatch(value -> Boolean.parseBoolean(value) == flag);
    }
    if (SegmentChecks.isNumber(attribute)) {
      BigDecimal number = facts.number(attribute, condition.getWindowDays());
      if (number == null) {
        return false;
      }
      return switch (condition.getOperator()) {
        case AT_LEAST -> number.compareTo(new BigDecimal(values.get(0))) >= 0;
        case AT_MOST -> number.compareTo(new BigDecimal(values.get(0))) <= 0;
        default -> values.stream().anyMatch(value -> number.compareTo(new BigDecimal(value)) == 0);
      };
    }
    String text = facts.text(attribute);
    return text != null && values.stream().anyMatch(text::equalsIgnoreCase);
  }

  /** Adds the moments the condition's time-relative tests turn, from what the facts hold now. */
  private static List<Instant> turns(SegmentCondition condition, SegmentFacts facts, List<Instant> into) {
    condition.getConditions().forEach(inner -> turns(inner, facts, into));
    SegmentAttribute attribute = condition.getAttribute();
    if (attribute == null) {
      return into;
    }
    switch (attribute) {
      case DAYS_SINCE_LAST_PURCHASE, DAYS_SINCE_APP_LOGIN -> {
        Instant origin = facts.daysSinceOrigin(attribute);
        if (origin != null) {
          // "At least n days" turns at origin + n days; "at most n" and "equals n" at origin + n + 1 days.
          for (String value : condition.getValues()) {
            long days = new BigDecimal(value).longValueExact();
            if (condition.getOperator() != SegmentOperator.AT_MOST) {
              into.add(origin.plus(DAY.multipliedBy(days)));
            }
            if (condition.getOperator() != SegmentOperator.AT_LEAST) {
              into.add(origin.plus(DAY.multipliedBy(days + 1)));
            }
          }
        }
      }
      case DAYS_UNTIL_BIRTHDAY -> {
        if (facts.state().getBirthDate() != null) {
          // The count falls by one at each local midnight and jumps to a year the day after the birthday: "at most n"
          // turns n days before it, "at least n" the day after that, "equals n" at both.
          LocalDate birthday = facts.nextBirthday();
          into.add(birthday.plusDays(1).atStartOfDay(facts.zone()).toInstant());
          for (String value : condition.getValues()) {
            long days = new BigDecimal(value).longValueExact();
            if (condition.getOperator() != SegmentOperator.AT_LEAST) {
              into.add(birthday.minusDays(days).atStartOfDay(facts.zone()).toInstant());
            }
            if (condition.getOperator() != SegmentOperator.AT_MOST) {
              into.add(birthday.minusDays(days - 1).atStartOfDay(facts.zone()).toInstant());
            }
          }
        }
      }
      case DAYS_UNTIL_POINTS_EXPIRE -> {
        Instant expiry = facts.nextPointsExpiry();
        if (expiry != null) {
          for (String value : condition.getValues()) {
            long days = new BigDecimal(value).longValueExact();
            if (condition.getOperator() != SegmentOperator.AT_LEAST) {
              into.add(expiry.minus(DAY.multipliedBy(days)));
            }
            if (condition.getOperator() != SegmentOperator.AT_MOST) {
              into.add(expiry.minus(DAY.multipliedBy(days - 1)));
            }
          }
        }
      }
      case PURCHASES_IN_WINDOW, SPEND_IN_WINDOW -> {
        if (facts.preferences() != null) {
          RecentPurchases.nextLeaving(facts.preferences(), condition.getWindowDays(), facts.today(), facts.zone()).ifPresent(into::add);
        }
      }
      case BIRTHDAY_MONTH -> into.add(facts.today().withDayOfMonth(1).plusMonths(1).atStartOfDay(facts.zone()).toInstant());
      case MEDICAL_PATIENT -> {
        LocalDate expires = facts.state().getMedicalCardExpiresOn();
        if (expires != null && Compliance.isMedicalPatient(facts.state(), facts.program().config().getCompliance(), facts.today())) {
          into.add(expires.plusDays(1).atStartOfDay(facts.zone()).toInstant());
        }
      }
      case CHURN_RISK -> {
        if (facts.preferences() != null) {
          into.addAll(Insights.churnTurns(facts.preferences()));
        }
      }
      default -> { }
    }
    return into;
  }
}
