package io.loyalty.earning;

import io.loyalty.accounts.Amounts;
import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.TransactionEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Base accrual: points per currency unit of the spend before tax and after all discounts and point
 * redemptions, rounded once per transaction with the program's rounding.
 */
public final class Accrual {
  private Accrual() {}

  /** Subtotal minus discounts minus the currency value of every redemption, never below zero. */
  public static BigDecimal eligibleSpend(TransactionEvent purchase) {
    BigDecimal redeemedValue = purchase.getRedemptions().stream()
        .map(PointRedemption::getValue)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal spend = purchase.getSubtotal().subtract(purchase.getDiscounts()).subtract(redeemedValue);
    return Amounts.money(spend.max(BigDecimal.ZERO));
  }

  public static BigDecimal points(BigDecimal eligibleSpend, BigDecimal rate, int scale, RoundingMode mode) {
    return Amounts.points(eligibleSpend.multiply(rate).setScale(scale, mode));
  }
}
