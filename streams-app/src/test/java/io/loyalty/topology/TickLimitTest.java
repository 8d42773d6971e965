package io.loyalty.topology;

import static io.loyalty.testing.SegmentConditions.segment;
import static io.loyalty.testing.SegmentConditions.test;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tick fires at most clock.max.timers.per.tick timers of its partition; the rest fire on the next ticks, in due order. */
class TickLimitTest {
  private static final Instant DAY0 = Instant.parse("2026-03-02T18:00:00Z");

  private static List<String> entered(TopologyHarness harness) {
    return harness.segmentChanges().stream().map(SegmentChange::getCustomerId).toList();
  }

  @Test
  void aTickAfterALongStopFiresItsBacklogOverTheFollowingTicks() {
    try (TopologyHarness harness = new TopologyHarness(Map.of("clock.max.timers.per.tick", "2"))) {
      harness.program(Records.program("1").setSegments(List.of(
          segment("dormant-21", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21")))).build());
      for (int c = 1; c <= 5; c++) {
        harness.transaction(Records.purchase("t" + c, "c" + c, "10.00", DAY0.plusSeconds(60L * c)).build());
      }
      harness.segmentChanges();
      Instant later = DAY0.plus(Duration.ofDays(90));
      harness.tick(later);
      assertEquals(List.of("c1", "c2"), entered(harness), "the two due first");
      harness.tick(later.plusSeconds(60));
      assertEquals(List.of("c3", "c4"), entered(harness));
      harness.transaction(Records.purchase("t6", "c5", "10.00", later.plusSeconds(90)).build());
      List<SegmentChange> own = harness.segmentChanges();
      assertEquals(List.of("ENTERED at " + DAY0.plusSeconds(300).plus(Duration.ofDays(21)), "EXITED at " + later.plusSeconds(90)),
          own.stream().map(change -> change.getChange() + " at " + change.getOccurredAt()).toList(),
          "an account's own due timer fires before its input, at its due time");
      harness.tick(later.plusSeconds(120));
      assertEquals(List.of(), entered(harness), "nothing left");
    }
  }
}
