package io.loyalty.segments;

import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentCondition;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.preferences.RecentPurchases;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The limits a program's segments must keep, checked when a program version arrives: segments are evaluated
 * on every change of every customer, so their number and size are bounded, and a condition that could not be
 * evaluated (a NOT of two conditions, a number that is not one) is refused with the version, never met at run time.
 */
public final class SegmentChecks {
  public static final int MAX_SEGMENTS = 50;
  public static final int MAX_CONDITIONS = 32;
  public static final int MAX_DEPTH = 5;
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  private static final Set<SegmentAttribute> FLAGS = EnumSet.of(SegmentAttribute.ENROLLED, SegmentAttribute.EMAIL_CONSENT,
      SegmentAttribute.SMS_CONSENT, SegmentAttribute.PUSH_CONSENT, SegmentAttribute.HAS_EMAIL, SegmentAttribute.HAS_PHONE,
      SegmentAttribute.BIRTHDAY_MONTH, SegmentAttribute.MEDICAL_PATIENT, SegmentAttribute.FIRST_TIME_BUYER, SegmentAttribute.CART_OPEN);
  private static final Set<SegmentAttribute> NUMBERS = EnumSet.of(SegmentAttribute.DAYS_SINCE_LAST_PURCHASE,
      SegmentAttribute.DAYS_SINCE_APP_LOGIN, SegmentAttribute.VISITS, SegmentAttribute.SPEND, SegmentAttribute.POINTS_BALANCE,
      SegmentAttribute.DAYS_UNTIL_BIRTHDAY, SegmentAttribute.DAYS_UNTIL_POINTS_EXPIRE, SegmentAttribute.PURCHASES_IN_WINDOW,
      SegmentAttribute.SPEND_IN_WINDOW);
  private static final Set<SegmentAttribute> WHOLE_DAYS = EnumSet.of(SegmentAttribute.DAYS_SINCE_LAST_PURCHASE,
      SegmentAttribute.DAYS_SINCE_APP_LOGIN, SegmentAttribute.VISITS, SegmentAttribute.DAYS_UNTIL_BIRTHDAY,
      SegmentAttribute.DAYS_UNTIL_POINTS_EXPIRE, SegmentAttribute.PURCHASES_IN_WINDOW);
  private static final Set<SegmentAttribute> WINDOWED = EnumSet.of(SegmentAttribute.PURCHASES_IN_WINDOW,
      SegmentAttribute.SPEND_IN_WINDOW);

  private SegmentChecks() {}

  static boolean isFlag(SegmentAttribute attribute) {
    return FLAGS.contains(attribute);
  }

  static boolean isNumber(SegmentAttribute attribute) {
    return NUMBERS.contains(attribute);
  }

  /** What is wrong with the segments, naming the segment; empty when they keep every limit. */
  public static Optional<String> problem(List<SegmentDefinition> segments) {
    if (segments.size() > MAX_SEGMENTS) {
      return Optional.of(segments.size() + " segments; at most " + MAX_SEGMENTS);
    }
    Set<String> ids = new HashSet<>();
    for (SegmentDefinition segment : segments) {
      if (!ID.matcher(segment.getId()).matches()) {
        return Optional.of("segment id '" + segment.getId() + "' is not 1 to 40 lowercase letters, digits, - or _");
      }
      if (!ids.add(segment.getId())) {
        return Optional.of("segment id '" + segment.getId() + "' is used twice");
      }
      Optional<String> problem = problem(segment.getCondition());
      if (problem.isPresent()) {
        return Optional.of("segment " + segment.getId() + ": " + problem.get());
      }
    }
    return Optional.empty();
  }

  /** What is wrong with one condition tree (a segment's, a workflow's audience or step), within the same limits. */
  public static Optional<String> problem(SegmentCondition condition) {
    int[] count = {0};
    Optional<String> problem = condition(condition, 1, count);
    if (problem.isEmpty() && count[0] > MAX_CONDITIONS) {
      problem = Optional.of(count[0] + " conditions; at most " + MAX_CONDITIONS);
    }
    return problem;
  }

  private static Optional<String> condition(SegmentCondition condition, int depth, int[] count) {
    count[0]++;
    if (depth > MAX_DEPTH) {
      return Optional.of("conditions nested deeper than " + MAX_DEPTH);
    }
    SegmentOperator operator = condition.getOperator();
    boolean combines = operator == SegmentOperator.ALL || operator == SegmentOperator.ANY || operator == SegmentOperator.NOT;
    if (combines) {
      if (condition.getAttribute() != null || !condition.getValues().isEmpty()) {
        return Optional.of(operator + " combines conditions; it takes no attribute or values");
      }
      if (operator == SegmentOperator.NOT && condition.getConditions().size() != 1) {
        return Optional.of("NOT takes exactly one condition");
      }
      for (SegmentCondition inner : condition.getConditions()) {
        Optional<String> problem = condition(inner, depth + 1, count);
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    return test(condition);
  }

  private static Optional<String> test(SegmentCondition condition) {
    SegmentAttribute attribute = condition.getAttribute();
    SegmentOperator operator = condition.getOperator();
    List<String> values = condition.getValues();
    if (attribute == null) {
      return Optional.of(operator + " needs an attribute");
    }
    if (!condition.getConditions().isEmpty()) {
      return Optional.of(operator + " tests an attribute; it combines no conditions");
    }
    if (WINDOWED.contains(attribute) != (condition.getWindowDays() != null)) {
      return Optional.of(WINDOWED.contains(attribute) ? attribute + " needs windowDays" : "windowDays is for PURCHASES_IN_WINDOW and SPEND_IN_WINDOW");
    }
    if (condition.getWindowDays() != null && (condition.getWindowDays() < 1 || condition.getWindowDays() > RecentPurchases.DAYS_KEPT)) {
      return Optional.of("windowDays " + condition.getWindowDays() + " must be between 1 and " + RecentPurchases.DAYS_KEPT);
    }
    if (values.isEmpty() || (operator != SegmentOperator.IN && values.size() != 1)) {
      return Optional.of(operator + " " + attribute + " needs " + (operator == SegmentOperator.IN ? "values" : "exactly one value"));
    }
    boolean ordered = operator == SegmentOperator.AT_LEAST || operator == SegmentOperator.AT_MOST;
    if (ordered && !NUMBERS.contains(attribute)) {
      return Optional.of(operator + " compares numbers; " + attribute + " is not one");
    }
    for (String value : values) {
      if (FLAGS.contains(attribute) && !value.equals("true") && !value.equals("false")) {
        return Optional.of(attribute + " is true or false, not '" + value + "'");
      }
      if (NUMBERS.contains(attribute)) {
        BigDecimal number;
        try {
          number = new BigDecimal(value);
        } catch (NumberFormatException e) {
          return Optional.of(attribute + " is a number, not '" + value + "'");
        }
        if (WHOLE_DAYS.contains(attribute) && (number.signum() < 0 || number.stripTrailingZeros().scale() > 0
            || number.compareTo(BigDecimal.valueOf(36_500)) > 0)) {
          return Optional.of(attribute + " is a whole number from 0 to 36500, not '" + value + "'");
        }
      }
    }
    return Optional.empty();
  }
}
