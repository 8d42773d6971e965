package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.CartItem;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.SmsConsent;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Activity reports (loyalty.activity) through the topology: the engagement on the profile, consent, rejections. */
class CustomerActivityTest {
  private static final Instant MORNING = Instant.parse("2026-03-02T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();
  private int commands;

  @AfterEach
  void close() {
    harness.close();
  }

  private void member() {
    harness.program(Records.program("1").build());
    harness.command(Records.command("cmd-" + ++commands, "c1", MORNING,
        Enroll.newBuilder().setFirstName("Ana").setEmail("ana@example.com").setPhone("+13035550100").build()));
  }

  private static ActivityEvent.Builder report(String id, ActivityType type, Instant at) {
    return ActivityEvent.newBuilder().setEventId(id).setOrganizationId(Records.ORG).setCustomerId("c1").setOccurredAt(at).setType(type);
  }

  private List<String> rejections() {
    return harness.rejections().stream().map(TestRecord::value).map(r -> r.getReasonCode() + " " + r.getMessage()).toList();
  }

  @Test
  void aCartIsOnTheProfileUntilAPurchaseFollowsIt() {
    member();
    harness.activity(report("a1", ActivityType.CART_UPDATED, MORNING.plusSeconds(60)).setCartId("k1")
        .setCartItems(List.of(new CartItem("BD-35", new BigDecimal("2.000"), new BigDecimal("35.00")),
            new CartItem("GUM-10", new BigDecimal("1.500"), new BigDecimal("12.99")))).build());
    harness.activity(report("a2", ActivityType.APP_LOGIN, MORNING.plusSeconds(90)).setSource("ios-app").build());
    CustomerProfile profile = harness.lastProfile();
    assertEquals(new BigDecimal("89.49"), profile.getEngagement().getCart().getValue());
    assertTrue(profile.getEngagement().getCartOpen());
    assertEquals(1, profile.getEngagement().getAppLogins());
    assertEquals(MORNING.plusSeconds(90), profile.getEngagement().getLastAppLoginAt());
    assertEquals("a2", profile.getLastEventId(), "the profile names the report that produced it");
    assertEquals(MORNING.plusSeconds(90), profile.getUpdatedAt());
    assertEquals(List.of(), harness.ledger(), "activity moves no points");

    harness.transaction(Records.purchase("t1", "c1", "20.00", MORNING.plusSeconds(600)).build());
    assertFalse(harness.lastProfile().getEngagement().getCartOpen(), "the purchase after the cart's last update closes it");
    assertEquals(List.of(), rejections());
  }

  @Test
  void anUnsubscribeReportedByTheProviderRevokesTheChannelAtOnce() {
    member();
    harness.command(Records.command("cmd-" + ++commands, "c1", MORNING.plusSeconds(10), new ChangeConsent(Channel.SMS, ConsentAction.GRANT, "web")));
    harness.command(Records.command("cmd-" + ++commands, "c1", MORNING.plusSeconds(20), new ChangeConsent(Channel.SMS, ConsentAction.CONFIRM, "YES")));
    harness.notifications();
    harness.transaction(Records.purchase("t1", "c1", "20.00", MORNING.plusSeconds(60)).build());
    List<NotificationRequest> before = harness.notifications();
    assertEquals(List.of(Channel.SMS), before.stream().map(NotificationRequest::getChannel).toList());

    harness.activity(report("a1", ActivityType.MESSAGE_DELIVERED, MORNING.plusSeconds(70)).setChannel(Channel.SMS)
        .setRequestId(before.get(0).getRequestId()).build());
    harness.activity(report("a2", ActivityType.MESSAGE_UNSUBSCRIBED, MORNING.plusSeconds(80)).setChannel(Channel.SMS)
        .setRequestId(before.get(0).getRequestId()).setSource("twilio").build());
    CustomerProfile profile = harness.lastProfile();
    assertEquals(SmsConsent.NONE, profile.getSmsConsent());
    assertEquals(1, profile.getEngagement().getChannels().get(0).getDelivered());
    assertEquals(MORNING.plusSeconds(80), profile.getEngagement().getChannels().get(0).getUnsubscribedAt());
    harness.transaction(Records.purchase("t2", "c1", "20.00", MORNING.plusSeconds(120)).build());
    assertEquals(List.of(), harness.notifications(), "no SMS after the provider's STOP");
  }

  @Test
  void everyReportThatCannotApplyIsRejectedWithItsReason() {
    member();
    harness.activity(report("a1", ActivityType.APP_LOGIN, MORNING.plusSeconds(60)).build());
    harness.profiles();
    harness.activity(report("a1", ActivityType.APP_LOGIN, MORNING.plusSeconds(60)).build());
    harness.activity(report("a2", ActivityType.APP_LOGIN, MORNING.plusSeconds(60)).setCustomerId("c9").build());
    harness.activity(report("a3", ActivityType.MESSAGE_OPENED, MORNING.plusSeconds(60)).setChannel(Channel.EMAIL).build());
    harness.activity(report("a4", ActivityType.UNKNOWN, MORNING.plusSeconds(60)).build());
    harness.activity(report("a5", ActivityType.APP_LOGIN, MORNING.plusSeconds(60)).setOrganizationId("nowhere").build());
    harness.activity("greenleaf:c1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, MORNING.plusSeconds(60));
    List<String> rejected = rejections();
    assertEquals(List.of(
        "DUPLICATE activity a1 was already applied; nothing changed",
        "UNKNOWN_CUSTOMER customer c9 has no account in greenleaf: activity is kept for members only",
        "MISSING_FIELD MESSAGE_OPENED without the requestId of the message it reports on",
        "UNSUPPORTED_EVENT activity type unknown to this version of the engine (written with a later contract)"),
        rejected.subList(0, 4));
    assertEquals(List.of("UNKNOWN_ORGANIZATION", "UNDECODABLE"), rejected.subList(4, 6).stream().map(line -> line.split(" ")[0]).toList());
    assertEquals(List.of(), harness.profiles(), "nothing of them reached the profile");
  }

  @Test
  void aReplayOfTheArrivalsRebuildsTheSameProfiles() {
    member();
    harness.activity(report("a1", ActivityType.CHECKOUT_STARTED, MORNING.plusSeconds(30)).setCartId("k1").build());
    harness.activity(report("a2", ActivityType.CART_UPDATED, MORNING.plusSeconds(20)).setCartId("k1")
        .setCartItems(List.of(new CartItem("BD-35", new BigDecimal("1.000"), new BigDecimal("35.00")))).build());
    harness.activity(report("a3", ActivityType.MESSAGE_CLICKED, MORNING.plusSeconds(40)).setChannel(Channel.EMAIL).setRequestId("r1").build());
    List<CustomerProfile> live = harness.profiles();
    assertEquals(MORNING.plusSeconds(30), live.get(live.size() - 1).getEngagement().getCart().getCheckoutStartedAt(),
        "the checkout reported before its cart's items stays with the cart");
    try (TopologyHarness replay = new TopologyHarness()) {
      harness.arrivals().forEach(replay::replay);
      assertEquals(live.stream().map(CustomerProfile::toString).toList(), replay.profiles().stream().map(CustomerProfile::toString).toList());
    }
  }
}
