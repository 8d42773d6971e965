package io.loyalty.topology;

import static io.loyalty.testing.SegmentConditions.segment;
import static io.loyalty.testing.SegmentConditions.test;
import static io.loyalty.testing.WorkflowSteps.onSegment;
import static io.loyalty.testing.WorkflowSteps.send;
import static io.loyalty.testing.WorkflowSteps.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.state.Backfill;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A program version that adds a segment and a workflow reaches the customers who are already away: the clock's
 * ticks evaluate every existing account under it, two per tick here, exactly once, the same on a replay.
 */
class BackfillTest {
  private static final Instant DAY0 = Instant.parse("2026-03-02T18:00:00Z");
  private static final Instant DAY30 = DAY0.plus(Duration.ofDays(30));
  private static final LocalDate ADULT = LocalDate.parse("1990-05-20");
  private final TopologyHarness harness = new TopologyHarness(Map.of("clock.max.backfill.accounts.per.tick", "2"));
  private int commands;

  @AfterEach
  void close() {
    harness.close();
  }

  /** Version 2 adds "no purchase in 21 days" and a winback email on entering it. */
  private static ProgramConfig winback(long version, Instant effectiveFrom) {
    return Records.program("1").setVersion(version).setEffectiveFrom(effectiveFrom)
        .setSegments(List.of(segment("away-21", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21"))))
        .setWorkflows(List.of(workflow("winback", onSegment("away-21"), send("email", Channel.EMAIL, "winback_first")).build()))
        .build();
  }

  private void customer(String id, boolean emailConsent, Instant purchasedAt) {
    harness.command(Records.command("cmd-" + ++commands, id, DAY0, Enroll.newBuilder().setEmail(id + "@example.com").setBirthDate(ADULT)
        .build()));
    if (emailConsent) {
      harness.command(Records.command("cmd-" + ++commands, id, DAY0, new ChangeConsent(Channel.EMAIL, ConsentAction.GRANT, "form")));
    }
    harness.transaction(Records.purchase("t-" + id, id, "40.00", purchasedAt).build());
  }

  /** Winback messages since the last call: customer, send time, request id. */
  private List<String> winbacks() {
    List<String> sent = new ArrayList<>();
    for (NotificationRequest request : harness.notifications()) {
      if (request.getTemplate().equals("winback_first")) {
        sent.add(request.getCustomerId() + " " + request.getSendAfter() + " " + request.getRequestId());
      }
    }
    return sent;
  }

  private Backfill progress() {
    KeyValueStore<String, byte[]> store = harness.driver().getKeyValueStore(LoyaltyTopology.BACKFILLS_STORE);
    return LoyaltyTopology.STATE_SERDES.codec(Backfill.class).decode(store.get(Records.ORG));
  }

  private void customersAwayAMonthThenVersion2() {
    harness.program(Records.program("1").build());
    for (String id : List.of("c1", "c2", "c3", "c4")) {
      customer(id, true, DAY0.plusSeconds(60));
    }
    customer("c5", false, DAY0.plusSeconds(60));
    customer("c6", true, DAY0.plus(Duration.ofDays(20)));
    harness.tick(DAY30);
    harness.program(winback(2, DAY30.plus(Duration.ofMinutes(30))));
    for (int hour = 1; hour <= 4; hour++) {
      harness.tick(DAY30.plus(Duration.ofHours(hour)));
    }
  }

  @Test
  void aNewWinbackReachesEveryCustomerAlreadyAwayOnceTwoAccountsPerTick() {
    customersAwayAMonthThenVersion2();
    Instant first = DAY30.plus(Duration.ofHours(1));
    Instant second = DAY30.plus(Duration.ofHours(2));
    assertEquals(List.of(
        "c1 " + first + " " + Records.ORG + ":c1/workflow/winback/1/1/email/EMAIL",
        "c2 " + first + " " + Records.ORG + ":c2/workflow/winback/1/1/email/EMAIL",
        "c3 " + second + " " + Records.ORG + ":c3/workflow/winback/1/1/email/EMAIL",
        "c4 " + second + " " + Records.ORG + ":c4/workflow/winback/1/1/email/EMAIL"), winbacks(),
        "two accounts per tick in key order; c5 has no email consent, c6 bought 10 days ago");
    Backfill progress = progress();
    assertEquals(2, progress.getVersion());
    assertEquals(6, progress.getAccounts());
    assertEquals(6, progress.getEvaluated());
    assertEquals(first, progress.getStartedAt());
    assertEquals(DAY30.plus(Duration.ofHours(3)), progress.getFinishedAt());

    harness.tick(DAY0.plus(Duration.ofDays(41)));
    assertEquals(List.of("c6 " + DAY0.plus(Duration.ofDays(41)) + " " + Records.ORG + ":c6/workflow/winback/1/1/email/EMAIL"), winbacks(),
        "the evaluation planned c6's review: away 21 days on day 41, by its own timer");
    harness.tick(DAY0.plus(Duration.ofDays(60)));
    assertEquals(List.of(), winbacks(), "each customer once");
  }

  @Test
  void aVersionThatKeepsTheAudienceEvaluatesNothing() {
    customersAwayAMonthThenVersion2();
    winbacks();
    harness.program(Records.program("2").setVersion(3).setEffectiveFrom(DAY30.plus(Duration.ofHours(5)))
        .setSegments(winback(2, DAY30).getSegments()).setWorkflows(winback(2, DAY30).getWorkflows()).build());
    harness.tick(DAY30.plus(Duration.ofHours(6)));
    assertEquals(2, progress().getVersion(), "another accrual rate: no evaluation");
    assertEquals(List.of(), winbacks());
  }

  @Test
  void anAccountTheEvaluationLeavesAsItWasWritesNothing() {
    customersAwayAMonthThenVersion2();
    harness.profiles();
    harness.segmentChanges();
    Map<String, io.loyalty.avro.state.CustomerRecord> before = harness.customers();
    ProgramConfig version2 = winback(2, DAY30);
    List<io.loyalty.avro.SegmentDefinition> withBigSpenders = new ArrayList<>(version2.getSegments());
    withBigSpenders.add(segment("big-spenders", test(SegmentOperator.AT_LEAST, SegmentAttribute.SPEND, "1000")));
    harness.program(ProgramConfig.newBuilder(version2).setVersion(3).setEffectiveFrom(DAY30.plus(Duration.ofHours(5)))
        .setSegments(withBigSpenders).build());
    for (int hour = 6; hour <= 9; hour++) {
      harness.tick(DAY30.plus(Duration.ofHours(hour)));
    }
    Backfill progress = progress();
    assertEquals(List.of(3L, 6L, 6L), List.of(progress.getVersion(), progress.getAccounts(), progress.getEvaluated()),
        "a new segment: every account evaluated");
    assertEquals(List.of(), harness.segmentChanges(), "no one is a big spender; away-21 did not change: no one enters or leaves it again");
    assertEquals(List.of(), harness.profiles(), "no account changed: no profile sent again");
    assertEquals(before.toString(), harness.customers().toString(), "and no record written");
  }

  @Test
  void aVersionThatOnlyAddsABroadcastEvaluatesNoAccount() {
    customersAwayAMonthThenVersion2();
    ProgramConfig version2 = winback(2, DAY30);
    List<io.loyalty.avro.WorkflowDefinition> withBroadcast = new ArrayList<>(version2.getWorkflows());
    withBroadcast.add(io.loyalty.avro.WorkflowDefinition.newBuilder().setId("sale").setName("sale")
        .setTrigger(io.loyalty.avro.WorkflowTrigger.newBuilder().setType(io.loyalty.avro.WorkflowTriggerType.BROADCAST).setSegmentId("away-21")
            .setAt(DAY30.plus(Duration.ofDays(1))).build())
        .setSteps(List.of(send("email", Channel.EMAIL, "sale"))).build());
    harness.program(ProgramConfig.newBuilder(version2).setVersion(3).setEffectiveFrom(DAY30.plus(Duration.ofHours(5)))
        .setWorkflows(withBroadcast).build());
    harness.tick(DAY30.plus(Duration.ofHours(6)));
    assertEquals(2, progress().getVersion(), "the broadcast sweeps its segment on its own, at its time");
  }

  @Test
  void aReplayEvaluatesTheSameAccountsAtTheSameTicks() {
    customersAwayAMonthThenVersion2();
    List<String> live = winbacks();
    try (TopologyHarness replay = new TopologyHarness(Map.of("clock.max.backfill.accounts.per.tick", "2"))) {
      harness.arrivals().forEach(replay::replay);
      List<String> replayed = replay.notifications().stream().filter(request -> request.getTemplate().equals("winback_first"))
          .map(request -> request.getCustomerId() + " " + request.getSendAfter() + " " + request.getRequestId()).toList();
      assertEquals(live, replayed);
    }
  }
}
