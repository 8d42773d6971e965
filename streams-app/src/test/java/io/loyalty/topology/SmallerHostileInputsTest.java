package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.ProductMultiplier;
import io.loyalty.avro.ProductScope;
import io.loyalty.avro.Promotion;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each reason code says what is wrong, and nothing that looks plausible is applied as something it is not. */
class SmallerHostileInputsTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @BeforeEach
  void program() {
    harness.program(Records.program("1").setRewards(List.of(RewardDefinition.newBuilder().setRewardId("ten-off")
        .setName("$10 off").setCost(d("100.0000")).setValue(d("10.00")).build())).build());
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private List<String> rejections() {
    return harness.rejections().stream().map(TestRecord::value)
        .map(rejection -> rejection.getReasonCode() + " " + rejection.getMessage()).toList();
  }

  private String result() {
    CommandResult result = harness.results().get(0);
    return result.getStatus() + (result.getReasonCode() == null ? "" : " " + result.getReasonCode()) + " " + result.getMessage();
  }

  @Test
  void aPurchaseInAnotherCurrencyThanTheProgramsIsRejected() {
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).setCurrency("BTC").build());
    assertEquals(List.of("CURRENCY_MISMATCH amounts are in BTC but the program of organization greenleaf counts USD"), rejections());
    assertEquals(List.of(), harness.ledger());
  }

  @Test
  void aPurchaseWhosePointsWouldExceedTheContractsDigitsIsRefusedWhole() {
    // Every factor at its limit: 1,000 points per dollar, tier bonus, product multiplier and promotion at 100x.
    harness.program(Records.program("1").setVersion(2).setEffectiveFrom(AT.minusSeconds(3600))
        .setTiers(List.of(TierDefinition.newBuilder().setTierId("all").setName("All").setThreshold(d("0.00"))
            .setAccrualRate(d("1000.0000")).setBonusMultiplier(d("100.0000")).build()))
        .setProductMultipliers(List.of(new ProductMultiplier(ProductScope.CATEGORY, "flower", d("100.0000"))))
        .setPromotions(List.of(new Promotion("launch", LocalDateTime.parse("2026-03-01T00:00"),
            LocalDateTime.parse("2026-03-02T00:00"), d("100.0000"))))
        .build());
    harness.transaction(Records.purchase("t1", "c1", "100000.00", AT).build());
    List<Rejection> rejections = harness.rejections().stream().map(TestRecord::value).toList();
    assertEquals(1, rejections.size());
    assertEquals("AMOUNT_OUT_OF_RANGE e-t1 an amount of points would exceed the contract's 18 digits (14 before the decimal "
        + "point); nothing was applied", rejections.get(0).getReasonCode() + " " + rejections.get(0).getEventId() + " "
        + rejections.get(0).getMessage());
    assertEquals(List.of(), harness.ledger());
    assertEquals(List.of(), harness.profiles());

    harness.transaction(Records.purchase("t2", "c1", "0.01", AT.plusSeconds(1)).build());
    assertEquals(d("10000000.0000"), harness.ledger().get(0).getDelta(), "the next purchase earns from a clean account: 0.01 x 10^9");
  }

  @Test
  void contactDetailsAreCheckedForFormAndNeverEchoed() {
    harness.command(Records.command("k1", "c1", AT, Enroll.newBuilder().setEmail("+13035550100")
        .setPhone("fuzz.victim@example.com").build()));
    harness.command(Records.command("k2", "c1", AT.plusSeconds(1), UpdateProfile.newBuilder()
        .setPhone("303-555-0100").build()));
    assertEquals(List.of("INVALID_FIELD email is not an email address (name@domain)",
        "INVALID_FIELD phone is not in E.164 form (+, country code and number, 8 to 15 digits)"), rejections());
    assertEquals(List.of(), harness.profiles());
    assertEquals(List.of("k1 REFUSED INVALID_FIELD email is not an email address (name@domain)",
        "k2 REFUSED INVALID_FIELD phone is not in E.164 form (+, country code and number, 8 to 15 digits)"),
        harness.results().stream().map(r -> r.getCommandId() + " " + r.getStatus() + " " + r.getReasonCode() + " "
            + r.getMessage()).toList(), "a command refused at intake still answers its caller, with its correlation id");

    harness.command(Records.command("k3", "c1", AT.plusSeconds(2), Enroll.newBuilder().setEmail("ada@example.com")
        .setPhone("+13035550100").build()));
    assertEquals("APPLIED null", result());
  }

  @Test
  void aRefusedCommandsIdIsConsumedSoARetryWithAnotherPayloadChangesNothing() {
    harness.transaction(Records.purchase("t1", "c1", "30.00", AT).build());
    harness.command(Records.command("k1", "c1", AT.plusSeconds(1), Records.hold("h1", "50", AT.plusSeconds(3600))));
    assertEquals("REFUSED INSUFFICIENT_POINTS holding 50.0000 points but 30.0000 are spendable", result());
    harness.command(Records.command("k1", "c1", AT.plusSeconds(2), Records.hold("h1", "5", AT.plusSeconds(3600))));
    assertEquals("DUPLICATE command id k1 was already decided (applied or refused); nothing changed: a new attempt takes a "
        + "new command id", result());
    harness.command(Records.command("k2", "c1", AT.plusSeconds(3), Records.hold("h1", "5", AT.plusSeconds(3600))));
    assertEquals("APPLIED null", result());
  }

  @Test
  void aHoldNamingBothPointsAndARewardIsRefusedAsAmbiguous() {
    HoldPoints both = HoldPoints.newBuilder().setHoldId("h1").setPoints(d("5.0000")).setRewardId("ten-off")
        .setExpiresAt(AT.plusSeconds(3600)).build();
    harness.command(Records.command("k1", "c1", AT, both));
    assertEquals(List.of("INVALID_FIELD a hold names points or a rewardId, not both: which one to reserve is ambiguous"),
        rejections());
  }

  @Test
  void aVoidOfAVoidSaysThatItsOriginalIsAVoid() {
    harness.transaction(Records.purchase("t1", "c1", "30.00", AT).build());
    harness.transaction(Records.voidOf("t2", "t1", "c1", AT.plusSeconds(60)).build());
    harness.transaction(Records.voidOf("t3", "t2", "c1", AT.plusSeconds(120)).build());
    assertEquals(List.of("INVALID_FIELD originalTransactionId t2 is a return or void: only a purchase can be returned or "
        + "voided"), rejections());
  }

  @Test
  void anOrganizationIdWithASeparatorIsTheSameInvalidFieldOnACommandAsOnAPurchase() {
    LoyaltyCommand command = Records.command("k1", "c1", AT, Records.enroll());
    command.setOrganizationId("abs:colon");
    harness.command(command);
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).setOrganizationId("abs:colon").build());
    String invalid = "INVALID_FIELD organizationId must be non-empty, without ':', '/' or spaces";
    assertEquals(List.of(invalid, invalid), rejections());
  }

  @Test
  void anEmptyValueStaysEmptyInItsRejectionAndATombstoneIsNamedAsOne() {
    harness.raw("greenleaf:c1", new byte[0]);
    harness.raw("greenleaf:c1", null);
    List<Rejection> rejections = harness.rejections().stream().map(TestRecord::value).toList();
    assertEquals("MISSING_FIELD record value is empty (0 bytes) where a TransactionEvent was expected",
        rejections.get(0).getReasonCode() + " " + rejections.get(0).getMessage());
    assertEquals(ByteBuffer.wrap(new byte[0]), rejections.get(0).getValue(), "empty bytes, not null: never read as a tombstone");
    assertEquals("MISSING_FIELD record has no value (a tombstone) where a TransactionEvent was expected: inputs are never deleted",
        rejections.get(1).getReasonCode() + " " + rejections.get(1).getMessage());
  }
}
