package io.loyalty.redemption;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.programs.ProgramRules;
import io.loyalty.testing.Records;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The most points a cart may take: balance, the least a customer pays, the cost of goods, the smallest redemption. */
class CheckoutQuoteTest {
  private static final TransactionEvent CART = Records.purchase("cart", "c1", "40.00", Instant.parse("2026-03-02T18:00:00Z"))
      .setTax(d("6.00")).setTotal(d("46.00")).build();

  private static ProgramRules program(RedemptionKind kind, boolean belowCost, String minimumRedemption) {
    ProgramConfig.Builder config = Records.program("1").setPointValue(d("0.0500")).setRedemptionKind(kind)
        .setMinimumRedemption(d(minimumRedemption).setScale(4));
    CompliancePolicy compliance = CompliancePolicy.newBuilder().setPointsMayPayBelowCost(belowCost).build();
    return new ProgramRules(config.setCompliance(compliance).build());
  }

  private static String describe(CheckoutQuote.Cap cap) {
    return cap.points().toPlainString() + " points = " + cap.value().toPlainString() + ", limited by " + cap.limitedBy();
  }

  @Test
  void theOrderNeverComesToZero() {
    assertEquals("799.80 points = 39.99, limited by the least a customer pays for an order (0.01)",
        describe(CheckoutQuote.maximum(CART, d("1000"), null, program(RedemptionKind.PAYMENT_BEFORE_TAX, true, "0"))));
    assertEquals("919.80 points = 45.99, limited by the least a customer pays for an order (0.01)",
        describe(CheckoutQuote.maximum(CART, d("1000"), null, program(RedemptionKind.PAYMENT_AFTER_TAX, true, "0"))),
        "after tax, points pay the total");
  }

  @Test
  void theBalanceTheCostOfGoodsAndTheSmallestRedemptionCapIt() {
    assertEquals("100.00 points = 5.00, limited by the customer's spendable points",
        describe(CheckoutQuote.maximum(CART, d("100.00009"), null, program(RedemptionKind.PAYMENT_BEFORE_TAX, true, "0"))));
    assertEquals("200.00 points = 10.00, limited by the cost of the goods (30.00)",
        describe(CheckoutQuote.maximum(CART, d("1000"), d("30.00"), program(RedemptionKind.PAYMENT_BEFORE_TAX, false, "0"))));
    assertEquals("799.80 points = 39.99, limited by the least a customer pays for an order (0.01)",
        describe(CheckoutQuote.maximum(CART, d("1000"), d("30.00"), program(RedemptionKind.PAYMENT_BEFORE_TAX, true, "0"))),
        "where the policy lets points pay below cost, the cost does not count");
    assertEquals("0.00 points = 0.00, limited by the program's smallest redemption (500.0000 points)",
        describe(CheckoutQuote.maximum(CART, d("300"), null, program(RedemptionKind.PAYMENT_BEFORE_TAX, true, "500"))));
    assertEquals("0.00 points = 0.00, limited by the customer's spendable points",
        describe(CheckoutQuote.maximum(CART, d("-12"), null, program(RedemptionKind.PAYMENT_BEFORE_TAX, true, "0"))));
  }
}
