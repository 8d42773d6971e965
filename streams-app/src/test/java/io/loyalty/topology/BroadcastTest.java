package io.loyalty.topology;

import static io.loyalty.testing.SegmentConditions.segment;
import static io.loyalty.testing.SegmentConditions.test;
import static io.loyalty.testing.WorkflowSteps.on;
import static io.loyalty.testing.WorkflowSteps.send;
import static io.loyalty.testing.WorkflowSteps.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ChannelCap;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowStepType;
import io.loyalty.avro.WorkflowTrigger;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.avro.state.WorkflowStats;
import io.loyalty.serde.AvroCodec;
import io.loyalty.testing.Records;
import io.loyalty.holdouts.HoldoutReport;
import io.loyalty.workflows.WorkflowRules;
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
 * A one-off send to a segment at a set time: every member then gets it once, on the first channel of the order it
 * can receive, through consent and the channel caps like a workflow message; the same on a replay.
 */
class BroadcastTest {
  private static final Instant DAY0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final LocalDate ADULT = LocalDate.parse("1990-05-20");
  private static final List<SegmentDefinition> VIP = List.of(segment("vip", test(SegmentOperator.AT_LEAST, SegmentAttribute.SPEND, "100")));
  private final TopologyHarness harness = new TopologyHarness(Map.of("clock.max.backfill.accounts.per.tick", "2"));
  private int commands;

  @AfterEach
  void close() {
    harness.close();
  }

  private static WorkflowDefinition broadcast(String id, Instant at, Channel... order) {
    WorkflowStep step = WorkflowStep.newBuilder().setId("message").setType(WorkflowStepType.SEND_MESSAGE).setChannels(List.of(order))
        .setTemplate(id).build();
    return WorkflowDefinition.newBuilder().setId(id).setName(id)
        .setTrigger(WorkflowTrigger.newBuilder().setType(WorkflowTriggerType.BROADCAST).setSegmentId("vip").setAt(at).build())
        .setSteps(List.of(step)).build();
  }

  private void customer(String id, String spend, Instant at, Channel... consented) {
    harness.command(Records.command("cmd-" + ++commands, id, at, Enroll.newBuilder().setEmail(id + "@example.com")
        .setPhone("+1617555" + String.format("%04d", commands)).setBirthDate(ADULT).build()));
    for (Channel channel : consented) {
      harness.command(Records.command("cmd-" + ++commands, id, at, new ChangeConsent(channel, ConsentAction.GRANT, "form")));
      if (channel == Channel.SMS) {
        harness.command(Records.command("cmd-" + ++commands, id, at, new ChangeConsent(channel, ConsentAction.CONFIRM, "YES")));
      }
    }
    harness.transaction(Records.purchase("t-" + id + "-" + commands, id, spend, at.plusSeconds(60)).build());
  }

  /** Campaign messages since the last call: template, customer, channel, time. */
  private List<String> campaignMessages() {
    List<String> sent = new ArrayList<>();
    for (NotificationRequest request : harness.notifications()) {
      if (!request.getTemplate().startsWith("points_") && !request.getTemplate().equals("sms_opt_in_confirmation")) {
        sent.add(request.getTemplate() + " " + request.getCustomerId() + " " + request.getChannel() + " " + request.getOccurredAt());
      }
    }
    return sent;
  }

  private WorkflowStats stats(String workflowId) {
    KeyValueStore<String, byte[]> store = harness.driver().getKeyValueStore(LoyaltyTopology.WORKFLOW_STATS_STORE);
    AvroCodec<WorkflowStats> codec = LoyaltyTopology.STATE_SERDES.codec(WorkflowStats.class);
    return codec.decode(store.get(io.loyalty.workflows.WorkflowCounts.key(Records.ORG, workflowId, 1)));
  }

  @Test
  void everyMemberGetsItOnceOnTheFirstChannelItCanReceive() {
    Instant at = DAY0.plus(Duration.ofHours(2));
    harness.program(Records.program("1").setSegments(VIP).setWorkflows(List.of(broadcast("spring", at, Channel.PUSH, Channel.SMS,
        Channel.EMAIL))).build());
    customer("a", "150.00", DAY0, Channel.PUSH, Channel.SMS, Channel.EMAIL);
    customer("b", "150.00", DAY0, Channel.SMS, Channel.EMAIL);
    customer("c", "150.00", DAY0, Channel.EMAIL);
    customer("d", "150.00", DAY0);
    customer("e", "50.00", DAY0, Channel.EMAIL);
    campaignMessages();
    harness.tick(at.minusSeconds(1));
    assertEquals(List.of(), campaignMessages(), "not before its time");
    for (int minute = 0; minute < 4; minute++) {
      harness.tick(at.plus(Duration.ofMinutes(minute)));
    }
    assertEquals(List.of("spring a PUSH " + at, "spring b SMS " + at, "spring c EMAIL " + at.plus(Duration.ofMinutes(1))),
        campaignMessages(), "two accounts a tick; d consented to nothing, e spent 50 (no VIP)");
    WorkflowStats spring = stats("spring");
    assertEquals(4, spring.getEntered(), "a, b, c and d");
    assertEquals(3, spring.getSteps().get(0).getMessages());
    assertEquals(1, spring.getSteps().get(0).getSkippedConsent());
    harness.tick(at.plus(Duration.ofDays(1)));
    assertEquals(List.of(), campaignMessages(), "once");

    try (TopologyHarness replay = new TopologyHarness(Map.of("clock.max.backfill.accounts.per.tick", "2"))) {
      harness.arrivals().forEach(replay::replay);
      assertEquals(List.of("spring a PUSH " + at, "spring b SMS " + at, "spring c EMAIL " + at.plus(Duration.ofMinutes(1))),
          replay.notifications().stream().filter(request -> request.getTemplate().equals("spring"))
              .map(request -> request.getTemplate() + " " + request.getCustomerId() + " " + request.getChannel() + " " + request.getOccurredAt())
              .toList());
    }
  }

  @Test
  void aQuarterHeldOutGetsNothingTheSameOnReplayAndConvertsBesideTheOthers() {
    Instant at = DAY0.plus(Duration.ofHours(2));
    WorkflowDefinition sale = WorkflowDefinition.newBuilder(broadcast("sale", at, Channel.EMAIL)).setHoldoutPercent(25).build();
    harness.program(Records.program("1").setSegments(VIP).setWorkflows(List.of(sale)).build());
    List<String> customers = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      customers.add("m" + i);
      customer("m" + i, "150.00", DAY0, Channel.EMAIL);
    }
    campaignMessages();
    for (int minute = 0; minute <= 20; minute++) {
      harness.tick(at.plus(Duration.ofMinutes(minute)));
    }
    List<String> messaged = harness.notifications().stream().filter(request -> request.getTemplate().equals("sale"))
        .map(NotificationRequest::getCustomerId).sorted().toList();
    List<String> heldOut = customers.stream().filter(customer -> !messaged.contains(customer)).sorted().toList();
    assertEquals(List.of("m23", "m24", "m25", "m3", "m35", "m36", "m6", "m8"), heldOut,
        "chosen from the customer and the workflow: 8 of 40 (each customer a 25% chance)");
    heldOut.forEach(customer -> assertEquals(true, WorkflowRules.heldOut(Records.ORG + ":" + customer, sale), customer));
    WorkflowStats stats = stats("sale");
    assertEquals(32, stats.getEntered());
    assertEquals(8, stats.getHeldOut());

    // Within the 7-day window: 7 of the 32 messaged come back (one of them twice), 1 of the 8 held out.
    Instant later = at.plus(Duration.ofDays(3));
    for (String customer : List.of(messaged.get(0), messaged.get(1), messaged.get(2), messaged.get(3), messaged.get(4), messaged.get(5),
        messaged.get(6), messaged.get(0), heldOut.get(0))) {
      harness.transaction(Records.purchase("back-" + customer + "-" + later.toEpochMilli(), customer, "20.00", later).build());
      later = later.plusSeconds(60);
    }
    harness.transaction(Records.purchase("too-late", messaged.get(7), "20.00", at.plus(Duration.ofDays(8))).build());
    stats = stats("sale");
    assertEquals(7, stats.getEnteredConverted());
    assertEquals(8, stats.getEnteredVisits());
    assertEquals(16_000, stats.getEnteredSpendCents());
    assertEquals(1, stats.getHeldOutConverted());
    assertEquals(2_000, stats.getHeldOutSpendCents());
    HoldoutReport report = HoldoutReport.of(stats.getEntered(), stats.getEnteredConverted(),
        java.math.BigDecimal.valueOf(stats.getEnteredSpendCents(), 2), stats.getEnteredVisits(), stats.getHeldOut(),
        stats.getHeldOutConverted(), java.math.BigDecimal.valueOf(stats.getHeldOutSpendCents(), 2), stats.getHeldOutVisits());
    assertEquals(new java.math.BigDecimal("0.2188"), report.treatment().conversionRate(), "7 of 32");
    assertEquals(new java.math.BigDecimal("0.1250"), report.control().conversionRate(), "1 of 8");
    assertEquals(new java.math.BigDecimal("0.0938"), report.lift());
    assertEquals(new java.math.BigDecimal("5.00"), report.treatment().spendPerMember(), "$160 over 32");
    // The same side by side on loyalty.metrics: the organization's month row, the broadcast's figures to its end.
    io.loyalty.avro.HoldoutKpis month = harness.kpis().get("greenleaf/*/MONTH/" + DAY0.toString().substring(0, 8) + "01").getHoldouts()
        .get("workflow/sale");
    assertEquals(List.of(32L, 8L, 7L, 1L, 8L, 1L), List.of(month.getTreated(), month.getControl(), month.getTreatedConverted(),
        month.getControlConverted(), month.getTreatedVisits(), month.getControlVisits()));
    assertEquals(new java.math.BigDecimal("160.00"), month.getTreatedSales());
    assertEquals(report.lift(), month.getLift());
    assertEquals(report.liftLow(), month.getLiftLow());
    assertEquals(report.liftHigh(), month.getLiftHigh());

    try (TopologyHarness replay = new TopologyHarness(Map.of("clock.max.backfill.accounts.per.tick", "2"))) {
      harness.arrivals().forEach(replay::replay);
      assertEquals(messaged, replay.notifications().stream().filter(request -> request.getTemplate().equals("sale"))
          .map(NotificationRequest::getCustomerId).sorted().toList(), "the same customers held out on a replay");
    }
  }

  @Test
  void aCapOfOneSmsADayGivesAWorkflowSmsAndABroadcastSmsOnDifferentDays() {
    Instant sameDay = DAY0.plus(Duration.ofHours(4));
    Instant nextDay = DAY0.plus(Duration.ofDays(1)).plus(Duration.ofHours(4));
    ProgramConfig program = Records.program("1").setSegments(VIP)
        .setChannelCaps(List.of(ChannelCap.newBuilder().setChannel(Channel.SMS).setPerDay(1).build()))
        .setWorkflows(List.of(workflow("thanks", on(WorkflowTriggerType.PURCHASE).build(), send("sms", Channel.SMS, "thanks_sms")).build(),
            broadcast("sale-today", sameDay, Channel.SMS), broadcast("sale-tomorrow", nextDay, Channel.SMS)))
        .build();
    harness.program(program);
    customer("a", "150.00", DAY0, Channel.SMS);
    harness.tick(sameDay);
    harness.tick(nextDay);
    assertEquals(List.of("thanks_sms a SMS " + DAY0.plusSeconds(60), "sale-tomorrow a SMS " + nextDay), campaignMessages(),
        "the day's SMS went to the thanks: today's sale is skipped, tomorrow's goes");
    assertEquals(1, stats("sale-today").getSteps().get(0).getSkippedCap());
  }
}
