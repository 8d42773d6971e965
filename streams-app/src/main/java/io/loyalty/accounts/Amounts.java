package io.loyalty.accounts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Scales of the contract: money has 2 decimals, points 4 (the program rounds points to at most 4). Values are
 * brought to these scales only where the result is exact; anything that would need rounding is a bug.
 */
public final class Amounts {
  public static final int MONEY_SCALE = 2;
  public static final int POINTS_SCALE = 4;
  public static final BigDecimal ZERO_POINTS = BigDecimal.ZERO.setScale(POINTS_SCALE);
  public static final BigDecimal ZERO_MONEY = BigDecimal.ZERO.setScale(MONEY_SCALE);

  private Amounts() {}

  public static BigDecimal points(BigDecimal value) {
    return value.setScale(POINTS_SCALE, RoundingMode.UNNECESSARY);
  }

  public static BigDecimal money(BigDecimal value) {
    return value.setScale(MONEY_SCALE, RoundingMode.UNNECESSARY);
  }
}
