package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.BoostPoints;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TierAssessment;
import io.loyalty.avro.TierBasis;
import io.loyalty.avro.TierDefinition;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TiersTest {
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** Silver from $200, Elite ($500) earns 0.2 per dollar instead of 0.1; calendar years in Los Angeles. */
  private static ProgramConfig.Builder program(TierAssessment assessment) {
    return Records.program("0.1").setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z")).setTimeZone("America/Los_Angeles")
        .setTierAssessment(assessment)
        .setTiers(List.of(
            TierDefinition.newBuilder().setTierId("silver").setName("Silver").setThreshold(d("200.00")).build(),
            TierDefinition.newBuilder().setTierId("elite").setName("Elite").setThreshold(d("500.00"))
                .setAccrualRate(d("0.2000")).setBadgeColor("#D4AF37").build()));
  }

  private void buy(String id, String amount, String at) {
    harness.transaction(Records.purchase(id, "c1", amount, Instant.parse(at)).build());
  }

  private List<String> tierEvents() {
    return harness.rewards().stream().map(TiersTest::describe).toList();
  }

  private static String describe(RewardEvent event) {
    return event.getType() + " " + event.getTierFrom() + "->" + event.getTierTo() + " (" + event.getReason() + ")";
  }

  @Test
  void eliteReachedInDecemberIsKeptThroughTheNextYearThenFollowsThatYearsSpend() {
    harness.program(program(TierAssessment.RETAIN_THROUGH_NEXT_YEAR).build());
    buy("t1", "300.00", "2025-03-01T18:00:00Z");
    buy("t2", "250.00", "2025-12-15T18:00:00Z");
    assertEquals(List.of("TIER_CHANGED null->silver (threshold reached or lost)", "TIER_CHANGED silver->elite (threshold reached or lost)"),
        tierEvents());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(d("25.0000"), ledger.get(1).getDelta(), "the crossing purchase earns at the old rate");
    assertEquals("elite", ledger.get(1).getTier());

    buy("t3", "10.00", "2026-02-01T18:00:00Z");
    assertEquals(d("2.0000"), harness.ledger().get(0).getDelta(), "Elite all 2026 whatever the 2026 spend, at Elite's rate");
    List<CustomerProfile> profiles = harness.profiles();
    assertEquals("elite", profiles.get(profiles.size() - 1).getTier());
    assertEquals(LocalDate.of(2026, 12, 31), profiles.get(profiles.size() - 1).getTierValidUntil());
    buy("t4", "200.00", "2026-06-01T18:00:00Z");
    assertEquals(List.of(), tierEvents());

    harness.tick(Instant.parse("2026-12-02T07:59:59Z"));
    assertEquals(List.of(), tierEvents());
    harness.tick(Instant.parse("2026-12-02T08:00:00Z"));
    RewardEvent warning = harness.rewards().get(0);
    assertEquals("TIER_DOWNGRADE_WARNING elite->silver (year 2026 basis 210)", describe(warning));
    assertEquals(Instant.parse("2027-01-01T08:00:00Z"), warning.getDueAt());

    harness.tick(Instant.parse("2027-01-01T07:59:59Z"));
    assertEquals(List.of(), tierEvents(), "1 January has not begun in Los Angeles");
    harness.tick(Instant.parse("2027-01-01T08:00:00Z"));
    assertEquals(List.of("TIER_CHANGED elite->silver (year 2026 ended)"), tierEvents(), "no activity needed");
  }

  @Test
  void resetAnnuallyStartsEveryoneAtTheBottomAndAReturnDemotes() {
    harness.program(program(TierAssessment.RESET_ANNUALLY).build());
    harness.transaction(Records.purchase("t1", "c1", "550.00", Instant.parse("2025-11-01T18:00:00Z"))
        .setLines(List.of(line("L1", "1", "450.00", "0"), line("L2", "1", "100.00", "0"))).build());
    harness.transaction(Records.returnOf("r1", "t1", "c1", Instant.parse("2025-11-05T18:00:00Z"), "L2", "1").build());
    harness.tick(Instant.parse("2026-01-01T08:00:00Z"));
    assertEquals(List.of("TIER_CHANGED null->elite (threshold reached or lost)", "TIER_CHANGED elite->silver (threshold reached or lost)",
        "TIER_DOWNGRADE_WARNING silver->null (year 2025 basis 450)", "TIER_CHANGED silver->null (year 2025 ended)"), tierEvents(),
        "one tick past both timers fires them in due order: the warning (2 December) then the year end");
  }

  @Test
  void oneTickPastTwoYearEndsFiresBothAndWhatTheFirstSchedules() {
    harness.program(program(TierAssessment.RETAIN_THROUGH_NEXT_YEAR).build());
    buy("t1", "550.00", "2025-03-01T18:00:00Z");
    tierEvents();
    harness.tick(Instant.parse("2027-01-02T00:00:00Z"));
    assertEquals(List.of("TIER_DOWNGRADE_WARNING elite->null (year 2026 basis 0)", "TIER_CHANGED elite->null (year 2026 ended)"),
        tierEvents(), "2025's Elite is kept through 2026, then lost at the 2027 year end, all from one tick");
    assertEquals(Instant.parse("2027-01-01T08:00:00Z"), last(harness.profiles()).getUpdatedAt(),
        "the year end changed the profile at its due time");
  }

  /**
   * Ids name the account and the cause: an input's id, or a timer and its due time. A first purchase that gives
   * the bottom tier and then crosses to the top makes two tier changes of one cause; two customers' downgrade
   * warnings of one year end are two events; their messages are two requests.
   */
  @Test
  void rewardAndNotificationIdsAreUniquePerAccountAndCause() {
    harness.program(program(TierAssessment.RESET_ANNUALLY).setTiers(List.of(
        TierDefinition.newBuilder().setTierId("member").setName("Member").setThreshold(d("0.00")).build(),
        TierDefinition.newBuilder().setTierId("elite").setName("Elite").setThreshold(d("500.00")).build())).build());
    for (String customer : List.of("c1", "c2")) {
      harness.command(Records.command("k-" + customer, customer, Instant.parse("2026-03-01T17:00:00Z"),
          Enroll.newBuilder().setEmail(customer + "@example.com").build()));
      harness.command(Records.command("m-" + customer, customer, Instant.parse("2026-03-01T17:00:01Z"),
          new ChangeConsent(Channel.EMAIL, ConsentAction.GRANT, null)));
      harness.transaction(Records.purchase("t-" + customer, customer, "500.00", Instant.parse("2026-03-01T18:00:00Z")).build());
    }
    harness.tick(Instant.parse("2027-01-02T00:00:00Z"));
    List<RewardEvent> events = harness.rewards();
    assertEquals(List.of(
            "greenleaf:c1/k-c1/TIER_CHANGED/null>member first tier assignment",
            "greenleaf:c1/e-t-c1/TIER_CHANGED/member>elite threshold reached or lost",
            "greenleaf:c2/k-c2/TIER_CHANGED/null>member first tier assignment",
            "greenleaf:c2/e-t-c2/TIER_CHANGED/member>elite threshold reached or lost",
            "greenleaf:c1/timer/greenleaf:c1/TIER_DOWNGRADE_WARNING:year-end/1796198400000/TIER_DOWNGRADE_WARNING/elite>member year 2026 basis 500",
            "greenleaf:c2/timer/greenleaf:c2/TIER_DOWNGRADE_WARNING:year-end/1796198400000/TIER_DOWNGRADE_WARNING/elite>member year 2026 basis 500",
            "greenleaf:c1/timer/greenleaf:c1/TIER_YEAR_END:year-end/1798790400000/TIER_CHANGED/elite>member year 2026 ended",
            "greenleaf:c2/timer/greenleaf:c2/TIER_YEAR_END:year-end/1798790400000/TIER_CHANGED/elite>member year 2026 ended"),
        events.stream().map(event -> event.getEventId() + " " + event.getReason()).toList());
    List<String> requestIds = harness.notifications().stream().map(NotificationRequest::getRequestId).toList();
    assertEquals(requestIds.size(), new HashSet<>(requestIds).size(), "request ids repeat: " + requestIds);
  }

  private static <T> T last(List<T> items) {
    return items.get(items.size() - 1);
  }

  @Test
  void onlyPurchasesCountAndAGroupsDefaultTierOverridesSpending() {
    harness.program(program(TierAssessment.RETAIN_THROUGH_NEXT_YEAR).setTierBasis(TierBasis.POINTS)
        .setGroupDefaultTiers(Map.of("vip", "elite")).build());
    harness.command(Records.command("k1", "c1", Instant.parse("2025-03-01T18:00:00Z"), Records.enroll()));
    harness.command(Records.command("k2", "c1", Instant.parse("2025-03-01T18:01:00Z"), new BoostPoints("b", d("900.0000"), null)));
    buy("t1", "100.00", "2025-03-02T18:00:00Z");
    assertEquals(List.of(), tierEvents(), "10 points from purchases; the 900 boosted do not count");

    var vip = Records.enroll();
    vip.setCustomerGroup("vip");
    harness.command(Records.command("k3", "c2", Instant.parse("2025-03-01T18:00:00Z"), vip));
    assertEquals(List.of("TIER_CHANGED null->elite (threshold reached or lost)"), tierEvents());
  }
}
