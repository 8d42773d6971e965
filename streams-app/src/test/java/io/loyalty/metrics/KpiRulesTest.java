package io.loyalty.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMark;
import io.loyalty.avro.state.KpiMarkKind;
import io.loyalty.avro.state.KpiMarks;
import io.loyalty.avro.state.KpiRow;
import java.math.BigDecimal;
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
  void deltasOfOneDaySumIntoOneRecordThatAddsUpToTheSameRow() {
    KpiDelta first = delta("loc-1", 1, "12.50", null, "silver");
    first.setMarks(new ArrayList<>(List.of(new KpiMark(KpiMarkKind.ACTIVE, KpiGrain.DAY, day("2026-01-05"), null, 1L))));
    KpiDelta second = delta("loc-1", 1, "7.25", "silver", "gold");
    second.setMarks(new ArrayList<>(List.of(new KpiMark(KpiMarkKind.ACTIVE, KpiGrain.DAY, day("2026-01-05"), null, 1L),
        new KpiMark(KpiMarkKind.MOVED_UP, KpiGrain.MONTH, KpiPeriods.index(KpiGrain.MONTH, LocalDate.parse("2026-01-05")), null, 1L))));
    assertEquals(KpiDeltas.key(first), KpiDeltas.key(second));
    assertFalse(KpiDeltas.key(first).equals(KpiDeltas.key(delta(null, 1, "1.00", null, null))), "another location sums apart");

    KpiDelta sum = KpiDelta.newBuilder(first).build();
    KpiDeltas.add(sum, second);
    assertEquals(2, sum.getInputs());
    assertEquals(2, sum.getMemberOrders());
    assertEquals(new BigDecimal("19.75"), sum.getMemberSales());
    assertEquals(java.util.Map.of("gold", 1L), sum.getTierMoves(), "silver entered and left: only gold gained a member");
    assertEquals(List.of("ACTIVE DAY 2026-01-05 x2", "MOVED_UP MONTH 2026-01-01 x1"), sum.getMarks().stream()
        .map(mark -> mark.getKind() + " " + mark.getGrain() + " " + KpiPeriods.start(mark.getGrain(), mark.getPeriod()) + " x" + mark.getMembers())
        .toList());

    KpiRow byInput = KpiSums.empty();
    KpiSums.add(byInput, first);
    KpiSums.add(byInput, second);
    first.getMarks().forEach(mark -> KpiSums.count(byInput, mark));
    second.getMarks().forEach(mark -> KpiSums.count(byInput, mark));
    KpiRow summed = KpiSums.empty();
    KpiSums.add(summed, sum);
    sum.getMarks().forEach(mark -> KpiSums.count(summed, mark));
    assertEquals(byInput, summed);
    assertEquals(2, summed.getActiveMembers());
  }

  private static KpiDelta delta(String location, long orders, String sales, String tierLeft, String tierEntered) {
    java.util.Map<String, Long> moves = new java.util.HashMap<>();
    if (tierLeft != null) {
      moves.put(tierLeft, -1L);
    }
    if (tierEntered != null) {
      moves.merge(tierEntered, 1L, Long::sum);
    }
    return new KpiDelta("greenleaf", location, day("2026-01-05"), orders, new BigDecimal(sales), 0L, new BigDecimal("0.00"),
        new BigDecimal("0.0000"), new BigDecimal("0.0000"), new BigDecimal("0.0000"), new BigDecimal("0.0000"), 0, 0, null, null, 0, 0, 0, 0,
        new ArrayList<>(), 1L, moves, new java.util.TreeMap<>());
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
