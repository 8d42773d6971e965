package io.loyalty.holdouts;

import io.loyalty.avro.state.HoldoutFigures;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A campaign's treated group and its control group side by side over the conversion window after each decision,
 * and the lift: the difference of their conversion rates with its 95% confidence interval (the normal
 * approximation for a difference of two proportions). Exact decimals, rounded half-even to 4 places (rates) and
 * 2 (money and visits per member), so the API and loyalty.metrics print the same figures on every replay.
 *
 * @param lift treated rate less control rate; null while either group is empty
 */
public record HoldoutReport(Group treatment, Group control, BigDecimal lift, BigDecimal liftLow, BigDecimal liftHigh) {
  private static final BigDecimal Z_95 = new BigDecimal("1.959964");
  private static final MathContext PRECISION = MathContext.DECIMAL64;
  private static final int RATE_SCALE = 4;
  private static final int PER_MEMBER_SCALE = 2;

  /** One group: its decisions, those followed by a purchase within the window, the rate, and spend and visits per decision. */
  public record Group(long members, long converted, BigDecimal conversionRate, BigDecimal spendPerMember, BigDecimal visitsPerMember) {
    static Group of(long members, long converted, BigDecimal spend, long visits) {
      if (members == 0) {
        return new Group(0, 0, null, null, null);
      }
      BigDecimal count = BigDecimal.valueOf(members);
      return new Group(members, converted, BigDecimal.valueOf(converted).divide(count, RATE_SCALE, RoundingMode.HALF_EVEN),
          spend.divide(count, PER_MEMBER_SCALE, RoundingMode.HALF_EVEN),
          BigDecimal.valueOf(visits).divide(count, PER_MEMBER_SCALE, RoundingMode.HALF_EVEN));
    }
  }

  public static HoldoutReport of(HoldoutFigures figures) {
    return of(figures.getTreated(), figures.getTreatedConverted(), figures.getTreatedSales(), figures.getTreatedVisits(),
        figures.getControl(), figures.getControlConverted(), figures.getControlSales(), figures.getControlVisits());
  }

  public static HoldoutReport of(long treated, long treatedConverted, BigDecimal treatedSpend, long treatedVisits, long control,
      long controlConverted, BigDecimal controlSpend, long controlVisits) {
    Group treatment = Group.of(treated, treatedConverted, treatedSpend, treatedVisits);
    Group held = Group.of(control, controlConverted, controlSpend, controlVisits);
    if (treated == 0 || control == 0) {
      return new HoldoutReport(treatment, held, null, null, null);
    }
    BigDecimal p1 = BigDecimal.valueOf(treatedConverted).divide(BigDecimal.valueOf(treated), PRECISION);
    BigDecimal p2 = BigDecimal.valueOf(controlConverted).divide(BigDecimal.valueOf(control), PRECISION);
    BigDecimal variance = variance(p1, treated).add(variance(p2, control), PRECISION);
    BigDecimal margin = Z_95.multiply(variance.sqrt(PRECISION), PRECISION);
    BigDecimal lift = p1.subtract(p2, PRECISION);
    return new HoldoutReport(treatment, held, rate(lift), rate(lift.subtract(margin)), rate(lift.add(margin)));
  }

  /** p (1 - p) / n: the variance of a proportion p observed over n. */
  private static BigDecimal variance(BigDecimal p, long n) {
    return p.multiply(BigDecimal.ONE.subtract(p), PRECISION).divide(BigDecimal.valueOf(n), PRECISION);
  }

  private static BigDecimal rate(BigDecimal value) {
    return value.setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
  }
}
