package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's counters (exported at /metrics) count what the engine did, input by input. */
class OperatorMetricsTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private double count(String name, String... tags) {
    MeterRegistry registry = harness.meters.registry();
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void countsInputsByTypeAndOutcomeAndWhatTheyProduced() {
    harness.program(Records.program("0.1").build());
    harness.transaction(Records.purchase("t0", "c1", "100.00", AT.minusSeconds(60)).build());
    harness.transaction(Records.dutchieExample("t1", "c1", AT).build());
    harness.transaction(Records.purchase("t0", "c1", "100.00", AT.minusSeconds(60)).build()); // a POS retry
    harness.transaction(Records.purchase("t9", null, "40.00", AT.plusSeconds(5)).build()); // an anonymous sale
    harness.tick(AT.plusSeconds(60));

    assertEquals(3, count("loyalty.inputs", "type", "PURCHASE", "outcome", "applied"));
    assertEquals(1, count("loyalty.inputs", "type", "PURCHASE", "outcome", "rejected"));
    assertEquals(1, count("loyalty.inputs", "type", "ClockTick", "outcome", "applied"));
    assertEquals(1, count("loyalty.rejections", "reason", "DUPLICATE"));
    assertEquals(2, count("loyalty.ledger.entries", "type", "EARN"));
    assertEquals(1, count("loyalty.ledger.entries", "type", "REDEEM"));
    assertEquals(18.5, count("loyalty.ledger.points", "type", "EARN"), 1e-9, "10 + 8.5 points earned");
    assertEquals(5.0, count("loyalty.ledger.points", "type", "REDEEM"), 1e-9);
  }
}
