package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.LocationOverride;
import io.loyalty.avro.MembershipStatus;
import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PurchasePathTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void theWorkedExamplePostsTheRedemptionThenEarnsEightAndAHalfPoints() {
    harness.program(Records.program("0.1").build());
    harness.transaction(Records.purchase("t0", "c1", "100.00", AT.minusSeconds(60)).build());
    harness.transaction(Records.dutchieExample("t1", "c1", AT).build());

    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(3, ledger.size());
    LedgerEntry first = ledger.get(0);
    assertEquals(LedgerEntryType.EARN, first.getType());
    assertEquals(d("10.0000"), first.getDelta());
    assertEquals(d("10.0000"), first.getBalanceAfter());

    LedgerEntry redeem = ledger.get(1);
    assertEquals("greenleaf/e-t1/0", redeem.getEntryId());
    assertEquals(LedgerEntryType.REDEEM, redeem.getType());
    assertEquals(d("-5.0000"), redeem.getDelta());
    assertEquals(d("5.0000"), redeem.getBalanceAfter());

    LedgerEntry earn = ledger.get(2);
    assertEquals("greenleaf/e-t1/1", earn.getEntryId());
    assertEquals("greenleaf:c1", earn.getAccountKey());
    assertEquals(LedgerEntryType.EARN, earn.getType());
    assertEquals(d("8.5000"), earn.getDelta());
    assertEquals(d("13.5000"), earn.getBalanceAfter());
    assertEquals(d("13.5000"), earn.getSpendableAfter());
    assertEquals(d("18.5000"), earn.getLifetimeEarned());
    assertEquals(d("185.00"), earn.getLifetimeSpend());
    assertEquals(d("85.00"), earn.getSpendBasis());
    assertEquals(AT, earn.getOccurredAt());
    assertEquals("e-t1", earn.getSourceEventId());
    assertEquals("t1", earn.getTransactionId());
    assertEquals(1L, earn.getProgramVersion());
    assertEquals("downtown", earn.getLocationId());

    List<CustomerProfile> profiles = harness.profiles();
    assertEquals(2, profiles.size());
    CustomerProfile profile = profiles.get(1);
    assertEquals("greenleaf:c1", profile.getAccountKey());
    assertEquals(MembershipStatus.MEMBER, profile.getMembership());
    assertEquals(d("13.5000"), profile.getBalance());
    assertEquals(d("185.00"), profile.getLifetimeSpend());
    assertEquals(2, profile.getVisits());
    assertEquals(AT.minusSeconds(60), profile.getFirstSeenAt());
    assertEquals(AT, profile.getLastPurchaseAt());
    assertEquals("e-t1", profile.getLastEventId());
    assertEquals(List.of(), harness.rejections());

    assertEquals(d("13.5000"), harness.accounts().get("greenleaf:c1").getBalance());
  }

  @Test
  void thirtyFiveFiftyBeforeTaxEarnsThreePointFiftyFive() {
    harness.program(Records.program("0.1").build());
    harness.transaction(Records.purchase("t1", "c1", "35.50", AT).setTax(d("7.10")).setTotal(d("42.60")).build());
    LedgerEntry entry = harness.ledger().get(0);
    assertEquals(d("3.5500"), entry.getDelta());
    assertEquals(d("35.50"), entry.getSpendBasis());
  }

  @Test
  void aLocationOverrideSetsTheRateThere() {
    harness.program(Records.program("1")
        .setLocationOverrides(List.of(new LocationOverride("eastside", d("1.5000"), null))).build());
    harness.transaction(Records.purchase("t1", "c1", "20.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "20.00", AT.plusSeconds(1)).setLocationId("eastside").build());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(d("20.0000"), ledger.get(0).getDelta());
    assertEquals(d("30.0000"), ledger.get(1).getDelta());
    assertEquals(d("50.0000"), ledger.get(1).getBalanceAfter());
  }

  @Test
  void withoutAnAccrualRateNothingIsEarnedButSpendAndVisitsCount() {
    harness.program(Records.program(null).build());
    harness.transaction(Records.purchase("t1", "c1", "20.00", AT).build());
    assertEquals(List.of(), harness.ledger());
    CustomerProfile profile = harness.profiles().get(0);
    assertEquals(d("0.0000"), profile.getBalance());
    assertEquals(d("20.00"), profile.getLifetimeSpend());
    assertEquals(1, profile.getVisits());
    assertEquals(1L, profile.getPosEventsApplied(), "an auditor accounts for the event by this count once compaction removed the snapshot");
    assertEquals(List.of(), harness.rejections());
  }

  @Test
  void programVersionsApplyFromTheirEffectiveTimeWhateverTheirArrivalOrder() {
    harness.program(Records.program("2").setVersion(2).setEffectiveFrom(AT).build());
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT.minusMillis(1)).build());
    harness.transaction(Records.purchase("t2", "c1", "10.00", AT).build());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(d("10.0000"), ledger.get(0).getDelta());
    assertEquals(1L, ledger.get(0).getProgramVersion());
    assertEquals(d("20.0000"), ledger.get(1).getDelta());
    assertEquals(2L, ledger.get(1).getProgramVersion());
  }

  @Test
  void aRetriedEventOrATransactionSeenUnderAnotherEventIdIsADuplicateAndChangesNothing() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).setEventId("e-other").build());
    assertEquals(1, harness.ledger().size());
    assertEquals(List.of(1L), harness.profiles().stream().map(CustomerProfile::getPosEventsApplied).toList());
    List<TestRecord<byte[], Rejection>> rejections = harness.rejections();
    assertEquals(2, rejections.size());
    assertEquals(RejectionReason.DUPLICATE, rejections.get(0).value().getReasonCode());
    assertEquals("event e-t1 was already applied; nothing changed", rejections.get(0).value().getMessage());
    assertEquals(RejectionReason.DUPLICATE, rejections.get(1).value().getReasonCode());
    assertEquals("transaction t1 was already applied by event e-t1; nothing changed", rejections.get(1).value().getMessage());
    assertEquals("e-other", rejections.get(1).value().getEventId());
  }

  @Test
  void aRedemptionLargerThanTheBalanceIsRejectedWholeAndChangesNothing() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", "c1", "3.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "10.00", AT.plusSeconds(1))
        .setRedemptions(List.of(new PointRedemption(RedemptionKind.PAYMENT_BEFORE_TAX, d("4.0000"), d("4.00"), null, null)))
        .build());
    assertEquals(1, harness.ledger().size());
    Rejection rejection = harness.rejections().get(0).value();
    assertEquals(RejectionReason.INSUFFICIENT_POINTS, rejection.getReasonCode());
    assertEquals("purchase redeems 4.0000 points but 3.0000 are spendable", rejection.getMessage());
  }

  @Test
  void earningOnRedemptionOrdersCanBeTurnedOff() {
    harness.program(Records.program("1").setEarnOnRedemptionOrders(false).build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "10.00", AT.plusSeconds(1))
        .setRedemptions(List.of(new PointRedemption(RedemptionKind.CATALOG_REWARD, d("5.0000"), d("5.00"), "r5", null)))
        .build());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(2, ledger.size());
    assertEquals(LedgerEntryType.REDEEM, ledger.get(1).getType());
    assertEquals(d("5.0000"), ledger.get(1).getBalanceAfter());
  }

  @Test
  void anonymousSalesAreANoOpCountedInAMetric() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", null, "10.00", AT).build());
    harness.transaction(Records.purchase("t2", null, "10.00", AT).build());
    assertEquals(List.of(), harness.ledger());
    assertEquals(List.of(), harness.profiles());
    assertEquals(List.of(), harness.rejections());
    assertEquals(2.0, harness.meters.registry().get("loyalty.anonymous.sales").counter().count());
  }

  @Test
  void anUnknownOrganizationIsRejected() {
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    Rejection rejection = harness.rejections().get(0).value();
    assertEquals(RejectionReason.UNKNOWN_ORGANIZATION, rejection.getReasonCode());
    assertEquals("organization greenleaf has no valid loyalty program", rejection.getMessage());
    assertEquals("greenleaf", rejection.getOrganizationId());
    assertEquals("e-t1", rejection.getEventId());
  }

  @Test
  void anEventBeforeTheOrganizationsFirstProgramHasItsOwnReason() {
    harness.program(Records.program("1").setEffectiveFrom(AT.plusSeconds(60)).build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    Rejection rejection = harness.rejections().get(0).value();
    assertEquals(RejectionReason.NO_PROGRAM_IN_FORCE, rejection.getReasonCode());
    assertEquals("no program version of organization greenleaf is in force at 2026-03-01T18:00:00Z (its first takes effect "
        + "later)", rejection.getMessage());
  }

  @Test
  void undecodableBytesBecomeARejectionCarryingTheSourceCoordinatesAndRawBytes() {
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    harness.raw("greenleaf:c1", garbage);
    TestRecord<byte[], Rejection> record = harness.rejections().get(0);
    Rejection rejection = record.value();
    assertEquals(RejectionReason.UNDECODABLE, rejection.getReasonCode());
    assertEquals("unknown wire format: first byte 0x6E is neither 0x00 (schema registry framing) nor 0xC3 0x01 (Avro single-object encoding)",
        rejection.getMessage());
    assertEquals(harness.topics.transactions(), rejection.getSourceTopic());
    assertEquals(0, rejection.getSourcePartition());
    assertEquals(0L, rejection.getSourceOffset());
    assertEquals("greenleaf:c1", new String(record.key(), StandardCharsets.UTF_8));
    assertEquals("not avro", StandardCharsets.UTF_8.decode(rejection.getValue()).toString());
    assertNull(rejection.getEventId());
  }

  @Test
  void aKeyThatIsNotUtf8IsRejected() {
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.rejections();
    byte[] key = {(byte) 0xFF, (byte) 0xFE};
    harness.driver().createInputTopic(harness.topics.transactions(),
        new org.apache.kafka.common.serialization.ByteArraySerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer()).pipeInput(key, new byte[] {1});
    Rejection rejection = harness.rejections().get(0).value();
    assertEquals(RejectionReason.INVALID_FIELD, rejection.getReasonCode());
    assertEquals("record key is not UTF-8 text", rejection.getMessage());
    assertEquals(1L, rejection.getSourceOffset());
    assertTrue(rejection.getKey().remaining() == 2);
  }
}
