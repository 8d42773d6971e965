package io.loyalty.redemption;

import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many points a cart may take before checkout, under the program's redemption kind and its compliance
 * policy: never more than the customer can spend, never so many that the order costs less than the least a
 * customer must pay (no order at $0) or, where the policy says so, less than the cost of its goods, and none
 * below the program's smallest redemption. Points are worth points x pointValue, rounded half-up to cents, as
 * the POS records them.
 */
public final class CheckoutQuote {
  /** The most points the cart may take, what they are worth, and what stops it there. */
  public record Cap(BigDecimal points, BigDecimal value, String limitedBy) {}

  private CheckoutQuote() {}

  /**
   * @param spendable the customer's spendable points before the order
   * @param costOfGoods the cart's cost of goods, or null when its lines do not say
   */
  public static Cap maximum(TransactionEvent cart, BigDecimal spendable, BigDecimal costOfGoods, ProgramRules program) {
    BigDecimal orderValue = cart.getSubtotal().subtract(cart.getDiscounts());
    if (program.config().getRedemptionKind() == RedemptionKind.PAYMENT_AFTER_TAX) {
      orderValue = orderValue.add(cart.getTax());
    }
    BigDecimal ceiling = orderValue.subtract(program.config().getCompliance().getMinimumPaidAmount());
    String limitedBy = "the least a customer pays for an order (" + program.config().getCompliance().getMinimumPaidAmount().toPlainString() + ")";
    if (!program.config().getCompliance().getPointsMayPayBelowCost() && costOfGoods != null
        && orderValue.subtract(costOfGoods).compareTo(ceiling) < 0) {
      ceiling = orderValue.subtract(costOfGoods);
      limitedBy = "the cost of the goods (" + costOfGoods.toPlainString() + ")";
    }
    BigDecimal points = ceiling.signum() <= 0 ? BigDecimal.ZERO.setScale(program.pointsScale())
        : ceiling.divide(program.pointValue(), program.pointsScale(), RoundingMode.DOWN);
    // Rounded half-up to cents, the points' worth may pass the ceiling by a cent: one step less.
    BigDecimal step = BigDecimal.ONE.movePointLeft(program.pointsScale());
    while (points.signum() > 0 && worth(points, program).compareTo(ceiling) > 0) {
      points = points.subtract(step);
    }
    BigDecimal available = (spendable.signum() > 0 ? spendable : BigDecimal.ZERO).setScale(program.pointsScale(), RoundingMode.DOWN);
    if (available.compareTo(points) < 0) {
      points = available;
      limitedBy = "the customer's spendable points";
    }
    if (points.signum() > 0 && points.compareTo(program.config().getMinimumRedemption()) < 0) {
      return new Cap(BigDecimal.ZERO.setScale(program.pointsScale()), BigDecimal.ZERO.setScale(2),
          "the program's smallest redemption (" + program.config().getMinimumRedemption().toPlainString() + " points)");
    }
    return new Cap(points, worth(points, program), limitedBy);
  }

  public static BigDecimal worth(BigDecimal points, ProgramRules program) {
    return points.multiply(program.pointValue()).setScale(2, RoundingMode.HALF_UP);
  }
}
