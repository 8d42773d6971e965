package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.MergeAccounts;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.SignUpField;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.avro.state.MergeStep;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who the customer is: the fields a program requires at sign-up, merged duplicate profiles. */
class IdentityTest {
  private static final Instant AT = Instant.parse("2026-03-02T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void anEnrollmentWithoutARequiredFieldIsRefusedNamingItAndChangesNothing() {
    harness.program(Records.program("1").setSignupBonus(d("25.0000"))
        .setRequiredSignUpFields(List.of(SignUpField.PHONE, SignUpField.BIRTH_DATE)).build());
    harness.command(Records.command("k1", "c1", AT, Enroll.newBuilder().setFirstName("Ana").setBirthDate(LocalDate.of(1990, 5, 1)).build()));
    harness.command(Records.command("k2", "c1", AT.plusSeconds(1), Enroll.newBuilder().setPhone("+16175550100").build()));
    harness.command(Records.command("k3", "c1", AT.plusSeconds(2), OptIn.newBuilder().build()));
    List<CommandResult> refused = harness.results();
    assertEquals(List.of("REFUSED MISSING_SIGN_UP_FIELD the program requires the customer's phone at sign-up; neither the request "
            + "nor the profile has one",
        "REFUSED MISSING_SIGN_UP_FIELD the program requires the customer's birth date at sign-up; neither the request nor the "
            + "profile has one",
        "REFUSED MISSING_SIGN_UP_FIELD the program requires the customer's phone at sign-up; neither the request nor the profile "
            + "has one"),
        refused.stream().map(result -> result.getStatus() + " " + result.getReasonCode() + " " + result.getMessage()).toList());
    assertEquals(List.of(), harness.ledger(), "no sign-up bonus");

    // The profile already holds the phone: an enrollment that brings the birth date completes the sign-up.
    harness.command(Records.command("k4", "c1", AT.plusSeconds(3), UpdateProfile.newBuilder().setPhone("+16175550100").build()));
    harness.command(Records.command("k5", "c1", AT.plusSeconds(4), Enroll.newBuilder().setBirthDate(LocalDate.of(1990, 5, 1)).build()));
    assertEquals(List.of(CommandStatus.APPLIED, CommandStatus.APPLIED),
        harness.results().stream().map(CommandResult::getStatus).toList());
    assertEquals(EnrollmentState.ENROLLED, harness.accounts().get("greenleaf:c1").getEnrollment());
    assertEquals(List.of(LedgerEntryType.SIGNUP_BONUS), harness.ledger().stream().map(entry -> entry.getType()).toList());
  }

  @Test
  void aDuplicateProfileIsMergedWithItsLotsHistoryAndConsentAndThenRefusesItsInputs() {
    harness.program(Records.program("1").build());
    harness.command(Records.command("k1", "c1", AT, Enroll.newBuilder().setFirstName("Ana").build()));
    harness.command(Records.command("k2", "c2", AT, Enroll.newBuilder().setFirstName("Ana B").setPhone("+16175550100")
        .setEmail("ana@example.com").build()));
    harness.transaction(Records.purchase("t2", "c2", "30.00", AT.plusSeconds(60)).build());
    harness.transaction(Records.purchase("t1", "c1", "100.00", AT.plusSeconds(120)).build());
    harness.results();
    harness.ledger();

    harness.command(Records.command("m1", "c1", AT.plusSeconds(180), MergeAccounts.newBuilder().setSourceCustomerId("c2").build()));
    List<LedgerEntry> entries = harness.ledger();
    assertEquals(List.of("greenleaf:c2 MERGE_OUT -30.0000 0.0000 greenleaf/m1:out/0 -> greenleaf/m1:in/0",
            "greenleaf:c1 MERGE_IN 30.0000 130.0000 greenleaf/m1:in/0 -> greenleaf/m1:out/0"),
        entries.stream().map(entry -> entry.getAccountKey() + " " + entry.getType() + " " + entry.getDelta() + " "
            + entry.getBalanceAfter() + " " + entry.getEntryId() + " -> " + entry.getLinkedEntryId()).toList());
    assertEquals("merged from customer c2", entries.get(1).getReason());
    CommandResult merged = harness.results().get(0);
    assertEquals("m1 APPLIED greenleaf:c1 130.0000", merged.getCommandId() + " " + merged.getStatus() + " " + merged.getAccountKey()
        + " " + merged.getBalanceAfter());

    // The survivor holds the duplicate's lot with its age: spending takes it first, oldest first.
    assertEquals(List.of("greenleaf/e-t2/0 2026-03-02T18:01:00Z 30.0000", "greenleaf/e-t1/0 2026-03-02T18:02:00Z 100.0000"),
        harness.lots().get("greenleaf:c1").stream().map(lot -> lot.getLotId() + " " + lot.getEarnedAt() + " " + lot.getRemaining()).toList());
    AccountState survivor = harness.accounts().get("greenleaf:c1");
    assertEquals("130.00 2 Ana +16175550100 ana@example.com", survivor.getLifetimeSpend() + " " + survivor.getVisits() + " "
        + survivor.getFirstName() + " " + survivor.getPhone() + " " + survivor.getEmail());
    // What the engine learned of the duplicate's purchases follows the customer (the preferences of its record).
    CustomerPreferences tastes = harness.customers().get("greenleaf:c1").getPreferences();
    assertEquals("2 130.00 2026-03-02T18:01:00Z", tastes.getVisits() + " " + tastes.getSpend() + " " + tastes.getFirstPurchaseAt());
    assertEquals("flower", tastes.getCategories().get(0).getKey());
    AccountState closed = harness.accounts().get("greenleaf:c2");
    assertEquals("c1 0.0000 null", closed.getMergedInto() + " " + closed.getBalance() + " " + closed.getPhone());

    // The duplicate's inputs are refused naming the survivor; a retry of the merge is a duplicate; c2 cannot be merged again.
    harness.transaction(Records.purchase("t3", "c2", "10.00", AT.plusSeconds(240)).build());
    Rejection refused = harness.rejections().get(0).value();
    assertEquals("ACCOUNT_MERGED customer c2 was merged into customer c1 at 2026-03-02T18:03:00Z; send its inputs to c1",
        refused.getReasonCode() + " " + refused.getMessage());
    harness.command(Records.command("m1", "c1", AT.plusSeconds(300), MergeAccounts.newBuilder().setSourceCustomerId("c2").build()));
    harness.command(Records.command("m2", "c3", AT.plusSeconds(300), Enroll.newBuilder().build()));
    harness.command(Records.command("m3", "c3", AT.plusSeconds(310), MergeAccounts.newBuilder().setSourceCustomerId("c2").build()));
    harness.command(Records.command("m4", "c3", AT.plusSeconds(320), MergeAccounts.newBuilder().setSourceCustomerId("nobody").build()));
    harness.command(Records.command("m5", "c3", AT.plusSeconds(330), MergeAccounts.newBuilder().setSourceCustomerId("c3").build()));
    assertEquals(List.of("m1 DUPLICATE null", "m2 APPLIED null", "m3 REFUSED ACCOUNT_MERGED", "m4 REFUSED UNKNOWN_CUSTOMER",
            "m5 REFUSED INVALID_FIELD"),
        harness.results().stream().map(result -> result.getCommandId() + " " + result.getStatus() + " " + result.getReasonCode()).toList());
    assertEquals(d("130.0000"), harness.accounts().get("greenleaf:c1").getBalance(), "the retry moved nothing");
  }

  @Test
  void aMergeGivesTheSameAccountsWhateverTheArrivalOrderOfItsInputsAfterIt() {
    harness.program(Records.program("1").build());
    harness.command(Records.command("k1", "c1", AT, Enroll.newBuilder().build()));
    harness.transaction(Records.purchase("t2", "c2", "30.00", AT.plusSeconds(60)).build());
    harness.command(Records.command("m1", "c1", AT.plusSeconds(180), MergeAccounts.newBuilder().setSourceCustomerId("c2").build()));
    harness.transaction(Records.purchase("t1", "c1", "5.00", AT.plusSeconds(240)).build());
    List<String> first = harness.ledger().stream().map(entry -> entry.getEntryId() + " " + entry.getDelta() + " " + entry.getBalanceAfter()).toList();
    assertEquals(List.of("greenleaf/e-t2/0 30.0000 30.0000", "greenleaf/m1:out/0 -30.0000 0.0000", "greenleaf/m1:in/0 30.0000 30.0000",
        "greenleaf/e-t1/0 5.0000 35.0000"), first);
  }

  @Test
  void aTransferToASurvivorMergedMeanwhileGoesOnToItsSurvivor() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", "c1", "100.00", AT).build());
    harness.transaction(Records.purchase("t2", "c2", "30.00", AT.plusSeconds(60)).build());
    harness.transaction(Records.purchase("t3", "c3", "5.00", AT.plusSeconds(90)).build());
    AccountState duplicate = harness.accounts().get("greenleaf:c2");
    harness.command(Records.command("m1", "c3", AT.plusSeconds(120), MergeAccounts.newBuilder().setSourceCustomerId("c1").build()));
    harness.ledger();
    harness.results();

    // The second step of a merge of c2 into c1, taken before c1 was merged into c3 and arriving only now.
    MergeTransfer late = MergeTransfer.newBuilder().setMergeId("m0").setOrganizationId(Records.ORG).setSurvivorCustomerId("c1")
        .setSourceCustomerId("c2").setStep(MergeStep.GIVE).setIssuedAt(AT.plusSeconds(100)).setSource(duplicate)
        .setOutEntryId("greenleaf/m0:out/0").build();
    TestInputTopic<String, byte[]> merges = harness.driver().createInputTopic(harness.topics.merges(), new StringSerializer(),
        new ByteArraySerializer());
    merges.pipeInput(Records.ORG + ":c1", LoyaltyTopology.STATE_SERDES.codec(MergeTransfer.class).encode(harness.topics.merges(), late),
        AT.plusSeconds(180));
    assertEquals(List.of("greenleaf:c3 MERGE_IN 30.0000 135.0000"), harness.ledger().stream()
        .map(entry -> entry.getAccountKey() + " " + entry.getType() + " " + entry.getDelta() + " " + entry.getBalanceAfter()).toList());
    assertEquals(List.of("m0 APPLIED greenleaf:c3"), harness.results().stream()
        .map(result -> result.getCommandId() + " " + result.getStatus() + " " + result.getAccountKey()).toList());
  }
}
