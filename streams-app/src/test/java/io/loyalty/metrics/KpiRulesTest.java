package io.loyalty.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.state.KpiMark;
import io.loyalty.avro.state.KpiMarkKind;
import io.loyalty.avro.state.KpiMarks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KpiRulesTest {
  private static int day(String date) {
    return Math.toIntExact(LocalDate.parse(date).toEpochDay());
  }

  private static List<String> describe(List<KpiMark> marks) {
    return marks.stream().map(mark -> mark.getKind() + " " + mark.getGrain() + " "
        + KpiPeriods.start(mark.getGrain(), mark.getPeriod()) + (mark.getLocationId() == null ? "" : " " + mark.getLocationId())).toList();
  }

  @Test
  void periodsAreLocalDaysIsoWeeksAndMonths() {
    LocalDate sunday = LocalDate.parse("2026-01-11");
    assertEquals(LocalDate.parse("2026-01-05"), KpiPeriods.start(KpiGrain.WEEK, KpiPeriods.index(KpiGrain.WEEK, sunday)));
    assertEquals(LocalDate.parse("2026-01-12"), KpiPeriods.start(KpiGrain.WEEK, KpiPeriods.index(KpiGrain.WEEK, sunday) + 1));
    assertEquals(LocalDate.parse("2025-12-29"), KpiPeriods.start(KpiGrain.WEEK, KpiPeriods.index(KpiGrain.WEEK, LocalDate.parse("2026-01-01"))),
        "ISO week 1 of 2026 starts on Monday 29 December 2025");
    assertEquals(LocalDate.parse("2024-02-29"), KpiPeriods.end(KpiGrain.MONTH, KpiPeriods.index(KpiGrain.MONTH, LocalDate.parse("2024-02-10"))));
    assertEquals(LocalDate.parse("2026-12-01"), KpiPeriods.start(KpiGrain.MONTH, KpiPeriods.index(KpiGrain.MONTH, LocalDate.parse("2026-11-30")) + 1));
  }

  @Test
  void aMemberIsRetainedOnceWhicheverOfTheTwoPeriodsArrivesFirst() {
    KpiMarks inOrder = KpiMarksRules.empty();
    List<KpiMark> first = new ArrayList<>();
    KpiMarksRules.active(inOrder, day("2026-01-05"), null, false, first);
    assertEquals(List.of("ACTIVE DAY 2026-01-05", "ACTIVE WEEK 2026-01-05", "ACTIVE MONTH 2026-01-01"), describe(first));
    List<KpiMark> next = new ArrayList<>();
    KpiMarksRules.active(inOrder, day("2026-01-13"), null, false, next);
    assertEquals(List.of("ACTIVE DAY 2026-01-13", "ACTIVE WEEK 2026-01-12", "RETAINED WEEK 2026-01-12"), describe(next),
        "the same month counts once; the 12th was not a day of activity");

    KpiMarks late = KpiMarksRules.empty();
    KpiMarksRules.active(late, day("2026-01-13"), null, false, new ArrayList<>());
    List<KpiMark> earlier = new ArrayList<>();
    KpiMarksRules.active(late, day("2026-01-05"), null, false, earlier);
    assertEquals(List.of("ACTIVE DAY 2026-01-05", "ACTIVE WEEK 2026-01-05", "RETAINED WEEK 2026-01-12"), describe(earlier));
    List<KpiMark> again = new ArrayList<>();
    KpiMarksRules.active(late, day("2026-01-06"), null, false, again);
    assertEquals(List.of("ACTIVE DAY 2026-01-06", "RETAINED DAY 2026-01-06"), describe(again),
        "the 5th was active the day before; the week and month already count the member");
  }

  @Test
  void bitsReachSixtyFourPeriodsBack() {
    KpiMarks marks = KpiMarksRules.empty();
    KpiMarksRules.set(marks, KpiMarkKind.ACTIVE, KpiGrain.DAY, null, 1000);
    assertTrue(KpiMarksRules.set(marks, KpiMarkKind.ACTIVE, KpiGrain.DAY, null, 1000 - 63));
    assertFalse(KpiMarksRules.set(marks, KpiMarkKind.ACTIVE, KpiGrain.DAY, null, 1000 - 64), "beyond the bits kept: not counted again");
    assertTrue(KpiMarksRules.set(marks, KpiMarkKind.ACTIVE, KpiGrain.DAY, null, 1100), "a jump beyond 64 periods clears the bits");
    assertFalse(KpiMarksRules.isSet(marks, KpiMarkKind.ACTIVE, KpiGrain.DAY, null, 1000));
    assertTrue(KpiMarksRules.isSet(marks, KpiMarkKind.ACTIVE, KpiGrain.DAY, null, 1100));
  }

  @Test
  void aMemberFollowsTenLocationsTheMostRecentlyVisited() {
    KpiMarks marks = KpiMarksRules.empty();
    for (int store = 0; store < 12; store++) {
      KpiMarksRules.active(marks, day("2026-01-01") + store, "store-" + store, false, new ArrayList<>());
    }
    List<String> followed = marks.getMarks().stream().filter(bits -> bits.getLocationId() != null && bits.getGrain() == KpiGrain.DAY)
        .map(bits -> bits.getLocationId()).sorted().toList();
    assertEquals(List.of("store-10", "store-11", "store-2", "store-3", "store-4", "store-5", "store-6", "store-7", "store-8",
        "store-9"), followed);
    assertEquals(3 + 30, marks.getMarks().size(), "the organization's three grains and ten locations' three each");
  }
}
