package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Business times have limits: a time more than a day ahead of its record's append time (validation.max.ahead)
 * is rejected, so it never moves an account's or a partition's clock, and a tick behind the partition's clock
 * beyond the tolerance is rejected rather than silently ignored.
 */
class BusinessTimeLimitsTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T00:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private List<String> rejections() {
    return harness.rejections().stream().map(TestRecord::value)
        .map(rejection -> rejection.getReasonCode() + " " + rejection.getEventId() + ": " + rejection.getMessage()).toList();
  }

  @Test
  void eventsAndCommandsDatedFarAheadOfTheirAppendTimeAreRejected() {
    harness.program(Records.program("1").build());
    harness.appendNextAt(AT);
    harness.transaction(Records.purchase("t1", "c1", "10.00", FAR_FUTURE).build());
    harness.appendNextAt(AT.plusSeconds(1));
    harness.command(Records.command("k1", "c2", FAR_FUTURE, Records.enroll()));
    assertEquals(List.of(
        "TIME_OUT_OF_RANGE e-t1: business time 9999-12-31T00:00:00Z is more than PT24H ahead of the record's append time "
            + "2026-03-01T18:00:00Z (validation.max.ahead.minutes)",
        "TIME_OUT_OF_RANGE k1: business time 9999-12-31T00:00:00Z is more than PT24H ahead of the record's append time "
            + "2026-03-01T18:00:01Z (validation.max.ahead.minutes)"), rejections());
    assertEquals(List.of(), harness.ledger());
    assertEquals(List.of(), harness.profiles());
    assertEquals(List.of("REFUSED TIME_OUT_OF_RANGE corr-k1"), harness.results().stream()
        .map(r -> r.getStatus() + " " + r.getReasonCode() + " " + r.getCorrelationId()).toList());

    Instant almostADay = AT.plus(Duration.ofDays(1));
    harness.appendNextAt(AT.plusSeconds(2));
    harness.transaction(Records.purchase("t2", "c1", "10.00", almostADay).build());
    assertEquals(List.of(), rejections(), "a POS clock a little ahead is within the limit");
    assertEquals(1, harness.ledger().size());
  }

  @Test
  void aTickYearsAheadIsRejectedAndTheClockStaysWhereItWas() {
    harness.program(Records.program("1").setTiers(List.of(io.loyalty.avro.TierDefinition.newBuilder().setTierId("gold")
        .setName("Gold").setThreshold(Records.d("5.00")).build())).build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.rewards();
    harness.appendNextAt(AT.plusSeconds(10));
    harness.tick(FAR_FUTURE);
    assertEquals(1, rejections().size());
    assertEquals(List.of(), harness.rewards(), "no year end, no downgrade warning: the clock did not move");
    harness.tick(AT.plus(Duration.ofDays(1)));
    assertEquals(List.of(), rejections());
  }

  @Test
  void aTickBehindThePartitionsClockIsRejectedBeyondTheTolerance() {
    harness.program(Records.program("1").build());
    harness.tick(AT);
    harness.tick(AT.minusSeconds(30));
    assertEquals(List.of(), rejections(), "another instance's ticker a little behind: a no-op");
    harness.appendNextAt(AT.plusSeconds(1));
    harness.tick(Instant.EPOCH);
    List<Rejection> rejections = harness.rejections().stream().map(TestRecord::value).toList();
    assertEquals(1, rejections.size());
    assertEquals(RejectionReason.STALE_TICK, rejections.get(0).getReasonCode());
    assertEquals("tick at 1970-01-01T00:00:00Z is behind the partition's clock 2026-03-01T18:00:00Z by more than PT1M; "
        + "time never goes back, nothing changed", rejections.get(0).getMessage());
  }
}
