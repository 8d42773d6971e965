package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Home state, postal code, medical card and tags: set by enrollment and profile commands, shown on the profile. */
class ProfileAttributesTest {
  private static final Instant MORNING = Instant.parse("2026-03-02T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();
  private int commands;

  @AfterEach
  void close() {
    harness.close();
  }

  private String command(Instant at, Object body) {
    harness.command(Records.command("cmd-" + ++commands, "c1", at, body));
    List<CommandResult> results = harness.results();
    CommandResult result = results.get(results.size() - 1);
    return result.getStatus() + (result.getReasonCode() == null ? "" : " " + result.getReasonCode() + " " + result.getMessage());
  }

  @Test
  void attributesAreSetShownAndTheMedicalCardCountsUntilItExpires() {
    harness.program(Records.program("1").setTimeZone("America/New_York").build());
    assertEquals("APPLIED", command(MORNING, Enroll.newBuilder().setFirstName("Ana").setHomeState("MA").setPostalCode("02139")
        .setMedicalCardExpiresOn(LocalDate.of(2026, 3, 10)).setTags(List.of("vip", "flower-fan")).build()));
    CustomerProfile profile = harness.lastProfile();
    assertEquals("MA", profile.getHomeState());
    assertEquals("02139", profile.getPostalCode());
    assertTrue(profile.getMedicalPatient());
    assertEquals(List.of("flower-fan", "vip"), profile.getTags(), "sorted");

    harness.transaction(Records.purchase("t1", "c1", "10.00", Instant.parse("2026-03-11T03:59:00Z")).build());
    assertTrue(harness.lastProfile().getMedicalPatient(), "23:59 EDT on March 10 in Boston: the card's last day");
    harness.transaction(Records.purchase("t2", "c1", "10.00", Instant.parse("2026-03-11T04:00:00Z")).build());
    assertFalse(harness.lastProfile().getMedicalPatient(), "midnight in Boston: expired");

    assertEquals("APPLIED", command(MORNING.plusSeconds(86_400 * 10), UpdateProfile.newBuilder().setPostalCode("01002")
        .setAddTags(List.of("edibles")).setRemoveTags(List.of("vip")).build()));
    profile = harness.lastProfile();
    assertEquals(List.of("edibles", "flower-fan"), profile.getTags());
    assertEquals("01002", profile.getPostalCode());
    assertEquals("MA", profile.getHomeState(), "a field the command leaves null is kept");
  }

  @Test
  void badAttributesAreRefusedWithTheirReasonAndNothingChanges() {
    harness.program(Records.program("1").build());
    assertEquals("APPLIED", command(MORNING, Enroll.newBuilder().setHomeState("CO").build()));
    harness.profiles();
    assertEquals("REFUSED INVALID_FIELD homeState is not a two-letter state or province code (MA, ON)",
        command(MORNING.plusSeconds(60), UpdateProfile.newBuilder().setHomeState("Massachusetts").build()));
    assertEquals("REFUSED INVALID_FIELD tag 'VIP' is not 1 to 40 lowercase letters, digits, - or _, starting with a letter or digit",
        command(MORNING.plusSeconds(60), UpdateProfile.newBuilder().setAddTags(List.of("VIP")).build()));
    List<String> twelve = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      twelve.add("t" + i);
    }
    assertEquals("APPLIED", command(MORNING.plusSeconds(120), UpdateProfile.newBuilder().setAddTags(twelve).build()));
    List<String> tenMore = twelve.stream().map(tag -> tag + "x").limit(10).toList();
    assertEquals("REFUSED INVALID_FIELD an account holds at most 20 tags; this would make 22",
        command(MORNING.plusSeconds(180), UpdateProfile.newBuilder().setAddTags(tenMore).setHomeState("NY").build()));
    CustomerProfile profile = harness.lastProfile();
    assertEquals(12, profile.getTags().size());
    assertEquals("CO", profile.getHomeState(), "a refused command changes nothing, its other fields included");
    assertEquals(List.of("INVALID_FIELD", "INVALID_FIELD"),
        harness.rejections().stream().map(TestRecord::value).map(r -> r.getReasonCode().name()).toList());
  }
}
