package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each consent change is kept with what it rests on: the action, the consent after it, when, the request, who, where, the evidence. */
class ConsentEvidenceTest {
  private static final Instant AT = Instant.parse("2026-03-02T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private List<String> changes() {
    KeyValueStore<String, byte[]> accounts = harness.driver().getKeyValueStore(LoyaltyTopology.ACCOUNTS_STORE);
    AccountState state = CustomerRecords.account(accounts.get(Records.ORG + ":c1"));
    return state.getConsentChanges().stream().map(change -> String.join(" ", change.getChannel(), change.getAction(),
        change.getConsentAfter().name(), change.getAt().toString(), change.getRequestId(), String.valueOf(change.getActor()),
        String.valueOf(change.getLocationId()), String.valueOf(change.getEvidence()))).toList();
  }

  @Test
  void grantsConfirmationsStopsUnsubscribesAndNewAddressesAreKeptWithTheirEvidence() {
    harness.program(Records.program("1").build());
    harness.command(Records.command("k1", "c1", AT, Enroll.newBuilder().setEmail("ana@example.com").setPhone("+16175550100").build()));
    harness.command(Records.command("k2", "c1", AT.plusSeconds(1), new ChangeConsent(Channel.SMS, ConsentAction.GRANT,
        "signup form v3: 'Text me offers' box ticked")));
    harness.command(Records.command("k3", "c1", AT.plusSeconds(2), new ChangeConsent(Channel.SMS, ConsentAction.CONFIRM, "YES")));
    harness.command(Records.command("k4", "c1", AT.plusSeconds(3), new ChangeConsent(Channel.EMAIL, ConsentAction.GRANT, null)));
    harness.activity(ActivityEvent.newBuilder().setEventId("a1").setOrganizationId(Records.ORG).setCustomerId("c1")
        .setType(ActivityType.MESSAGE_UNSUBSCRIBED).setChannel(Channel.EMAIL).setRequestId("greenleaf:c1/e1/points_earn/EMAIL").setSource("mailer").setOccurredAt(AT.plusSeconds(4)).build());
    harness.command(Records.command("k5", "c1", AT.plusSeconds(5), UpdateProfile.newBuilder().setPhone("+16175550199").build()));
    assertEquals(List.of(
        "SMS GRANT AWAITING_CONFIRMATION 2026-03-02T18:00:01Z k2 budtender-7 downtown signup form v3: 'Text me offers' box ticked",
        "SMS CONFIRM CONFIRMED 2026-03-02T18:00:02Z k3 budtender-7 downtown YES",
        "EMAIL GRANT CONFIRMED 2026-03-02T18:00:03Z k4 budtender-7 downtown null",
        "EMAIL REVOKE NONE 2026-03-02T18:00:04Z a1 mailer null unsubscribed, reported by mailer",
        "SMS ADDRESS_CHANGED NONE 2026-03-02T18:00:05Z k5 budtender-7 downtown null"), changes());
    assertEquals(List.of("EMAIL REVOKE a1 unsubscribed, reported by mailer", "SMS ADDRESS_CHANGED k5 null"),
        harness.lastProfile().getConsentBasis().stream().map(basis -> basis.getChannel() + " " + basis.getAction() + " "
            + basis.getRequestId() + " " + basis.getEvidence()).toList(), "the profile says what each channel's consent rests on");
  }
}
