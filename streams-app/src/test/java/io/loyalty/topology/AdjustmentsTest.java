package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.AdjustPoints;
import io.loyalty.avro.AdjustmentReason;
import io.loyalty.avro.BoostPoints;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LotReference;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdjustmentsTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @BeforeEach
  void accountWithTwentyPoints() {
    harness.program(Records.program("1").setAdjustmentApprovalLimit(d("100.0000")).setAdjustmentReasons(List.of(
        new AdjustmentReason("goodwill", 30), new AdjustmentReason("correction", null))).build());
    harness.transaction(Records.purchase("t0", "c1", "20.00", AT).build());
    harness.ledger();
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private static AdjustPoints adjustment(String delta, String reason, String approvedBy) {
    return AdjustPoints.newBuilder().setDelta(d(delta).setScale(4)).setReason(reason).setApprovedBy(approvedBy).setNote(null).build();
  }

  private String send(String commandId, Object body, Instant at) {
    harness.command(Records.command(commandId, "c1", at, body));
    CommandResult result = harness.results().get(0);
    return result.getStatus() + (result.getReasonCode() == null ? "" : " " + result.getReasonCode() + " " + result.getMessage());
  }

  @Test
  void adjustmentsNeedAConfiguredReasonAndApprovalAboveTheLimit() {
    assertEquals("REFUSED UNKNOWN_REASON adjustment reason 'because' is not configured",
        send("k1", adjustment("5", "because", null), AT.plusSeconds(1)));
    assertEquals("REFUSED APPROVAL_REQUIRED adjusting 150.0000 points exceeds the limit 100.0000 and needs approvedBy",
        send("k2", adjustment("150", "correction", null), AT.plusSeconds(2)));
    assertEquals("REFUSED INSUFFICIENT_POINTS removing 30.0000 points but the balance is 20.0000",
        send("k3", adjustment("-30", "correction", null), AT.plusSeconds(3)));
    assertEquals(List.of(), harness.ledger());

    assertEquals("APPLIED", send("k4", adjustment("150", "correction", "manager-2"), AT.plusSeconds(4)));
    assertEquals("APPLIED", send("k5", adjustment("-7.5", "correction", null), AT.plusSeconds(5)));
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals("ADJUSTMENT 150.0000 correction budtender-7 manager-2", describe(ledger.get(0)));
    assertEquals("ADJUSTMENT -7.5000 correction budtender-7 null", describe(ledger.get(1)));
    assertEquals(d("162.5000"), ledger.get(1).getBalanceAfter());
    assertEquals(d("20.0000"), ledger.get(1).getLifetimeEarned(), "adjustments never count as earning");
  }

  @Test
  void aBalanceBeyondTheContractsDigitsIsRefusedWholeBeforeAnythingIsWritten() {
    assertEquals("APPLIED", send("k1", adjustment("99999999999979.9999", "correction", "manager-2"), AT.plusSeconds(1)));
    assertEquals(d("99999999999999.9999"), harness.ledger().get(0).getBalanceAfter(), "the largest balance the contract holds");
    harness.profiles();
    harness.rejections();

    assertEquals("REFUSED AMOUNT_OUT_OF_RANGE an amount of points would exceed the contract's 18 digits (14 before the "
        + "decimal point); nothing was applied", send("k2", adjustment("1", "correction", null), AT.plusSeconds(2)));
    var rejections = harness.rejections();
    assertEquals(1, rejections.size());
    assertEquals("AMOUNT_OUT_OF_RANGE k2 greenleaf", rejections.get(0).value().getReasonCode() + " "
        + rejections.get(0).value().getEventId() + " " + rejections.get(0).value().getOrganizationId());
    assertEquals(List.of(), harness.ledger());
    assertEquals(List.of(), harness.profiles());

    assertEquals("APPLIED", send("k3", adjustment("-1", "correction", null), AT.plusSeconds(3)),
        "the refused input left no partial bytes and no state behind");
    assertEquals(d("99999999999998.9999"), harness.ledger().get(0).getBalanceAfter());
  }

  @Test
  void pointsAddedWithAnExpiringReasonExpireAfterItsDaysEvenWithoutActivity() {
    assertEquals("APPLIED", send("k1", adjustment("40", "goodwill", null), AT.plusSeconds(1)));
    harness.transaction(Records.purchase("t1", "c1", "30.00", AT.plusSeconds(2))
        .setRedemptions(List.of(Records.redemption("25", "25.00", null))).build());
    harness.tick(AT.plusSeconds(1).plus(Duration.ofDays(30)).minusMillis(1));
    harness.ledger();
    harness.tick(AT.plusSeconds(1).plus(Duration.ofDays(30)));
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(1, ledger.size());
    LedgerEntry expiry = ledger.get(0);
    assertEquals("EXPIRY -35.0000 lot greenleaf/k1/0 expired system null", describe(expiry),
        "the redemption took the 20 older points first, then 5 of the 40: 35 are left to expire");
    assertEquals(List.of(new LotReference("greenleaf/k1/0", d("35.0000"))), expiry.getLots());
    assertEquals(AT.plusSeconds(1).plus(Duration.ofDays(30)), expiry.getOccurredAt(), "the timer's due time, not when it was noticed");
    assertEquals(d("5.0000"), expiry.getBalanceAfter(), "what t1 earned on 30 - 25 is left");
  }

  @Test
  void aBoostIsItsOwnLedgerTypeAndIsGrantedOnce() {
    BoostPoints welcome = new BoostPoints("welcome-2026", d("100.0000"), "100 points to every new member");
    assertEquals("APPLIED", send("k1", welcome, AT.plusSeconds(1)));
    assertEquals("REFUSED DUPLICATE_BOOST boost welcome-2026 was already granted", send("k2", welcome, AT.plusSeconds(2)));
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(1, ledger.size());
    assertEquals("BOOST 100.0000 welcome-2026: 100 points to every new member budtender-7 null", describe(ledger.get(0)));
    assertEquals(CommandStatus.DUPLICATE.name(), send("k1", welcome, AT.plusSeconds(3)));
  }

  private static String describe(LedgerEntry entry) {
    return entry.getType() + " " + entry.getDelta().toPlainString() + " " + entry.getReason() + " " + entry.getActor() + " "
        + entry.getApprovedBy();
  }
}
