package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OptOut;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.SmsConsent;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotificationsTest {
  /** 11:00 in Denver (MST, UTC-7, before the March 8 switch to daylight time). */
  private static final Instant MORNING = Instant.parse("2026-03-02T18:00:00Z");
  private static final String EMAIL = "ana@example.com";
  private static final String PHONE = "+13035550100";
  private final TopologyHarness harness = new TopologyHarness();
  private int commands;
  private int purchases;

  @AfterEach
  void close() {
    harness.close();
  }

  private static ProgramConfig.Builder program() {
    return Records.program("1").setTimeZone("America/Denver");
  }

  private void enroll(Instant at) {
    command(at, Enroll.newBuilder().setFirstName("Ana").setEmail(EMAIL).setPhone(PHONE).build());
  }

  private CommandResult consent(Channel channel, ConsentAction action, Instant at) {
    return command(at, new ChangeConsent(channel, action, action.name()));
  }

  private CommandResult command(Instant at, Object body) {
    harness.command(Records.command("cmd-" + ++commands, "c1", at, body));
    List<CommandResult> results = harness.results();
    return results.get(results.size() - 1);
  }

  private void purchase(String subtotal, Instant at) {
    harness.transaction(Records.purchase("t" + ++purchases, "c1", subtotal, at).build());
  }

  private List<String> sent() {
    return harness.notifications().stream().map(NotificationsTest::describe).toList();
  }

  private static String describe(NotificationRequest request) {
    return request.getChannel() + " " + request.getRecipient() + " " + request.getTemplate() + " " + new TreeMap<>(request.getVariables())
        + (request.getSendAfter().equals(request.getOccurredAt()) ? "" : " after " + request.getSendAfter());
  }

  @Test
  void onlyChannelsTheCustomerConsentedToAreUsedAndStopRevokesAtOnce() {
    harness.program(program().setInactivityExpiryDays(90).setDailyNotificationCap(0).build());
    enroll(MORNING);
    purchase("20.00", MORNING.plusSeconds(60));
    assertEquals(List.of(), sent(), "membership is not consent");

    assertEquals("APPLIED", consent(Channel.EMAIL, ConsentAction.GRANT, MORNING.plusSeconds(120)).getStatus().name());
    purchase("10.00", MORNING.plusSeconds(180));
    assertEquals(List.of("EMAIL " + EMAIL + " points_earn {balance=30, expiryDate=2026-05-31, firstName=Ana, "
        + "pointsDelta=10, tier=, transactionId=t2}"), sent(), "90 days after the purchase at 11:03 in Denver");

    consent(Channel.SMS, ConsentAction.GRANT, MORNING.plusSeconds(240));
    assertEquals(List.of("SMS " + PHONE + " sms_opt_in_confirmation {optOutText=Reply STOP to opt out.}"), sent(), "a grant asks for the YES reply");
    assertEquals(SmsConsent.AWAITING_CONFIRMATION, lastProfileSmsConsent());
    purchase("5.00", MORNING.plusSeconds(300));
    assertEquals(1, sent().size(), "SMS waits for the confirmation");

    consent(Channel.SMS, ConsentAction.CONFIRM, MORNING.plusSeconds(360));
    assertEquals(List.of(), sent());
    purchase("5.50", MORNING.plusSeconds(420));
    List<NotificationRequest> both = harness.notifications();
    assertEquals(List.of(Channel.EMAIL, Channel.SMS), both.stream().map(NotificationRequest::getChannel).toList());
    assertEquals("greenleaf:c1/e-t4/points_earn/SMS", both.get(1).getRequestId());
    assertEquals(List.of("e-t4"), both.get(1).getSourceEventIds());
    assertEquals(Map.of("firstName", "Ana", "balance", "40.5", "tier", "", "expiryDate", "2026-05-31", "pointsDelta", "5.5",
        "transactionId", "t4", "optOutText", "Reply STOP to opt out."), both.get(1).getVariables(), "every SMS says how to stop them");

    consent(Channel.SMS, ConsentAction.REVOKE, MORNING.plusSeconds(480));
    purchase("1.00", MORNING.plusSeconds(540));
    assertEquals(List.of(Channel.EMAIL), harness.notifications().stream().map(NotificationRequest::getChannel).toList());
    assertEquals(SmsConsent.NONE, lastProfileSmsConsent());

    command(MORNING.plusSeconds(600), new OptOut(null));
    command(MORNING.plusSeconds(660), Records.hold("h1", "5", MORNING.plusSeconds(3600)));
    purchase("9.00", MORNING.plusSeconds(720));
    assertEquals(List.of(), sent(), "customers who left the program get no loyalty messages");
  }

  @Test
  void consentNeedsAnAddressAndANewAddressNeedsNewConsent() {
    harness.program(program().build());
    command(MORNING, Enroll.newBuilder().setEmail(EMAIL).build());
    CommandResult refused = consent(Channel.SMS, ConsentAction.GRANT, MORNING.plusSeconds(1));
    assertEquals("REFUSED MISSING_CONTACT the customer has no phone number to consent with",
        refused.getStatus() + " " + refused.getReasonCode() + " " + refused.getMessage());
    consent(Channel.EMAIL, ConsentAction.GRANT, MORNING.plusSeconds(2));
    command(MORNING.plusSeconds(3), UpdateProfile.newBuilder().setEmail(EMAIL).build());
    purchase("10.00", MORNING.plusSeconds(4));
    assertEquals(1, sent().size(), "the same address keeps its consent");
    command(MORNING.plusSeconds(5), UpdateProfile.newBuilder().setEmail("ana@new.example.com").build());
    purchase("10.00", MORNING.plusSeconds(6));
    assertEquals(List.of(), sent(), "consent was given for the old address");
    assertEquals(false, lastProfile().getEmailConsent());
  }

  @Test
  void smsDuringQuietHoursIsHeldUntilTheyEndAndAStopMeanwhileWithdrawsIt() {
    harness.program(program().build());
    enroll(MORNING);
    consent(Channel.SMS, ConsentAction.CONFIRM, MORNING.plusSeconds(1));
    consent(Channel.EMAIL, ConsentAction.GRANT, MORNING.plusSeconds(2));
    Instant lateEvening = Instant.parse("2026-03-03T05:30:00Z");
    purchase("20.00", lateEvening);
    assertEquals(List.of("EMAIL " + EMAIL + " points_earn {balance=20, firstName=Ana, pointsDelta=20, tier=, transactionId=t1}"),
        sent(), "22:30 in Denver: email goes, SMS waits");
    harness.tick(Instant.parse("2026-03-03T14:59:59Z"));
    assertEquals(List.of(), sent());
    harness.tick(Instant.parse("2026-03-03T15:00:00Z"));
    List<NotificationRequest> morning = harness.notifications();
    assertEquals(List.of("SMS " + PHONE + " points_earn {balance=20, firstName=Ana, optOutText=Reply STOP to opt out., pointsDelta=20, tier=, "
        + "transactionId=t1} after 2026-03-03T15:00:00Z"), morning.stream().map(NotificationsTest::describe).toList(), "08:00 in Denver");
    assertEquals(lateEvening, morning.get(0).getOccurredAt());

    purchase("7.00", Instant.parse("2026-03-04T06:00:00Z"));
    consent(Channel.SMS, ConsentAction.REVOKE, Instant.parse("2026-03-04T06:30:00Z"));
    harness.notifications();
    harness.tick(Instant.parse("2026-03-04T16:00:00Z"));
    assertEquals(List.of(), sent(), "STOP at 23:30 withdrew the SMS held since 23:00");
  }

  @Test
  void theDailyCapFoldsLaterPointsChangesIntoOneDigestAtTheEndOfTheDay() {
    harness.program(program().setDailyNotificationCap(3).build());
    enroll(MORNING);
    consent(Channel.EMAIL, ConsentAction.GRANT, MORNING.plusSeconds(1));
    for (int i = 1; i <= 5; i++) {
      purchase(i + ".00", MORNING.plusSeconds(60L * i));
    }
    assertEquals(List.of("e-t1", "e-t2"), harness.notifications().stream().map(r -> r.getSourceEventIds().get(0)).toList(),
        "the third message of the day is the digest");
    Instant midnight = Instant.parse("2026-03-03T07:00:00Z");
    harness.tick(midnight.minusMillis(1));
    assertEquals(List.of(), sent());
    harness.tick(midnight);
    List<NotificationRequest> digest = harness.notifications();
    assertEquals(List.of("EMAIL " + EMAIL + " points_digest {balance=15, eventCount=3, firstName=Ana, pointsDelta=12, tier=}"),
        digest.stream().map(NotificationsTest::describe).toList(), "3 + 4 + 5 points");
    assertEquals(List.of("e-t3", "e-t4", "e-t5"), digest.get(0).getSourceEventIds());
    assertEquals(midnight, digest.get(0).getOccurredAt());
    assertEquals("greenleaf:c1/digest-2026-03-02-e-t3/points_digest/EMAIL", digest.get(0).getRequestId());

    purchase("6.00", midnight.plus(Duration.ofHours(10)));
    assertEquals(1, sent().size(), "a new day, a new count");
  }

  @Test
  void tierChangesAndUnlockedRewardsAreAnnouncedInTheirOwnMessages() {
    harness.program(program().setDailyNotificationCap(0)
        .setRewards(List.of(new RewardDefinition("vip-gift", "VIP gift", d("50.0000"), d("20.00"), true),
            new RewardDefinition("lounge", "Lounge pass", d("900.0000"), d("30.00"), true)))
        .setTiers(List.of(TierDefinition.newBuilder().setTierId("elite").setName("Elite").setThreshold(d("500.00"))
            .setRewardIds(List.of("vip-gift", "lounge")).build()))
        .build());
    // An adult: the marketing policy lets the messages name the rewards (MarketingPolicyTest for one it does not).
    command(MORNING, Enroll.newBuilder().setFirstName("Ana").setEmail(EMAIL).setPhone(PHONE).setBirthDate(LocalDate.of(1990, 5, 1)).build());
    consent(Channel.PUSH, ConsentAction.GRANT, MORNING.plusSeconds(1));
    purchase("500.00", MORNING.plusSeconds(2));
    assertEquals(List.of(
        "PUSH c1 tier_changed {balance=500, firstName=Ana, previousTier=, reason=threshold reached or lost, tier=Elite}",
        "PUSH c1 reward_unlocked {availableRewards=vip-gift, balance=500, firstName=Ana, rewardCount=2, rewardNames=VIP gift, Lounge pass,"
            + " tier=Elite}",
        "PUSH c1 points_earn {availableRewards=vip-gift, balance=500, firstName=Ana, pointsDelta=500, tier=Elite, transactionId=t1}"), sent());
  }

  @Test
  void customersAreWarnedBeforePointsExpireAndToldWhenTheyDo() {
    harness.program(program().setInactivityExpiryDays(30).setExpiryWarningDays(7).build());
    enroll(MORNING);
    consent(Channel.EMAIL, ConsentAction.GRANT, MORNING.plusSeconds(1));
    purchase("12.00", MORNING.plusSeconds(2));
    harness.notifications();
    harness.tick(MORNING.plus(Duration.ofDays(40)));
    assertEquals(List.of(
        "EMAIL " + EMAIL + " points_expiring {balance=12, expiryDate=2026-04-01, firstName=Ana, pointsExpiring=12, tier=}",
        "EMAIL " + EMAIL + " points_expiry {balance=0, firstName=Ana, pointsDelta=-12, tier=}"), sent());
  }

  private SmsConsent lastProfileSmsConsent() {
    return lastProfile().getSmsConsent();
  }

  private CustomerProfile lastProfile() {
    List<CustomerProfile> profiles = harness.profiles();
    return profiles.get(profiles.size() - 1);
  }
}
