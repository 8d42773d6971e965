package io.loyalty.earning;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an exact total over parts in proportion to weights, at a given scale, so that the shares add up to
 * the total exactly (largest remainder: the rounding leftovers go, one unit each, to the parts that lost the
 * most, earliest part first on ties). Deterministic for the same inputs.
 */
public final class ProRata {
  private ProRata() {}

  public static List<BigDecimal> split(BigDecimal total, List<BigDecimal> weights, int scale) {
    BigDecimal weightSum = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    List<BigDecimal> shares = new ArrayList<>();
    if (weightSum.signum() == 0) {
      weights.forEach(weight -> shares.add(BigDecimal.ZERO.setScale(scale)));
      if (!shares.isEmpty()) {
        shares.set(0, total.setScale(scale, RoundingMode.UNNECESSARY));
      }
      return shares;
    }
    List<BigDecimal> remainders = new ArrayList<>();
    BigDecimal allocated = BigDecimal.ZERO;
    for (BigDecimal weight : weights) {
      BigDecimal exact = total.multiply(weight).divide(weightSum, scale + 10, RoundingMode.DOWN);
      BigDecimal share = exact.setScale(scale, RoundingMode.DOWN);
      shares.add(share);
      remainders.add(exact.subtract(share));
      allocated = allocated.add(share);
    }
    BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
    BigDecimal leftover = total.setScale(scale, RoundingMode.UNNECESSARY).subtract(allocated);
    while (leftover.signum() > 0) {
      int best = 0;
      for (int i = 1; i < remainders.size(); i++) {
        if (remainders.get(i).compareTo(remainders.get(best)) > 0) {
          best = i;
        }
      }
      shares.set(best, shares.get(best).add(unit));
      remainders.set(best, BigDecimal.valueOf(-1));
      leftover = leftover.subtract(unit);
    }
    return shares;
  }

  /** {@code amount x part / whole} rounded half-up to the scale: a partial return's share of a line. */
  public static BigDecimal portion(BigDecimal amount, BigDecimal part, BigDecimal whole, int scale) {
    return amount.multiply(part).divide(whole, scale, RoundingMode.HALF_UP);
  }
}
