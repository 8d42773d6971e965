package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loyalty.avro.EnrollmentMode;
import io.loyalty.avro.OptOut;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.TierDefinition;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The program's KPIs on a small history with every kind of input, in New York time: two weeks of January 2026,
 * a member who comes back (retained, moves up a tier, redeems), one who joins and leaves, a non-member whose
 * purchase is voided, an anonymous sale late in the local evening. Every figure is worked out by hand.
 */
class KpisTest {
  private TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private void program() {
    harness.program(Records.program("1").setTimeZone("America/New_York").setEnrollment(EnrollmentMode.OPT_IN)
        .setPointValue(d("0.0500"))
        .setTiers(List.of(
            TierDefinition.newBuilder().setTierId("silver").setName("Silver").setThreshold(d("200.00")).build(),
            TierDefinition.newBuilder().setTierId("gold").setName("Gold").setThreshold(d("500.00")).build()))
        .build());
  }

  private void firstWeek() {
    // Monday 5 January, 09:00 to 21:00 in New York (UTC-5).
    harness.command(Records.command("enroll-c1", "c1", Instant.parse("2026-01-05T14:00:00Z"), Records.enroll()));
    harness.transaction(Records.purchase("t1", "c1", "120.00", Instant.parse("2026-01-05T15:00:00Z")).build());
    harness.transaction(Records.purchase("t2", "c2", "50.00", Instant.parse("2026-01-05T16:00:00Z")).build());
    // 21:00 on the 5th in New York, the 6th in UTC: a day of the program's zone.
    harness.transaction(Records.purchase("t3", null, "30.00", Instant.parse("2026-01-06T02:00:00Z")).build());
    harness.transaction(Records.voidOf("v2", "t2", "c2", Instant.parse("2026-01-06T15:00:00Z")).build());
  }

  private void secondWeek() {
    harness.transaction(Records.purchase("t4", "c1", "100.00", Instant.parse("2026-01-13T15:00:00Z")).setLocationId("uptown").build());
    harness.command(Records.command("enroll-c3", "c3", Instant.parse("2026-01-13T19:00:00Z"), Records.enroll()));
    harness.transaction(Records.purchase("t5", "c3", "10.00", Instant.parse("2026-01-13T20:00:00Z")).setLocationId("uptown").build());
    // 20 points at $0.05 pay $1.00: 39 points earned on the $39.00 left.
    harness.transaction(Records.purchase("t6", "c1", "40.00", Instant.parse("2026-01-14T15:00:00Z")).setLocationId("uptown")
        .setRedemptions(List.of(Records.redemption("20", "1.00", null))).setTotal(d("39.00")).build());
    harness.command(Records.command("opt-out-c3", "c3", Instant.parse("2026-01-15T15:00:00Z"), new OptOut()));
  }

  @Test
  void weeksDaysAndMonthWithEveryFigureWorkedOut() {
    program();
    firstWeek();
    secondWeek();
    assertEquals(List.of(), harness.rejections());
    Map<String, ProgramKpis> kpis = harness.kpis();

    ProgramKpis monday = kpis.get("greenleaf/*/DAY/2026-01-05");
    assertEquals(4, monday.getInputs(), "c1's enrollment and purchase, c2's purchase, the anonymous sale");
    assertEquals(1, monday.getActiveMembers());
    assertEquals(1, monday.getMemberOrders());
    assertEquals(d("120.00"), monday.getMemberSales());
    assertEquals(2, monday.getNonMemberOrders());
    assertEquals(d("80.00"), monday.getNonMemberSales());
    assertEquals(d("40.00"), monday.getNonMemberAverageOrderValue());
    assertEquals(d("120.0000"), monday.getPointsIssued());
    assertEquals(1, monday.getNewEnrollments());
    assertEquals(d("120.0000"), monday.getOutstandingPoints());

    ProgramKpis first = kpis.get("greenleaf/*/WEEK/2026-01-05");
    assertEquals("2026-01-11", first.getPeriodEnd());
    assertEquals("America/New_York", first.getTimeZone());
    assertEquals(5, first.getInputs());
    assertEquals(1, first.getNonMemberOrders(), "two sales, one voided");
    assertEquals(d("30.00"), first.getNonMemberSales());
    assertEquals(d("120.00"), first.getMemberAverageOrderValue());
    assertEquals(d("1.0000"), first.getPurchaseFrequency());
    assertEquals(0, first.getPreviousActiveMembers());
    assertNull(first.getRetentionRate(), "nobody was active the week before");
    assertEquals(1, first.getEligibleMembers());
    assertEquals(0, first.getMovedUp());
    assertEquals(d("0.0000"), first.getTierConversion());
    assertEquals(d("120.0000"), first.getOutstandingPoints(), "the totals less what the second week added");
    assertEquals(d("6.00"), first.getLiability());
    assertEquals(1, first.getMembersAtEnd());
    assertEquals(Map.of(), first.getTierDistribution());

    ProgramKpis second = kpis.get("greenleaf/*/WEEK/2026-01-12");
    assertEquals(5, second.getInputs());
    assertEquals(2, second.getActiveMembers());
    assertEquals(1, second.getPreviousActiveMembers());
    assertEquals(1, second.getRetainedMembers(), "c1 came back; c3 is new");
    assertEquals(d("1.0000"), second.getRetentionRate());
    assertEquals(3, second.getMemberOrders());
    assertEquals(d("150.00"), second.getMemberSales(), "ticket values before point redemptions");
    assertEquals(d("50.00"), second.getMemberAverageOrderValue());
    assertEquals(d("1.5000"), second.getPurchaseFrequency());
    assertEquals(0, second.getNonMemberOrders());
    assertNull(second.getNonMemberAverageOrderValue());
    assertEquals(d("149.0000"), second.getPointsIssued());
    assertEquals(d("20.0000"), second.getPointsRedeemed());
    assertEquals(d("0.1342"), second.getPointsRedemptionRate(), "20 / 149 = 0.134228..., half-even to 4 places");
    assertEquals(1, second.getRedeemingMembers());
    assertEquals(d("0.5000"), second.getMemberRedemptionRate());
    assertEquals(2, second.getEligibleMembers());
    assertEquals(1, second.getMovedUp(), "c1 reached silver at $220");
    assertEquals(d("0.5000"), second.getTierConversion());
    assertEquals(1, second.getNewEnrollments());
    assertEquals(1, second.getOptOuts());
    assertEquals(d("249.0000"), second.getOutstandingPoints(), "c1 239, c3 10: an opt-out keeps its points");
    assertEquals(d("12.45"), second.getLiability());
    assertEquals(1, second.getMembersAtEnd());
    assertEquals(Map.of("silver", 1L), second.getTierDistribution());
    assertEquals(d("0.0000"), second.getBreakage());

    ProgramKpis january = kpis.get("greenleaf/*/MONTH/2026-01-01");
    assertEquals("2026-01-31", january.getPeriodEnd());
    assertEquals(10, january.getInputs());
    assertEquals(2, january.getActiveMembers());
    assertEquals(0, january.getRetainedMembers());
    assertEquals(4, january.getMemberOrders());
    assertEquals(d("270.00"), january.getMemberSales());
    assertEquals(d("67.50"), january.getMemberAverageOrderValue());
    assertEquals(d("269.0000"), january.getPointsIssued());

    ProgramKpis downtown = kpis.get("greenleaf/downtown/WEEK/2026-01-05");
    assertEquals(1, downtown.getActiveMembers());
    assertNull(downtown.getOutstandingPoints(), "closing figures are the organization's");
    ProgramKpis uptown = kpis.get("greenleaf/uptown/WEEK/2026-01-12");
    assertEquals(2, uptown.getActiveMembers());
    assertEquals(0, uptown.getRetainedMembers(), "c1 was active downtown the week before, not uptown");
    assertEquals(3, uptown.getMemberOrders());
  }

  @Test
  void aRetryCountsOnceAndALateDayCountsInItsOwnPeriods() {
    program();
    harness.command(Records.command("enroll-c1", "c1", Instant.parse("2026-01-05T14:00:00Z"), Records.enroll()));
    harness.transaction(Records.purchase("t4", "c1", "100.00", Instant.parse("2026-01-13T15:00:00Z")).build());
    // The first week's purchase arrives after the second's: c1 is retained in the second week all the same.
    harness.transaction(Records.purchase("t1", "c1", "20.00", Instant.parse("2026-01-05T15:00:00Z")).build());
    harness.transaction(Records.purchase("t1", "c1", "20.00", Instant.parse("2026-01-05T15:00:00Z")).build());
    harness.transaction(Records.purchase("t3", null, "30.00", Instant.parse("2026-01-06T02:00:00Z")).build());
    harness.transaction(Records.purchase("t3", null, "30.00", Instant.parse("2026-01-06T02:00:00Z")).build());
    assertEquals(2, harness.rejections().size(), "both retries are DUPLICATE");
    Map<String, ProgramKpis> kpis = harness.kpis();
    assertEquals(1, kpis.get("greenleaf/*/WEEK/2026-01-12").getRetainedMembers());
    assertEquals(d("1.0000"), kpis.get("greenleaf/*/WEEK/2026-01-12").getRetentionRate());
    assertEquals(1, kpis.get("greenleaf/*/WEEK/2026-01-05").getMemberOrders());
    assertEquals(1, kpis.get("greenleaf/*/WEEK/2026-01-05").getNonMemberOrders());
    assertEquals(1, kpis.get("greenleaf/*/MONTH/2026-01-01").getActiveMembers());
  }

  @Test
  void aReplayInAnotherOrderOfAccountsEndsInTheSameFigures() {
    program();
    firstWeek();
    secondWeek();
    Map<String, ProgramKpis> live = Map.copyOf(harness.kpis());
    List<TopologyHarness.Arrival> arrivals = harness.arrivals();
    harness.close();

    harness = new TopologyHarness();
    // The program first, then every account's inputs in turn: another interleaving of the same per-account order.
    arrivals.stream().filter(arrival -> arrival.topic().endsWith("programs")).forEach(harness::replay);
    for (String account : List.of("c3", "c2", "c1", "anonymous")) {
      arrivals.stream().filter(arrival -> !arrival.topic().endsWith("programs") && accountOf(arrival).equals(account))
          .forEach(harness::replay);
    }
    Map<String, ProgramKpis> replayed = harness.kpis();
    assertEquals(live.keySet(), replayed.keySet());
    for (String period : live.keySet()) {
      ProgramKpis expected = ProgramKpis.newBuilder(live.get(period)).setMetricId("").build();
      ProgramKpis actual = ProgramKpis.newBuilder(replayed.get(period)).setMetricId("").build();
      assertEquals(expected, actual, period);
      String finalInputs = live.get(period).getMetricId().substring(live.get(period).getMetricId().indexOf('@'));
      assertEquals(finalInputs, replayed.get(period).getMetricId().substring(replayed.get(period).getMetricId().indexOf('@')),
          "the last snapshot of a period has the same id");
    }
  }

  private static String accountOf(TopologyHarness.Arrival arrival) {
    String key = arrival.key() == null ? "" : new String(arrival.key(), java.nio.charset.StandardCharsets.UTF_8);
    String customer = key.contains(":") ? key.substring(key.indexOf(':') + 1) : "";
    return customer.isEmpty() || customer.equals("null") ? "anonymous" : customer;
  }
}
