package io.loyalty.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Treatment and control side by side, and the lift with its 95% confidence interval, to exact figures. */
class HoldoutReportTest {
  @Test
  void theLiftIsTheDifferenceOfRatesWithANormalInterval() {
    // 12% of 1,000 against 8% of 250: a standard error of sqrt(.12 x .88 / 1000 + .08 x .92 / 250) = 0.02.
    HoldoutReport report = HoldoutReport.of(1000, 120, 5_000_000, 1300, 250, 20, 1_000_000, 275);
    assertEquals(new HoldoutReport.Group(1000, 120, 0.12, new BigDecimal("50.00"), new BigDecimal("1.30")), report.treatment());
    assertEquals(new HoldoutReport.Group(250, 20, 0.08, new BigDecimal("40.00"), new BigDecimal("1.10")), report.control());
    assertEquals(0.04, report.lift());
    assertEquals(0.0008, report.liftLow(), "0.04 - 1.96 x 0.02");
    assertEquals(0.0792, report.liftHigh());
  }

  @Test
  void withoutAControlGroupThereIsNoLift() {
    HoldoutReport report = HoldoutReport.of(40, 4, 12_000, 4, 0, 0, 0, 0);
    assertNull(report.lift());
    assertEquals(new HoldoutReport.Group(0, 0, null, null, null), report.control());
    assertEquals(0.1, report.treatment().conversionRate());
  }
}
