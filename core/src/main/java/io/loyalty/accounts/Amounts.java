package io.loyalty.accounts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Scales of the contract: money has 2 decimals, points 4 (the program rounds points to at most 4). Values are
 * brought to these scales only where the result is exact; anything that would need rounding is a bug. Every
 * amount the contract carries has at most 18 digits: one beyond that cannot be written, so it is refused here,
 * where it is computed, before any output of its input exists.
 */
public final class Amounts {
  public static final int MONEY_SCALE = 2;
  public static final int POINTS_SCALE = 4;
  public static final int PRECISION = 18;
  public static final BigDecimal ZERO_POINTS = BigDecimal.ZERO.setScale(POINTS_SCALE);
  public static final BigDecimal ZERO_MONEY = BigDecimal.ZERO.setScale(MONEY_SCALE);

  private Amounts() {}

  public static BigDecimal points(BigDecimal value) {
    return inRange(value.setScale(POINTS_SCALE, RoundingMode.UNNECESSARY), "points");
  }

  public static BigDecimal money(BigDecimal value) {
    return inRange(value.setScale(MONEY_SCALE, RoundingMode.UNNECESSARY), "money");
  }

  private static BigDecimal inRange(BigDecimal value, String kind) {
    if (value.precision() > PRECISION) {
      throw new OutOfRange(kind, value.scale());
    }
    return value;
  }

  /** An amount too large for the contract's decimals: its input is refused whole, with this reason. */
  public static final class OutOfRange extends RuntimeException {
    OutOfRange(String kind, int scale) {
      super("an amount of " + kind + " would exceed the contract's " + PRECISION + " digits (" + (PRECISION - scale)
          + " before the decimal point); nothing was applied");
    }
  }
}
