package io.loyalty.topology;

import static io.loyalty.testing.SegmentConditions.combine;
import static io.loyalty.testing.SegmentConditions.segment;
import static io.loyalty.testing.SegmentConditions.test;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.Enroll;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Segments through the topology: entries and exits at the event, and at the moment a time-relative condition turns. */
class SegmentsTest {
  private static final Instant DAY0 = Instant.parse("2026-03-02T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private void program() {
    harness.program(Records.program("1").setSegments(List.of(
        segment("dormant-21", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21")),
        segment("first-time-buyers", test(SegmentOperator.EQUALS, SegmentAttribute.FIRST_TIME_BUYER, "true")),
        segment("ma-with-email", combine(SegmentOperator.ALL, test(SegmentOperator.EQUALS, SegmentAttribute.HOME_STATE, "MA"),
            test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "true"))))).build());
  }

  private List<String> changes() {
    return harness.segmentChanges().stream().map(SegmentsTest::describe).toList();
  }

  private static String describe(SegmentChange change) {
    return change.getChange() + " " + change.getSegmentId() + " at " + change.getOccurredAt() + " by " + change.getSourceEventId();
  }

  @Test
  void membershipChangesAtTheEventAndOnTheDayAConditionTurns() {
    program();
    harness.command(Records.command("cmd-1", "c1", DAY0, Enroll.newBuilder().setEmail("ana@example.com").setHomeState("MA").build()));
    assertEquals(List.of("ENTERED ma-with-email at " + DAY0 + " by cmd-1"), changes());
    assertEquals(List.of("ma-with-email"), harness.lastProfile().getSegments());

    Instant bought = DAY0.plusSeconds(600);
    harness.transaction(Records.purchase("t1", "c1", "20.00", bought).build());
    assertEquals(List.of("ENTERED first-time-buyers at " + bought + " by e-t1"), changes());

    Instant dormant = bought.plus(Duration.ofDays(21));
    harness.tick(dormant.minusMillis(1));
    assertEquals(List.of(), changes(), "20 days, 23:59:59.999");
    harness.tick(dormant.plus(Duration.ofHours(5)));
    List<SegmentChange> turned = harness.segmentChanges();
    assertEquals(1, turned.size());
    assertEquals("ENTERED dormant-21 at " + dormant, describe(turned.get(0)).substring(0, describe(turned.get(0)).indexOf(" by ")),
        "at the moment the 21st day is complete, not at the tick that noticed it");
    assertEquals(List.of("dormant-21", "first-time-buyers", "ma-with-email"), harness.lastProfile().getSegments());

    Instant back = dormant.plus(Duration.ofDays(2));
    harness.transaction(Records.purchase("t2", "c1", "20.00", back).build());
    assertEquals(List.of("EXITED dormant-21 at " + back + " by e-t2", "EXITED first-time-buyers at " + back + " by e-t2"), changes());
    assertEquals(List.of("ma-with-email"), harness.lastProfile().getSegments());
  }

  @Test
  void aReplayOfTheArrivalsRebuildsTheSameChanges() {
    program();
    harness.command(Records.command("cmd-1", "c1", DAY0, Enroll.newBuilder().setEmail("ana@example.com").setHomeState("MA").build()));
    harness.transaction(Records.purchase("t1", "c1", "20.00", DAY0.plusSeconds(600)).build());
    harness.tick(DAY0.plus(Duration.ofDays(30)));
    harness.transaction(Records.purchase("t2", "c1", "20.00", DAY0.plus(Duration.ofDays(31))).build());
    harness.tick(DAY0.plus(Duration.ofDays(60)));
    List<String> live = changes();
    assertEquals(6, live.size(), live.toString());
    try (TopologyHarness replay = new TopologyHarness()) {
      harness.arrivals().forEach(replay::replay);
      assertEquals(live, replay.segmentChanges().stream().map(SegmentsTest::describe).toList());
    }
  }
}
