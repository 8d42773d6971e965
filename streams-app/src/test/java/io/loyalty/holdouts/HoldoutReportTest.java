package io.loyalty.holdouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Treatment and control side by side, the lift with its 95% confidence interval, and who is held out, to exact figures. */
class HoldoutReportTest {
  @Test
  void theLiftIsTheDifferenceOfRatesWithANormalInterval() {
    // 12% of 1,000 against 8% of 250: a standard error of sqrt(.12 x .88 / 1000 + .08 x .92 / 250) = 0.02.
    HoldoutReport report = HoldoutReport.of(1000, 120, new BigDecimal("50000.00"), 1300, 250, 20, new BigDecimal("10000.00"), 275);
    assertEquals(new HoldoutReport.Group(1000, 120, new BigDecimal("0.1200"), new BigDecimal("50.00"), new BigDecimal("1.30")),
        report.treatment());
    assertEquals(new HoldoutReport.Group(250, 20, new BigDecimal("0.0800"), new BigDecimal("40.00"), new BigDecimal("1.10")),
        report.control());
    assertEquals(new BigDecimal("0.0400"), report.lift());
    assertEquals(new BigDecimal("0.0008"), report.liftLow(), "0.04 - 1.96 x 0.02");
    assertEquals(new BigDecimal("0.0792"), report.liftHigh());
  }

  @Test
  void withoutAControlGroupThereIsNoLift() {
    HoldoutReport report = HoldoutReport.of(40, 4, new BigDecimal("120.00"), 4, 0, 0, BigDecimal.ZERO, 0);
    assertNull(report.lift());
    assertEquals(new HoldoutReport.Group(0, 0, null, null, null), report.control());
    assertEquals(new BigDecimal("0.1000"), report.treatment().conversionRate());
  }

  @Test
  void theControlGroupIsAFixedShareChosenByAccountAndCampaign() {
    long held = IntStream.range(0, 10_000).filter(i -> ControlGroup.contains("org:c" + i, "offers", 20)).count();
    assertEquals(2_014, held, "about a fifth of 10,000 accounts, the same count on every run");
    // Raising the percent keeps everyone held out before: it only adds customers to the group.
    assertTrue(IntStream.range(0, 10_000).filter(i -> ControlGroup.contains("org:c" + i, "offers", 20))
        .allMatch(i -> ControlGroup.contains("org:c" + i, "offers", 30)));
    assertFalse(ControlGroup.contains("org:c1", "offers", 0));
    assertTrue(ControlGroup.contains("org:c1", "offers", 100));
  }
}
