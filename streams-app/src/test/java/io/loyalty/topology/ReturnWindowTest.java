package io.loyalty.topology;

import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A purchase is kept while a return may come: its program's return window, plus the reversal grace (one hour
 * in the harness) for returns recorded late. Returns after the window are refused with their own reason,
 * whether or not the record is still there.
 */
class ReturnWindowTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private static final Instant WINDOW_END = AT.plus(Duration.ofDays(30));
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private void purchase(String transactionId, String eventId) {
    harness.transaction(Records.purchase(transactionId, "c1", "30.00", AT).setEventId(eventId)
        .setLines(List.of(line("L1", "3", "10.00", "0"))).build());
  }

  private byte[] record(String transactionId) {
    KeyValueStore<String, byte[]> store = harness.driver().getKeyValueStore(LoyaltyTopology.TRANSACTIONS_STORE);
    return store.get(Staging.transactionKey("greenleaf:c1", transactionId));
  }

  /** The ids the seen-ids store remembers, in key order. */
  private List<String> seenIds() {
    List<String> ids = new ArrayList<>();
    try (var all = harness.driver().<String, Long>getWindowStore(LoyaltyTopology.SEEN_STORE).all()) {
      all.forEachRemaining(entry -> ids.add(entry.key.key()));
    }
    return ids.stream().sorted().toList();
  }

  private final List<Rejection> rejected = new ArrayList<>();

  /** Every rejection so far (reading the topic consumes it). */
  private List<String> rejections() {
    harness.rejections().stream().map(TestRecord::value).forEach(rejected::add);
    return rejected.stream()
        .map(rejection -> rejection.getEventId() + " " + rejection.getReasonCode() + ": " + rejection.getMessage()).toList();
  }

  @Test
  void returnsAfterTheWindowAreRefusedBeforeAndAfterThePurchaseIsRemoved() {
    harness.program(Records.program("1").setReturnWindowDays(30).build());
    purchase("t1", "e-t1");
    purchase("t2", "e-t2");
    harness.transaction(Records.returnOf("r1", "t1", "c1", WINDOW_END.plusMillis(1), "L1", "1").build());
    harness.transaction(Records.returnOf("r2", "t2", "c1", WINDOW_END, "L1", "1").build());
    assertEquals(List.of("e-r1 RETURN_WINDOW_CLOSED: transaction t1 of 2026-03-01T18:00:00Z could be returned or voided until "
        + "2026-03-31T18:00:00Z (the program's return window); nothing changed"), rejections());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(List.of("e-t1 EARN 30.0000", "e-t2 EARN 30.0000", "e-r2 RETURN_REVERSAL -10.0000"), ledger.stream()
        .map(entry -> entry.getSourceEventId() + " " + entry.getType() + " " + entry.getDelta().toPlainString()).toList(),
        "the return on the window's last instant applies");

    harness.tick(WINDOW_END.plus(Duration.ofHours(1)).minusMillis(1));
    assertNotNull(record("t1"), "kept until the grace after the window has passed");
    assertEquals(List.of("R|greenleaf|r2", "T|greenleaf|e-r2"), seenIds(), "a purchase's record, not a seen id, remembers it");
    harness.tick(WINDOW_END.plus(Duration.ofHours(1)));
    assertNull(record("t1"), "removed by its timer");
    assertNull(record("t2"));
    assertEquals(List.of("R|greenleaf|r2", "T|greenleaf|e-r2", "T|greenleaf|e-t1", "T|greenleaf|e-t2", "X|greenleaf:c1/t1",
        "X|greenleaf:c1/t2"), seenIds(), "the removal leaves the purchase's event id and the removal");

    harness.transaction(Records.returnOf("r3", "t1", "c1", WINDOW_END.plus(Duration.ofHours(2)), "L1", "1").build());
    harness.transaction(Records.voidOf("v1", "t2", "c1", WINDOW_END.plus(Duration.ofHours(2))).build());
    purchase("t1", "e-t1-resent");
    purchase("t1", "e-t1");
    harness.tick(WINDOW_END.plus(Duration.ofDays(2)));
    assertEquals(List.of(
        "e-r1 RETURN_WINDOW_CLOSED: transaction t1 of 2026-03-01T18:00:00Z could be returned or voided until "
            + "2026-03-31T18:00:00Z (the program's return window); nothing changed",
        "e-r3 RETURN_WINDOW_CLOSED: transaction t1 is past its return window and no longer kept; nothing changed",
        "e-v1 RETURN_WINDOW_CLOSED: transaction t2 is past its return window and no longer kept; nothing changed",
        "e-t1-resent DUPLICATE: transaction t1 was already applied (its record was removed after its return window); "
            + "nothing changed",
        "e-t1 DUPLICATE: event e-t1 was already applied; nothing changed"), rejections(), "refused at once, never parked as unknown");
    assertEquals(List.of(), harness.ledger(), "nothing more was posted");
  }

  @Test
  void aWindowOfZeroDaysAllowsReversalsAtThePurchasesInstantOnly() {
    harness.program(Records.program("1").setReturnWindowDays(0).build());
    purchase("t1", "e-t1");
    harness.transaction(Records.returnOf("r1", "t1", "c1", AT, "L1", "1").build());
    harness.transaction(Records.returnOf("r2", "t1", "c1", AT.plusMillis(1), "L1", "1").build());
    assertEquals(List.of("e-r2 RETURN_WINDOW_CLOSED: transaction t1 of 2026-03-01T18:00:00Z could be returned or voided until "
        + "2026-03-01T18:00:00Z (the program's return window); nothing changed"), rejections());
    Rejection refused = rejected.get(0);
    assertEquals(RejectionReason.RETURN_WINDOW_CLOSED, refused.getReasonCode());
    assertEquals("greenleaf", refused.getOrganizationId());
  }
}
