package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.EnrollmentMode;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.ReleaseHold;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HoldsTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private static final Instant LATER = AT.plus(Duration.ofMinutes(30));
  private final TopologyHarness harness = new TopologyHarness();

  @BeforeEach
  void accountWithFiftyPoints() {
    harness.program(Records.program("1").setMinimumRedemption(d("5.0000")).setRewards(List.of(
        new RewardDefinition("ten-off", "$10 off", d("40.0000"), d("10.00"), true),
        new RewardDefinition("old-tee", "T-shirt", d("10.0000"), d("15.00"), false))).build());
    harness.transaction(Records.purchase("t0", "c1", "50.00", AT).build());
    harness.ledger();
    harness.profiles();
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private CommandResult send(String commandId, Object body, Instant at) {
    harness.command(Records.command(commandId, "c1", at, body));
    List<CommandResult> results = harness.results();
    assertEquals(1, results.size());
    return results.get(0);
  }

  private static CustomerProfile last(List<CustomerProfile> profiles) {
    return profiles.get(profiles.size() - 1);
  }

  @Test
  void anApprovedHoldReservesSpendablePointsUntilAPurchaseCommitsIt() {
    CommandResult result = send("k1", Records.hold("h1", "30", LATER), AT.plusSeconds(1));
    assertEquals(CommandStatus.APPLIED, result.getStatus());
    assertEquals("h1", result.getHoldId());
    assertEquals("corr-k1", result.getCorrelationId());
    assertEquals(d("50.0000"), result.getBalanceAfter());
    assertEquals(d("20.0000"), result.getSpendableAfter());
    assertEquals(d("30.0000"), last(harness.profiles()).getHeld());

    harness.transaction(Records.purchase("t1", "c1", "40.00", AT.plusSeconds(2))
        .setRedemptions(List.of(Records.redemption("30", "30.00", "h1"))).build());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(LedgerEntryType.REDEEM, ledger.get(0).getType());
    assertEquals(d("-30.0000"), ledger.get(0).getDelta());
    assertEquals("commits hold h1", ledger.get(0).getReason());
    assertEquals(d("20.0000"), ledger.get(0).getSpendableAfter(), "the hold's points are spent, not held twice");
    CustomerProfile profile = last(harness.profiles());
    assertEquals(d("0.0000"), profile.getHeld());
    assertEquals(d("30.0000"), profile.getBalance(), "50 - 30 + 10 earned on 40 - 30");
  }

  @Test
  void holdsAreRefusedWithTheirReason() {
    assertEquals("INSUFFICIENT_POINTS holding 60.0000 points but 50.0000 are spendable",
        refusal(send("k1", Records.hold("h1", "60", LATER), AT.plusSeconds(1))));
    assertEquals("BELOW_MINIMUM holding 4.0000 points, the minimum is 5.0000",
        refusal(send("k2", Records.hold("h2", "4", LATER), AT.plusSeconds(1))));
    assertEquals("UNKNOWN_REWARD reward gift-card is not in the catalog",
        refusal(send("k3", HoldPoints.newBuilder().setHoldId("h3").setRewardId("gift-card").setExpiresAt(LATER).build(), AT.plusSeconds(1))));
    assertEquals("REWARD_INACTIVE reward old-tee is not active",
        refusal(send("k4", HoldPoints.newBuilder().setHoldId("h4").setRewardId("old-tee").setExpiresAt(LATER).build(), AT.plusSeconds(1))));
    assertEquals("INVALID_REQUEST hold expires at 2026-03-01T18:00:00Z, not after 2026-03-01T18:00:01Z",
        refusal(send("k5", Records.hold("h5", "10", AT), AT.plusSeconds(1))));
    CommandResult reward = send("k6", HoldPoints.newBuilder().setHoldId("h6").setRewardId("ten-off").setExpiresAt(LATER).build(), AT.plusSeconds(1));
    assertEquals(CommandStatus.APPLIED, reward.getStatus());
    assertEquals(d("10.0000"), reward.getSpendableAfter(), "the reward costs 40");
    assertEquals("DUPLICATE_HOLD hold h6 is already open",
        refusal(send("k7", HoldPoints.newBuilder().setHoldId("h6").setRewardId("ten-off").setExpiresAt(LATER).build(), AT.plusSeconds(1))));
    assertEquals(List.of(), harness.ledger(), "refusals change nothing");
  }

  @Test
  void aHoldIsRefusedToNonMembersAndACommandForAnUnknownCustomerIsAlsoRejected() {
    harness.program(Records.program("1").setVersion(2).setEffectiveFrom(AT.plusSeconds(1)).setEnrollment(EnrollmentMode.OPT_IN).build());
    assertEquals("NOT_ENROLLED customer is NOT_ENROLLED", refusal(send("k1", Records.hold("h1", "10", LATER), AT.plusSeconds(2))));

    harness.command(Records.command("k2", "nobody", AT.plusSeconds(2), Records.hold("h1", "10", LATER)));
    CommandResult result = harness.results().get(0);
    assertEquals("UNKNOWN_CUSTOMER customer nobody has no account in greenleaf", refusal(result));
    assertEquals(null, result.getBalanceAfter());
    assertEquals(RejectionReason.UNKNOWN_CUSTOMER, harness.rejections().get(0).value().getReasonCode());
  }

  @Test
  void releasingAHoldGivesItsPointsBackAndARetriedCommandIsADuplicate() {
    send("k1", Records.hold("h1", "30", LATER), AT.plusSeconds(1));
    assertEquals(d("50.0000"), send("k2", new ReleaseHold("h1"), AT.plusSeconds(2)).getSpendableAfter());
    assertEquals(CommandStatus.DUPLICATE, send("k2", new ReleaseHold("h1"), AT.plusSeconds(3)).getStatus());
    assertEquals("UNKNOWN_HOLD no open hold h1", refusal(send("k3", new ReleaseHold("h1"), AT.plusSeconds(3))));
  }

  @Test
  void anUncommittedHoldExpiresByTheClockOrByTheAccountsNextEvent() {
    send("k1", Records.hold("h1", "30", LATER), AT.plusSeconds(1));
    harness.profiles();
    harness.tick(LATER.minusMillis(1));
    assertEquals(List.of(), harness.profiles());
    harness.tick(LATER);
    assertEquals(d("0.0000"), last(harness.profiles()).getHeld());

    send("k2", Records.hold("h2", "30", LATER.plusSeconds(60)), LATER.plusSeconds(1));
    harness.transaction(Records.purchase("t1", "c1", "50.00", LATER.plusSeconds(61))
        .setRedemptions(List.of(Records.redemption("45", "45.00", null))).build());
    assertEquals(d("-45.0000"), harness.ledger().get(0).getDelta(),
        "the expired hold no longer reserves points when the account's next event comes after its expiry");
  }

  private static String refusal(CommandResult result) {
    assertEquals(CommandStatus.REFUSED, result.getStatus());
    return result.getReasonCode() + " " + result.getMessage();
  }
}
