package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.SignUpField;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
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
}
