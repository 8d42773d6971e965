package io.loyalty.earning;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.testing.Records;
import java.math.RoundingMode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccrualTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");

  @Test
  void dutchieWorkedExampleEarnsEightAndAHalfPoints() {
    var purchase = Records.dutchieExample("t1", "c1", AT).build();
    assertEquals(d("85.00"), Accrual.eligibleSpend(purchase));
    assertEquals(d("8.5000"), Accrual.points(Accrual.eligibleSpend(purchase), d("0.1"), 2, RoundingMode.HALF_UP));
  }

  @Test
  void thirtyFiveFiftyBeforeTaxEarnsThreePointFiftyFive() {
    assertEquals(d("3.5500"), Accrual.points(d("35.50"), d("0.1"), 2, RoundingMode.HALF_UP));
  }

  @Test
  void roundingIsAppliedOncePerTransactionWithTheProgramsModeAndScale() {
    assertEquals(d("3.5600"), Accrual.points(d("35.55"), d("0.1"), 2, RoundingMode.HALF_UP));
    assertEquals(d("3.5500"), Accrual.points(d("35.55"), d("0.1"), 2, RoundingMode.DOWN));
    assertEquals(d("3.0000"), Accrual.points(d("35.55"), d("0.1"), 0, RoundingMode.FLOOR));
    assertEquals(d("3.5550"), Accrual.points(d("35.55"), d("0.1"), 4, RoundingMode.HALF_UP));
  }

  @Test
  void afterTaxRedemptionsAlsoReduceTheEarningSpendButNeverBelowZero() {
    var purchase = Records.purchase("t2", "c1", "10.00", AT)
        .setRedemptions(java.util.List.of(new io.loyalty.avro.PointRedemption(
            io.loyalty.avro.RedemptionKind.PAYMENT_AFTER_TAX, d("12.0000"), d("12.00"), null, null)))
        .build();
    assertEquals(d("0.00"), Accrual.eligibleSpend(purchase));
  }
}
