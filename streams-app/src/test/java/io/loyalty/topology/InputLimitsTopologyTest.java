package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An input beyond a limit is refused whole before anything of it is written, and the next input of the partition
 * is applied: a ticket with more lines than limits.ticket.lines at the intake, and one within it whose state and
 * outputs would exceed the write budget after it was applied.
 */
class InputLimitsTopologyTest {
  private static final Instant AT = Instant.parse("2026-10-01T17:00:00Z");

  /** A schema-valid ticket whose lines add up: n lines of 1 x $0.01. */
  static TransactionEvent hugeTicket(String transactionId, String customerId, int lines) {
    List<TransactionLine> items = new ArrayList<>();
    for (int i = 1; i <= lines; i++) {
      items.add(Records.line("L" + i, "1", "0.01", "0"));
    }
    BigDecimal subtotal = new BigDecimal(lines).movePointLeft(2);
    return Records.purchase(transactionId, customerId, subtotal.toPlainString(), AT).setLines(items).build();
  }

  @Test
  void aTicketWithMoreLinesThanTheLimitIsRefusedAtTheIntake() {
    try (TopologyHarness harness = new TopologyHarness()) {
      harness.program(Records.program("1").build());
      harness.transaction(hugeTicket("huge", "c1", 501));
      harness.transaction(Records.purchase("t2", "c2", "10.00", AT.plusSeconds(1)).build());

      Rejection rejection = harness.rejections().get(0).value();
      assertEquals(RejectionReason.LIMIT_EXCEEDED, rejection.getReasonCode());
      assertEquals("a ticket of 501 lines is more than limits.ticket.lines (500); nothing of it was applied", rejection.getMessage());
      assertEquals("e-huge", rejection.getEventId());
      assertEquals("greenleaf", rejection.getOrganizationId());
      assertEquals(List.of("c2"), harness.ledger().stream().map(entry -> entry.getCustomerId()).toList(), "the next purchase earns");
      assertEquals(List.of("greenleaf:c2"), List.copyOf(harness.accounts().keySet()));
    }
  }

  @Test
  void aTicketWhoseWritesExceedTheBudgetIsRefusedWholeAfterProcessing() {
    try (TopologyHarness harness = new TopologyHarness(Map.of("limits.ticket.lines", "100000",
        "limits.record.bytes", String.valueOf(WriteBudget.MINIMUM_BYTES)))) {
      harness.program(Records.program("1").build());
      TransactionEvent huge = hugeTicket("huge", "c1", 5_000);
      harness.transaction(huge);
      harness.transaction(Records.purchase("t2", "c2", "10.00", AT.plusSeconds(1)).build());

      List<Rejection> rejections = harness.rejections().stream().map(record -> record.value()).toList();
      assertEquals(1, rejections.size());
      Rejection rejection = rejections.get(0);
      assertEquals(RejectionReason.LIMIT_EXCEEDED, rejection.getReasonCode());
      assertTrue(rejection.getMessage().startsWith("too large to apply: it would write a record of "), rejection.getMessage());
      assertTrue(rejection.getMessage().contains(" bytes a record of loyalty-test-transactions-store-changelog may have (limits.record.bytes"),
          rejection.getMessage());
      assertTrue(rejection.getMessage().endsWith("; nothing of it was applied; its value of " + rejectedSize(harness, huge)
          + " bytes is left out (read it from pos.transactions-0 at offset 0)"), rejection.getMessage());
      assertNull(rejection.getValue(), "an input over 64 KiB is not copied into its rejection");
      assertEquals(List.of("c2"), harness.ledger().stream().map(entry -> entry.getCustomerId()).toList(), "the next purchase earns");
      assertEquals(List.of("greenleaf:c2"), List.copyOf(harness.accounts().keySet()), "nothing of the huge ticket was stored");
    }
  }

  @Test
  void anInputWritingMoreThanTheInputBudgetInAllIsRefused() {
    try (TopologyHarness harness = new TopologyHarness(Map.of("limits.ticket.lines", "100000",
        "limits.input.write.bytes", String.valueOf(WriteBudget.MINIMUM_BYTES)))) {
      harness.program(Records.program("1").build());
      harness.transaction(hugeTicket("huge", "c1", 5_000));
      Rejection rejection = harness.rejections().get(0).value();
      assertEquals(RejectionReason.LIMIT_EXCEEDED, rejection.getReasonCode());
      assertTrue(rejection.getMessage().startsWith("too large to apply: it would write more than the 131072 bytes one input may write "
          + "in all (limits.input.write.bytes); nothing of it was applied"), rejection.getMessage());
      assertEquals(List.of(), harness.ledger());
    }
  }

  private static int rejectedSize(TopologyHarness harness, TransactionEvent event) {
    return harness.serdes.serde(TransactionEvent.class).serializer().serialize(harness.topics.transactions(), event).length;
  }
}
