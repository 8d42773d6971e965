package io.loyalty.workflows;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A workflow's treatment (entrants who ran it) and control group (entrants held out) side by side over its
 * conversion window after each entry, and the lift: the difference of their conversion rates with its 95%
 * confidence interval (the normal approximation for a difference of two proportions). Rates are statistics, not
 * money: they are doubles rounded to 4 places; spend per member is exact, in the program currency.
 *
 * @param lift treatment rate less control rate; null while either group is empty
 */
public record HoldoutReport(Group treatment, Group control, Double lift, Double liftLow, Double liftHigh) {
  private static final double Z_95 = 1.959964;

  /** One group: its members, those who purchased within the window, the rate, and spend and visits per member. */
  public record Group(long members, long converted, Double conversionRate, BigDecimal spendPerMember, BigDecimal visitsPerMember) {
    static Group of(long members, long converted, long spendCents, long visits) {
      if (members == 0) {
        return new Group(0, 0, null, null, null);
      }
      return new Group(members, converted, round((double) converted / members),
          BigDecimal.valueOf(spendCents, 2).divide(BigDecimal.valueOf(members), 2, RoundingMode.HALF_EVEN),
          BigDecimal.valueOf(visits).divide(BigDecimal.valueOf(members), 2, RoundingMode.HALF_EVEN));
    }
  }

  public static HoldoutReport of(long entered, long enteredConverted, long enteredSpendCents, long enteredVisits, long heldOut,
      long heldOutConverted, long heldOutSpendCents, long heldOutVisits) {
    Group treatment = Group.of(entered, enteredConverted, enteredSpendCents, enteredVisits);
    Group control = Group.of(heldOut, heldOutConverted, heldOutSpendCents, heldOutVisits);
    if (entered == 0 || heldOut == 0) {
      return new HoldoutReport(treatment, control, null, null, null);
    }
    double p1 = (double) enteredConverted / entered;
    double p2 = (double) heldOutConverted / heldOut;
    double margin = Z_95 * Math.sqrt(p1 * (1 - p1) / entered + p2 * (1 - p2) / heldOut);
    return new HoldoutReport(treatment, control, round(p1 - p2), round(p1 - p2 - margin), round(p1 - p2 + margin));
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
