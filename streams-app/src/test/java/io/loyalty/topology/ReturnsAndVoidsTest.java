package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.LotReference;
import io.loyalty.avro.NegativeBalancePolicy;
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

class ReturnsAndVoidsTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** Three units of L1 at $10 and one L2 at $20: 50 points at 1/$, L1 earned 30. */
  private void purchaseOfTwoLines(String transactionId, Instant at) {
    harness.transaction(Records.purchase(transactionId, "c1", "50.00", at)
        .setLines(List.of(line("L1", "3", "10.00", "0"), line("L2", "1", "20.00", "0"))).build());
  }

  private List<String> deltas(List<LedgerEntry> entries) {
    return entries.stream().map(entry -> entry.getType() + " " + entry.getDelta().toPlainString()).toList();
  }

  @Test
  void partialReturnsTakeBackEachUnitsShareAndNeverMoreThanTheLineEarned() {
    harness.program(Records.program("1").build());
    purchaseOfTwoLines("t1", AT);
    for (int i = 1; i <= 4; i++) {
      harness.transaction(Records.returnOf("r" + i, "t1", "c1", AT.plusSeconds(i), "L1", "1").build());
    }
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(List.of("EARN 50.0000", "RETURN_REVERSAL -10.0000", "RETURN_REVERSAL -10.0000", "RETURN_REVERSAL -10.0000"),
        deltas(ledger));
    LedgerEntry first = ledger.get(1);
    assertEquals("t1", first.getTransactionId());
    assertEquals("e-r1", first.getSourceEventId());
    assertEquals("return r1", first.getReason());
    assertEquals(d("10.00"), first.getSpendBasis());
    assertEquals(d("40.0000"), first.getBalanceAfter());
    assertEquals(d("40.00"), first.getLifetimeSpend());
    assertEquals(d("40.0000"), first.getLifetimeEarned());
    assertEquals(List.of(new LotReference("greenleaf/e-t1/0", d("10.0000"))), first.getLots());

    Rejection exceeded = harness.rejections().get(0).value();
    assertEquals(RejectionReason.RETURN_EXCEEDS_ORIGINAL, exceeded.getReasonCode());
    assertEquals("line L1: returning 1.000 but only 0.000 of 3.000 are left", exceeded.getMessage());
  }

  @Test
  void thirdsRoundPerReturnAndTheClosingReturnTakesExactlyTheRest() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).setLines(List.of(line("L1", "3", "3.33", "0"), line("L2", "1", "0.01", "0"))).build());
    harness.transaction(Records.returnOf("r1", "t1", "c1", AT.plusSeconds(1), "L1", "1").build());
    harness.transaction(Records.returnOf("r2", "t1", "c1", AT.plusSeconds(2), "L1", "1").build());
    harness.transaction(Records.returnOf("r3", "t1", "c1", AT.plusSeconds(3), "L1", "1").build());
    assertEquals(List.of("EARN 10.0000", "RETURN_REVERSAL -3.3300", "RETURN_REVERSAL -3.3300", "RETURN_REVERSAL -3.3300"),
        deltas(harness.ledger()));
  }

  @Test
  void unevenSharesOfAFractionalLineAddUpExactly() {
    harness.program(Records.program("0.1").setRounding(new io.loyalty.avro.PointsRounding(4, io.loyalty.avro.PointsRoundingMode.HALF_UP)).build());
    harness.transaction(Records.purchase("t1", "c1", "100.00", AT).setLines(List.of(line("L1", "3", "33.33", "0"), line("L2", "1", "0.01", "0"))).build());
    harness.transaction(Records.returnOf("r1", "t1", "c1", AT.plusSeconds(1), "L1", "1").build());
    harness.transaction(Records.returnOf("r2", "t1", "c1", AT.plusSeconds(2), "L1", "2").build());
    assertEquals(List.of("EARN 10.0000", "RETURN_REVERSAL -3.3330", "RETURN_REVERSAL -6.6660"), deltas(harness.ledger()),
        "L1 earned 9.9990 of the 10.0000 (pro rata by spend 99.99 / 100.00); 1/3 is 3.3330, the rest 6.6660");
  }

  @Test
  void redeemedPointsComeBackProRataIntoTheirOriginalLotsBeforeEarnedPointsAreTakenBack() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t0", "c1", "30.00", AT).build());
    harness.transaction(Records.purchase("t1", "c1", "100.00", AT.plusSeconds(60))
        .setLines(List.of(line("L1", "1", "50.00", "0"), line("L2", "1", "50.00", "0")))
        .setRedemptions(List.of(Records.redemption("20", "20.00", null))).build());
    harness.transaction(Records.returnOf("r1", "t1", "c1", AT.plusSeconds(120), "L2", "1").build());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(List.of("EARN 30.0000", "REDEEM -20.0000", "EARN 80.0000", "REDEMPTION_REFUND 10.0000", "RETURN_REVERSAL -40.0000"),
        deltas(ledger));
    assertEquals(List.of(new LotReference("greenleaf/e-t0/0", d("20.0000"))), ledger.get(1).getLots());
    assertEquals(List.of(new LotReference("greenleaf/e-t0/0", d("10.0000"))), ledger.get(3).getLots(),
        "the refund goes back into the lot it came from, with its age");
    assertEquals(d("60.0000"), ledger.get(4).getBalanceAfter());
    assertEquals(d("70.00"), ledger.get(4).getLifetimeSpend(), "30 + 80 - 40 (line L2 is half of the eligible 80)");
  }

  @Test
  void aVoidReversesEverythingLeftAndCannotBeRepeatedNorFollowedByAReturn() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t0", "c1", "30.00", AT).build());
    harness.transaction(Records.purchase("t1", "c1", "50.00", AT.plusSeconds(60))
        .setLines(List.of(line("L1", "3", "10.00", "0"), line("L2", "1", "20.00", "0")))
        .setRedemptions(List.of(Records.redemption("10", "10.00", null))).build());
    harness.transaction(Records.returnOf("r1", "t1", "c1", AT.plusSeconds(120), "L1", "1").build());
    harness.transaction(Records.voidOf("v1", "t1", "c1", AT.plusSeconds(180)).build());
    harness.transaction(Records.voidOf("v2", "t1", "c1", AT.plusSeconds(240)).build());
    harness.transaction(Records.returnOf("r2", "t1", "c1", AT.plusSeconds(300), "L2", "1").build());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(List.of("EARN 30.0000", "REDEEM -10.0000", "EARN 40.0000",
        "REDEMPTION_REFUND 2.0000", "RETURN_REVERSAL -8.0000",
        "REDEMPTION_REFUND 8.0000", "VOID_REVERSAL -32.0000"), deltas(ledger),
        "the 10 redeemed points are 6 on L1 (30 of 50) and 4 on L2; the 40 earned are 24 on L1 and 16 on L2; "
            + "returning 1 of 3 L1 takes 1/3 of each, the void the rest");
    assertEquals(d("30.0000"), ledger.get(6).getBalanceAfter(), "back to what t0 earned");
    assertEquals(d("30.00"), ledger.get(6).getLifetimeSpend());
    List<CustomerProfile> profiles = harness.profiles();
    CustomerProfile profile = profiles.get(profiles.size() - 1);
    assertEquals(1, profile.getVisits());
    List<TestRecord<byte[], Rejection>> rejections = harness.rejections();
    assertEquals("transaction t1 was voided by an earlier event", rejections.get(0).value().getMessage());
    assertEquals(RejectionReason.RETURN_EXCEEDS_ORIGINAL, rejections.get(1).value().getReasonCode());
  }

  @Test
  void aReturnAheadOfItsPurchaseWaitsForItAndAppliesRightAfter() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.returnOf("r1", "t1", "c1", AT.plusSeconds(60), "L1", "1").build());
    assertEquals(List.of(), harness.ledger());
    assertEquals(List.of(), harness.rejections());
    purchaseOfTwoLines("t1", AT);
    assertEquals(List.of("EARN 50.0000", "RETURN_REVERSAL -10.0000"), deltas(harness.ledger()));
    assertEquals(List.of(1L, 2L), harness.profiles().stream().map(CustomerProfile::getPosEventsApplied).toList(),
        "the parked return counts as applied when it is, after its purchase");
    harness.tick(AT.plus(Duration.ofDays(2)));
    assertEquals(List.of(), harness.rejections(), "nothing left to expire");
  }

  @Test
  void aReturnWhoseOriginalNeverArrivesIsRejectedWhenTheGracePeriodEnds() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t0", "c1", "5.00", AT).build());
    harness.transaction(Records.returnOf("r1", "t-missing", "c1", AT.plusSeconds(60), "L1", "1").build());
    harness.tick(AT.plusSeconds(60).plus(Duration.ofMinutes(59)));
    assertEquals(List.of(), harness.rejections());
    harness.tick(AT.plusSeconds(60).plus(Duration.ofMinutes(60)));
    List<TestRecord<byte[], Rejection>> rejections = harness.rejections();
    assertEquals(1, rejections.size());
    Rejection rejection = rejections.get(0).value();
    assertEquals(RejectionReason.UNKNOWN_TRANSACTION, rejection.getReasonCode());
    assertEquals("original transaction t-missing was not seen within the grace period of PT1H", rejection.getMessage());
    assertEquals(1L, rejection.getSourceOffset(), "the rejection points at the return's own record");
    assertEquals("e-r1", rejection.getEventId());
    List<CustomerProfile> profiles = harness.profiles();
    assertEquals(1L, profiles.get(profiles.size() - 1).getPosEventsApplied(), "the purchase; the rejected return is not counted");
  }

  private List<LedgerEntry> reverseMoreThanTheBalance(NegativeBalancePolicy policy) {
    harness.program(Records.program("1").setNegativeBalancePolicy(policy).setEarnOnRedemptionOrders(false).build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "10.00", AT.plusSeconds(1))
        .setRedemptions(List.of(Records.redemption("10", "10.00", null))).build());
    harness.transaction(Records.voidOf("v1", "t1", "c1", AT.plusSeconds(2)).build());
    harness.transaction(Records.purchase("t3", "c1", "15.00", AT.plusSeconds(3)).build());
    return harness.ledger();
  }

  @Test
  void allowNegativeTakesItAllAndRecordsTheShortfall() {
    List<LedgerEntry> ledger = reverseMoreThanTheBalance(NegativeBalancePolicy.ALLOW_NEGATIVE);
    assertEquals(List.of("EARN 10.0000", "REDEEM -10.0000", "VOID_REVERSAL -10.0000", "EARN 15.0000"), deltas(ledger));
    assertEquals(d("-10.0000"), ledger.get(2).getBalanceAfter());
    assertEquals(d("10.0000"), ledger.get(2).getShortfall());
    assertEquals(d("5.0000"), ledger.get(3).getBalanceAfter());
    assertEquals(List.of(new LotReference("greenleaf/e-t3/0", d("5.0000"))), ledger.get(3).getLots(),
        "the first 10 points of t3 cover the negative balance");
  }

  @Test
  void capAtZeroWritesTheShortfallOff() {
    List<LedgerEntry> ledger = reverseMoreThanTheBalance(NegativeBalancePolicy.CAP_AT_ZERO);
    assertEquals(List.of("EARN 10.0000", "REDEEM -10.0000", "VOID_REVERSAL 0.0000", "EARN 15.0000"), deltas(ledger));
    assertEquals(d("10.0000"), ledger.get(2).getShortfall());
    assertEquals(d("15.0000"), ledger.get(3).getBalanceAfter());
  }

  @Test
  void netAgainstFutureTakesTheShortfallFromTheNextEarning() {
    List<LedgerEntry> ledger = reverseMoreThanTheBalance(NegativeBalancePolicy.NET_AGAINST_FUTURE);
    assertEquals(List.of("EARN 10.0000", "REDEEM -10.0000", "VOID_REVERSAL 0.0000", "EARN 15.0000", "SHORTFALL -10.0000"),
        deltas(ledger));
    assertEquals(d("10.0000"), ledger.get(2).getShortfall());
    assertEquals("netted against an earlier shortfall", ledger.get(4).getReason());
    assertEquals(d("5.0000"), ledger.get(4).getBalanceAfter());
  }

  @Test
  void redemptionsTakeTheOldestLotsFirst() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "20.00", AT.plusSeconds(1)).build());
    harness.transaction(Records.purchase("t3", "c1", "15.00", AT.plusSeconds(2))
        .setRedemptions(List.of(Records.redemption("15", "15.00", null))).build());
    LedgerEntry redeem = harness.ledger().get(2);
    assertEquals(List.of(new LotReference("greenleaf/e-t1/0", d("10.0000")), new LotReference("greenleaf/e-t2/0", d("5.0000"))),
        redeem.getLots());
  }
}
