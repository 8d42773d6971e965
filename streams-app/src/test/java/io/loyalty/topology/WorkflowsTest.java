package io.loyalty.topology;

import static io.loyalty.testing.SegmentConditions.combine;
import static io.loyalty.testing.SegmentConditions.segment;
import static io.loyalty.testing.SegmentConditions.test;
import static io.loyalty.testing.WorkflowSteps.bonusOffer;
import static io.loyalty.testing.WorkflowSteps.boost;
import static io.loyalty.testing.WorkflowSteps.categoryDiscount;
import static io.loyalty.testing.WorkflowSteps.condition;
import static io.loyalty.testing.WorkflowSteps.delay;
import static io.loyalty.testing.WorkflowSteps.end;
import static io.loyalty.testing.WorkflowSteps.on;
import static io.loyalty.testing.WorkflowSteps.onSegment;
import static io.loyalty.testing.WorkflowSteps.purchasedSinceEntry;
import static io.loyalty.testing.WorkflowSteps.send;
import static io.loyalty.testing.WorkflowSteps.tag;
import static io.loyalty.testing.WorkflowSteps.until;
import static io.loyalty.testing.WorkflowSteps.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.CartItem;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.ChannelCap;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowReentry;
import io.loyalty.avro.WorkflowStatus;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowStepType;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.avro.state.WorkflowStats;
import io.loyalty.avro.state.WorkflowStepStats;
import io.loyalty.serde.AvroCodec;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Campaign workflows through the topology, time driven by ticks: the reference product's seven examples with
 * their exact outputs, exits, re-entry, the caps and STOP, version changes and replay.
 */
class WorkflowsTest {
  private static final Instant DAY0 = Instant.parse("2026-03-02T18:00:00Z");
  private static final LocalDate ADULT = LocalDate.parse("1990-05-20");
  private final TopologyHarness harness = new TopologyHarness();
  private int commands;

  @AfterEach
  void close() {
    harness.close();
  }

  private void program(List<SegmentDefinition> segments, WorkflowDefinition... workflows) {
    program(1, segments, workflows);
  }

  private void program(long version, List<SegmentDefinition> segments, WorkflowDefinition... workflows) {
    ProgramConfig.Builder program = Records.program("1").setVersion(version).setSegments(segments).setWorkflows(List.of(workflows));
    if (version > 1) {
      program.setEffectiveFrom(DAY0.plus(Duration.ofDays(version)));
    }
    harness.program(program.build());
  }

  /** A member with an email (consented unless told otherwise), an adult birth date and a home state. */
  private void member(String customer, Instant at, String homeState, LocalDate birthDate, Channel... consented) {
    harness.command(Records.command("cmd-" + ++commands, customer, at, Enroll.newBuilder().setEmail(customer + "@example.com")
        .setPhone("+1617555" + String.format("%04d", commands)).setBirthDate(birthDate).setHomeState(homeState).build()));
    for (Channel channel : consented) {
      consent(customer, channel, ConsentAction.GRANT, at);
      if (channel == Channel.SMS) {
        consent(customer, channel, ConsentAction.CONFIRM, at);
      }
    }
  }

  private void consent(String customer, Channel channel, ConsentAction action, Instant at) {
    harness.command(Records.command("cmd-" + ++commands, customer, at, new ChangeConsent(channel, action, action.name())));
  }

  private void purchase(String id, String customer, String subtotal, Instant at) {
    harness.transaction(Records.purchase(id, customer, subtotal, at).build());
  }

  private static ActivityEvent.Builder report(String id, String customer, ActivityType type, Instant at) {
    return ActivityEvent.newBuilder().setEventId(id).setOrganizationId(Records.ORG).setCustomerId(customer).setOccurredAt(at)
        .setType(type);
  }

  /** The messages since the last call, points messages included: template, customer, channel, send time, variables named. */
  private List<String> messages(String... variables) {
    List<String> described = new ArrayList<>();
    for (NotificationRequest request : harness.notifications()) {
      if (request.getTemplate().equals("sms_opt_in_confirmation")) {
        continue;
      }
      String shown = List.of(variables).stream().filter(request.getVariables()::containsKey)
          .map(name -> " " + name + "=" + request.getVariables().get(name)).collect(Collectors.joining());
      described.add(request.getTemplate() + " " + request.getCustomerId() + " " + request.getChannel() + " " + request.getSendAfter()
          + shown);
    }
    return described;
  }

  private List<String> ledger() {
    return harness.ledger().stream().map(WorkflowsTest::describe).toList();
  }

  private static String describe(LedgerEntry entry) {
    return entry.getType() + " " + entry.getCustomerId() + " " + entry.getDelta().stripTrailingZeros().toPlainString() + " at "
        + entry.getOccurredAt() + (entry.getReason() == null ? "" : " (" + entry.getReason() + ")");
  }

  private List<String> offers() {
    return harness.driver().createOutputTopic(harness.topics.offers(), new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readValuesToList().stream()
        .map(bytes -> harness.serdes.codec(OfferEvent.class).decode(bytes))
        .map(offer -> offer.getStatus() + " " + offer.getCustomerId() + " " + offer.getKind() + " "
            + offer.getValue().stripTrailingZeros().toPlainString() + " " + offer.getTrigger() + " until " + offer.getValidUntil())
        .toList();
  }

  private WorkflowStats stats(String workflowId, int version) {
    KeyValueStore<String, byte[]> store = harness.driver().getKeyValueStore(LoyaltyTopology.WORKFLOW_STATS_STORE);
    byte[] bytes = store.get(io.loyalty.workflows.WorkflowCounts.key(Records.ORG, workflowId, version));
    AvroCodec<WorkflowStats> codec = LoyaltyTopology.STATE_SERDES.codec(WorkflowStats.class);
    return bytes == null ? null : codec.decode(bytes);
  }

  /** entered, completed, goal, segment, audience, condition; then per step reached/actions/messages/consent/cap/compliance/opened/clicked/converted. */
  private static String summary(WorkflowStats stats) {
    return stats.getEntered() + " " + stats.getCompleted() + " " + stats.getExitedOnGoal() + " " + stats.getExitedOnSegment() + " "
        + stats.getExitedOnAudience() + " " + stats.getExitedOnCondition() + stats.getSteps().stream().map(WorkflowsTest::summary)
        .collect(Collectors.joining());
  }

  private static String summary(WorkflowStepStats step) {
    return " | " + step.getStepId() + " " + step.getReached() + "/" + step.getActions() + "/" + step.getMessages() + "/"
        + step.getSkippedConsent() + "/" + step.getSkippedCap() + "/" + step.getSkippedCompliance() + "/" + step.getOpened() + "/"
        + step.getClicked() + "/" + step.getConverted();
  }

  // --- the reference examples -----------------------------------------------------------------------------

  @Test
  void newMemberBoostThenAThankYouEmailADayLater() {
    SegmentDefinition recentOptIns = segment("opted-in-recent-buyers", combine(SegmentOperator.ALL,
        test(SegmentOperator.EQUALS, SegmentAttribute.EMAIL_CONSENT, "true"),
        test(SegmentOperator.AT_MOST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "3")));
    program(List.of(recentOptIns), workflow("new-member-boost", onSegment("opted-in-recent-buyers"),
        boost("boost", "100"), delay("wait-a-day", 1440),
        send("thank-you", Channel.EMAIL, "new_member_thank_you", "text", "Thank you for opting in: here are 100 points")).build());
    member("c1", DAY0, "MA", ADULT);
    member("c2", DAY0, "MA", ADULT);
    purchase("t1", "c1", "20.00", DAY0.plusSeconds(3600));
    purchase("t2", "c2", "20.00", DAY0.plusSeconds(3600));
    messages();
    harness.ledger();
    consent("c1", Channel.EMAIL, ConsentAction.GRANT, DAY0.plus(Duration.ofDays(2)));
    consent("c2", Channel.EMAIL, ConsentAction.GRANT, DAY0.plus(Duration.ofDays(5)));

    Instant optedIn = DAY0.plus(Duration.ofDays(2));
    assertEquals(List.of("BOOST c1 100 at " + optedIn + " (" + Records.ORG + ":c1/workflow/new-member-boost/1/1/boost)"), ledger(),
        "c2 opted in 5 days after the purchase: not in the segment");
    assertEquals(List.of("points_boost c1 EMAIL " + optedIn + " pointsDelta=100"), messages("pointsDelta"),
        "a boost is always told");
    harness.tick(optedIn.plus(Duration.ofDays(1)).minusMillis(1));
    assertEquals(List.of(), messages());
    harness.tick(optedIn.plus(Duration.ofDays(1)));
    assertEquals(List.of("new_member_thank_you c1 EMAIL " + optedIn.plus(Duration.ofDays(1))
        + " text=Thank you for opting in: here are 100 points"), messages("text"));
    assertEquals("1 1 0 0 0 0 | boost 1/1/0/0/0/0/0/0/0 | wait-a-day 1/0/0/0/0/0/0/0/0 | thank-you 1/1/1/0/0/0/0/0/0",
        summary(stats("new-member-boost", 1)));
    assertEquals(List.of(1.0, 1.0), List.of("ENTERED", "COMPLETED").stream().map(event -> harness.meters.registry()
        .get("loyalty.workflow.runs").tags("workflow", "new-member-boost", "event", event).counter().count()).toList(),
        "the operator's counters (/metrics) agree");
  }

  @Test
  void birthdayMessageAndDiscountOnTheDayAtTenInTheMorning() {
    program(List.of(), workflow("birthday", on(WorkflowTriggerType.BIRTHDAY).build(), until("at-ten", "10:00"),
        categoryDiscount("discount", "15", "edibles"), send("wish", Channel.EMAIL, "birthday"))
        .setReentry(WorkflowReentry.AFTER_DAYS).setReentryDays(300).build());
    member("sept", DAY0, "MA", LocalDate.parse("1991-09-14"), Channel.EMAIL);
    member("oct", DAY0, "MA", LocalDate.parse("1988-10-03"), Channel.EMAIL);
    messages();
    harness.tick(Instant.parse("2026-09-30T23:00:00Z"));
    assertEquals(List.of("ISSUED sept CATEGORY_DISCOUNT 15 WORKFLOW until 2026-09-28T10:00:00Z",
        "EXPIRED sept CATEGORY_DISCOUNT 15 WORKFLOW until 2026-09-28T10:00:00Z"), offers(), "unused, it expires by its timer");
    List<String> sent = messages("offerValue", "validUntil");
    assertEquals(1, sent.size(), sent.toString());
    assertEquals("birthday sept EMAIL 2026-09-14T10:00:00Z offerValue=15 validUntil=2026-09-28", sent.get(0));
    harness.tick(Instant.parse("2026-10-03T12:00:00Z"));
    assertEquals(List.of("birthday oct EMAIL 2026-10-03T10:00:00Z"), messages());
    assertEquals(List.of("ISSUED oct CATEGORY_DISCOUNT 15 WORKFLOW until 2026-10-17T10:00:00Z"), offers());
    harness.tick(Instant.parse("2027-09-14T11:00:00Z"));
    assertEquals(List.of("birthday sept EMAIL 2027-09-14T10:00:00Z"), messages(), "next year again: re-entry after 300 days");
  }

  @Test
  void visitBasedDealsAfterTheFirstThreeVisits() {
    program(List.of(), workflow("visit-deals", on(WorkflowTriggerType.VISIT).setVisits(List.of(1, 2, 3)).build(),
        condition("first", test(SegmentOperator.EQUALS, SegmentAttribute.VISITS, "1"), "second"),
        send("after-first", Channel.EMAIL, "next_visit_deal", "deal", "a free pre-roll with a purchase of $25 or more"),
        end("done-first"),
        condition("second", test(SegmentOperator.EQUALS, SegmentAttribute.VISITS, "2"), "after-third"),
        send("after-second", Channel.EMAIL, "next_visit_deal", "deal", "$10 off any item"),
        end("done-second"),
        send("after-third", Channel.EMAIL, "next_visit_deal", "deal", "$5 off flower"))
        .setReentry(WorkflowReentry.EVERY_TIME).build());
    member("c1", DAY0, "MA", ADULT, Channel.EMAIL);
    messages();
    for (int visit = 1; visit <= 4; visit++) {
      purchase("t" + visit, "c1", "30.00", DAY0.plus(Duration.ofDays(visit * 3L)));
    }
    assertEquals(List.of(
        "next_visit_deal c1 EMAIL 2026-03-05T18:00:00Z deal=a free pre-roll with a purchase of $25 or more", "points_earn c1 EMAIL 2026-03-05T18:00:00Z",
        "next_visit_deal c1 EMAIL 2026-03-08T18:00:00Z deal=$10 off any item", "points_earn c1 EMAIL 2026-03-08T18:00:00Z",
        "next_visit_deal c1 EMAIL 2026-03-11T18:00:00Z deal=$5 off flower", "points_earn c1 EMAIL 2026-03-11T18:00:00Z",
        "points_earn c1 EMAIL 2026-03-14T18:00:00Z"), messages("deal"));
    assertEquals("3 3 0 0 0 0 | first 3/0/0/0/0/0/0/0/0 | after-first 1/1/1/0/0/0/0/0/1 | done-first 1/0/0/0/0/0/0/0/0"
        + " | second 2/0/0/0/0/0/0/0/0 | after-second 1/1/1/0/0/0/0/0/1 | done-second 1/0/0/0/0/0/0/0/0"
        + " | after-third 1/1/1/0/0/0/0/0/1", summary(stats("visit-deals", 1)),
        "each deal converted by the next visit, 3 days later");
  }

  private WorkflowDefinition winback() {
    return workflow("winback", onSegment("dormant-21"),
        categoryDiscount("discount", "10", "flower"),
        send("first-email", Channel.EMAIL, "winback_first"),
        delay("wait", Duration.ofDays(25).toMinutes()),
        purchasedSinceEntry("still-away", false, null),
        send("second-email", Channel.EMAIL, "winback_second"))
        .setAudience(test(SegmentOperator.EQUALS, SegmentAttribute.HOME_STATE, "MA"))
        .setExitOnPurchase(true).build();
  }

  private static List<SegmentDefinition> dormant() {
    return List.of(segment("dormant-21", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21")));
  }

  private void winbackCustomers() {
    program(dormant(), winback());
    member("stays-away", DAY0, "MA", ADULT, Channel.EMAIL);
    member("comes-back", DAY0, "MA", ADULT, Channel.EMAIL);
    member("colorado", DAY0, "CO", ADULT, Channel.EMAIL);
    for (String customer : List.of("stays-away", "comes-back", "colorado")) {
      purchase("t-" + customer, customer, "40.00", DAY0.plusSeconds(60));
    }
    harness.tick(DAY0.plus(Duration.ofDays(24)));
    purchase("back", "comes-back", "25.00", DAY0.plus(Duration.ofDays(24)));
    harness.tick(DAY0.plus(Duration.ofDays(60)));
  }

  @Test
  void winbackTwoEmailsOnlyToThoseWhoStayedAway() {
    winbackCustomers();
    Instant dormantAt = DAY0.plusSeconds(60).plus(Duration.ofDays(21));
    assertEquals(List.of(
        "points_earn stays-away EMAIL " + DAY0.plusSeconds(60), "points_earn comes-back EMAIL " + DAY0.plusSeconds(60),
        "points_earn colorado EMAIL " + DAY0.plusSeconds(60),
        "winback_first comes-back EMAIL " + dormantAt + " offerValue=10",
        "winback_first stays-away EMAIL " + dormantAt + " offerValue=10",
        "points_earn comes-back EMAIL " + DAY0.plus(Duration.ofDays(24)),
        "winback_second stays-away EMAIL " + dormantAt.plus(Duration.ofDays(25)) + " offerValue=10"), messages("offerValue"));
    assertEquals("2 1 1 0 0 0 | discount 2/2/0/0/0/0/0/0/0 | first-email 2/2/2/0/0/0/0/0/1 | wait 2/0/0/0/0/0/0/0/0"
        + " | still-away 1/0/0/0/0/0/0/0/0 | second-email 1/1/1/0/0/0/0/0/0", summary(stats("winback", 1)),
        "the returning customer exits on the goal, converted by the first email (3 days after it)");
    assertEquals(List.of(), harness.lastProfile().getWorkflows());
  }

  @Test
  void aReplayOfTheArrivalsRebuildsTheSameMessagesLedgerAndOffers() {
    winbackCustomers();
    List<String> liveMessages = messages("offerId");
    List<String> liveOffers = offers();
    List<String> liveLedger = ledger();
    try (TopologyHarness replay = new TopologyHarness()) {
      harness.arrivals().forEach(replay::replay);
      assertEquals(liveMessages, replay.notifications().stream().filter(request -> !request.getTemplate().equals("sms_opt_in_confirmation"))
          .map(request -> request.getTemplate() + " " + request.getCustomerId() + " " + request.getChannel() + " " + request.getSendAfter()
              + (request.getVariables().containsKey("offerId") ? " offerId=" + request.getVariables().get("offerId") : ""))
          .toList());
      assertEquals(liveLedger, replay.ledger().stream().map(WorkflowsTest::describe).toList());
      assertEquals(7, liveMessages.size());
      assertEquals(4, liveOffers.size(), "two issued, two expired");
    }
  }

  @Test
  void postPurchaseSurveyForCustomersWithTwoPurchasesInTheState() {
    program(List.of(), workflow("survey", on(WorkflowTriggerType.PURCHASE).build(), delay("two-hours", 120),
        send("survey", Channel.EMAIL, "post_purchase_survey"))
        .setAudience(combine(SegmentOperator.ALL, test(SegmentOperator.AT_LEAST, SegmentAttribute.VISITS, "2"),
            test(SegmentOperator.EQUALS, SegmentAttribute.HOME_STATE, "MA"))).build());
    member("ma", DAY0, "MA", ADULT, Channel.EMAIL);
    member("ny", DAY0, "NY", ADULT, Channel.EMAIL);
    for (String customer : List.of("ma", "ny")) {
      purchase(customer + "-1", customer, "30.00", DAY0.plusSeconds(60));
      purchase(customer + "-2", customer, "30.00", DAY0.plus(Duration.ofDays(2)));
      purchase(customer + "-3", customer, "30.00", DAY0.plus(Duration.ofDays(4)));
    }
    harness.tick(DAY0.plus(Duration.ofDays(10)));
    assertEquals(List.of("post_purchase_survey ma EMAIL " + DAY0.plus(Duration.ofDays(2)).plus(Duration.ofHours(2))),
        messages().stream().filter(message -> message.startsWith("post_purchase_survey")).toList(), "once: the policy is ONCE");
  }

  @Test
  void abandonedCartThreeRemindersWithGrowingDiscountsUntilAPurchase() {
    program(List.of(), workflow("abandoned-cart", on(WorkflowTriggerType.ACTIVITY).setActivity(ActivityType.CART_UPDATED).build(),
        delay("two-hours", 120), send("reminder", Channel.EMAIL, "cart_reminder"),
        delay("a-day", 1440), categoryDiscount("small", "5", "flower"), send("small-discount", Channel.EMAIL, "cart_discount"),
        delay("two-days", 2880), categoryDiscount("larger", "15", "flower"), send("larger-discount", Channel.EMAIL, "cart_discount"))
        .setAudience(test(SegmentOperator.EQUALS, SegmentAttribute.CART_OPEN, "true")).setExitOnPurchase(true)
        .setReentry(WorkflowReentry.AFTER_DAYS).setReentryDays(7).build());
    member("leaves", DAY0, "MA", ADULT, Channel.EMAIL);
    member("buys", DAY0, "MA", ADULT, Channel.EMAIL);
    messages();
    for (String customer : List.of("leaves", "buys")) {
      harness.activity(report("cart-" + customer, customer, ActivityType.CART_UPDATED, DAY0.plusSeconds(60)).setCartId("k-" + customer)
          .setCartItems(List.of(new CartItem("BD-35", new BigDecimal("1.000"), new BigDecimal("35.00")))).build());
    }
    harness.tick(DAY0.plus(Duration.ofHours(3)));
    purchase("t-buys", "buys", "35.00", DAY0.plus(Duration.ofHours(5)));
    harness.tick(DAY0.plus(Duration.ofDays(5)));
    Instant cart = DAY0.plusSeconds(60);
    assertEquals(List.of(
        "cart_reminder buys EMAIL " + cart.plus(Duration.ofHours(2)),
        "cart_reminder leaves EMAIL " + cart.plus(Duration.ofHours(2)),
        "points_earn buys EMAIL " + DAY0.plus(Duration.ofHours(5)),
        "cart_discount leaves EMAIL " + cart.plus(Duration.ofHours(26)) + " offerValue=5",
        "cart_discount leaves EMAIL " + cart.plus(Duration.ofHours(74)) + " offerValue=15"), messages("offerValue"));
    assertEquals("2 1 1 0 0 0 | two-hours 2/0/0/0/0/0/0/0/0 | reminder 2/2/2/0/0/0/0/0/1 | a-day 2/0/0/0/0/0/0/0/0"
        + " | small 1/1/0/0/0/0/0/0/0 | small-discount 1/1/1/0/0/0/0/0/0 | two-days 1/0/0/0/0/0/0/0/0 | larger 1/1/0/0/0/0/0/0/0"
        + " | larger-discount 1/1/1/0/0/0/0/0/0", summary(stats("abandoned-cart", 1)));
  }

  @Test
  void mobileAppComeBackPushBetweenThirtyAndSixtyDaysAfterTheLastLogin() {
    SegmentDefinition lapsed = segment("app-lapsed", combine(SegmentOperator.ALL,
        test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_APP_LOGIN, "30"),
        test(SegmentOperator.AT_MOST, SegmentAttribute.DAYS_SINCE_APP_LOGIN, "60")));
    program(List.of(lapsed), workflow("app-comeback", onSegment("app-lapsed"), bonusOffer("bonus", "50"),
        send("push", Channel.PUSH, "app_come_back")).setExitOnSegmentExit(true).build());
    member("c1", DAY0, "MA", ADULT, Channel.PUSH);
    messages();
    harness.activity(report("login-1", "c1", ActivityType.APP_LOGIN, DAY0.plusSeconds(60)).setSource("ios-app").build());
    harness.tick(DAY0.plus(Duration.ofDays(29)));
    assertEquals(List.of(), messages());
    harness.tick(DAY0.plus(Duration.ofDays(31)));
    Instant lapsedAt = DAY0.plusSeconds(60).plus(Duration.ofDays(30));
    assertEquals(List.of("app_come_back c1 PUSH " + lapsedAt + " offerValue=50"), messages("offerValue"));
    assertEquals(List.of("ISSUED c1 BONUS_POINTS 50 WORKFLOW until " + lapsedAt.plus(Duration.ofDays(14))), offers());
  }

  // --- exits, caps, consent, versions ---------------------------------------------------------------------

  @Test
  void stopDuringADelaySkipsTheNextSmsAndTheDailyCapIsShared() {
    harness.program(Records.program("1").setDailyNotificationCap(4).setWorkflows(List.of(workflow("sms-pair",
        on(WorkflowTriggerType.PURCHASE).build(), send("now", Channel.SMS, "thanks_sms"), delay("later", 60),
        send("follow-up", Channel.SMS, "follow_up_sms")).setReentry(WorkflowReentry.EVERY_TIME).build())).build());
    member("c1", DAY0, "MA", ADULT, Channel.SMS);
    messages();
    purchase("t1", "c1", "10.00", DAY0.plusSeconds(60));
    consent("c1", Channel.SMS, ConsentAction.REVOKE, DAY0.plusSeconds(120));
    harness.tick(DAY0.plus(Duration.ofHours(2)));
    assertEquals(List.of("thanks_sms c1 SMS " + DAY0.plusSeconds(60), "points_earn c1 SMS " + DAY0.plusSeconds(60)), messages());
    String afterStop = summary(stats("sms-pair", 1));
    assertEquals(" | now 1/1/1/0/0/0/0/0/0 | later 1/0/0/0/0/0/0/0/0 | follow-up 1/0/0/1/0/0/0/0/0", afterStop.substring(afterStop.indexOf(" |")),
        "STOP during the delay: the follow-up is skipped for consent");

    Instant evening = DAY0.plus(Duration.ofMinutes(130));
    consent("c1", Channel.SMS, ConsentAction.GRANT, evening);
    consent("c1", Channel.SMS, ConsentAction.CONFIRM, evening);
    messages();
    // A day cap of 4 (the last one a digest), shared with points messages: t1's two and t2's thanks take the day's
    // three; t2's and t3's points fold into the digest. t3 enters nothing: t2's run is under way. Its follow-up an
    // hour later finds the day's cap reached.
    purchase("t2", "c1", "10.00", evening.plusSeconds(60));
    purchase("t3", "c1", "10.00", evening.plusSeconds(120));
    harness.tick(evening.plus(Duration.ofHours(2)));
    assertEquals(List.of("thanks_sms c1 SMS " + evening.plusSeconds(60)), messages());
    String steps = summary(stats("sms-pair", 1));
    assertEquals(" | now 2/2/2/0/0/0/0/0/2 | later 2/0/0/0/0/0/0/0/0 | follow-up 2/0/0/1/1/0/0/0/0", steps.substring(steps.indexOf(" |")),
        "t2 converted t1's thanks, t3 t2's");
    harness.tick(DAY0.plus(Duration.ofDays(1)));
    assertEquals(List.of("points_digest c1 SMS 2026-03-03T08:00:00Z pointsDelta=20"), messages("pointsDelta").stream()
        .filter(message -> message.startsWith("points_digest")).toList(), "the digest, held through quiet hours");
  }

  @Test
  void aChannelCapOfOneSmsADayLetsOneCampaignSmsADayWhateverTheWorkflowAndNeverStopsAReceipt() {
    harness.program(Records.program("1").setDailyNotificationCap(0)
        .setChannelCaps(List.of(ChannelCap.newBuilder().setChannel(Channel.SMS).setPerDay(1).setPerWeek(0).build()))
        .setWorkflows(List.of(
            workflow("thanks", on(WorkflowTriggerType.PURCHASE).build(), send("sms", Channel.SMS, "thanks_sms"))
                .setReentry(WorkflowReentry.EVERY_TIME).build(),
            workflow("deal", on(WorkflowTriggerType.PURCHASE).build(), send("sms", Channel.SMS, "deal_sms"))
                .setReentry(WorkflowReentry.EVERY_TIME).build(),
            workflow("receipt", on(WorkflowTriggerType.PURCHASE).build(), send("sms", Channel.SMS, "receipt_sms"))
                .setReentry(WorkflowReentry.EVERY_TIME).setTransactional(true).build()))
        .build());
    member("c1", DAY0, "MA", ADULT, Channel.SMS);
    messages();
    purchase("t1", "c1", "10.00", DAY0.plusSeconds(60));
    purchase("t2", "c1", "10.00", DAY0.plusSeconds(120));
    Instant nextDay = DAY0.plus(Duration.ofDays(1));
    purchase("t3", "c1", "10.00", nextDay);
    assertEquals(List.of(
        "thanks_sms c1 SMS " + DAY0.plusSeconds(60), "receipt_sms c1 SMS " + DAY0.plusSeconds(60), "points_earn c1 SMS " + DAY0.plusSeconds(60),
        "receipt_sms c1 SMS " + DAY0.plusSeconds(120), "points_earn c1 SMS " + DAY0.plusSeconds(120),
        "thanks_sms c1 SMS " + nextDay, "receipt_sms c1 SMS " + nextDay, "points_earn c1 SMS " + nextDay), messages(),
        "one campaign SMS a day (the first workflow's), every receipt, every points message (they keep the daily cap, none here)");
    assertEquals(" | sms 3/0/0/0/3/0/0/0/0", summary(stats("deal", 1)).substring(summary(stats("deal", 1)).indexOf(" |")),
        "the deal is skipped by the cap each time: it came second");
  }

  @Test
  void aRunFinishesOnItsVersionWhileNewEntriesTakeTheNewOne() {
    WorkflowDefinition first = workflow("welcome", on(WorkflowTriggerType.ENROLLED).build(), delay("wait", Duration.ofDays(3).toMinutes()),
        send("hello", Channel.EMAIL, "welcome_v1")).setReentry(WorkflowReentry.ONCE).build();
    program(List.of(), first);
    member("early", DAY0, "MA", ADULT, Channel.EMAIL);
    WorkflowDefinition second = WorkflowDefinition.newBuilder(first).setVersion(2)
        .setSteps(List.of(delay("wait", Duration.ofDays(3).toMinutes()), send("hello", Channel.EMAIL, "welcome_v2"))).build();
    program(2, List.of(), second);
    member("late", DAY0.plus(Duration.ofDays(2)).plusSeconds(1), "MA", ADULT, Channel.EMAIL);
    WorkflowStatus status = harness.lastProfile().getWorkflows().get(0);
    assertEquals("welcome wait 2 " + DAY0.plus(Duration.ofDays(5)).plusSeconds(1), status.getWorkflowId() + " " + status.getStepId()
        + " " + status.getVersion() + " " + status.getWaitingUntil());
    messages();
    harness.tick(DAY0.plus(Duration.ofDays(6)));
    assertEquals(List.of("welcome_v1 early EMAIL " + DAY0.plus(Duration.ofDays(3)),
        "welcome_v2 late EMAIL " + DAY0.plus(Duration.ofDays(5)).plusSeconds(1)), messages());
    assertEquals(1L, stats("welcome", 1).getCompleted());
    assertEquals(1L, stats("welcome", 2).getCompleted());
  }

  @Test
  void aRunUnderWayFinishesWhenANewProgramVersionDropsItsWorkflow() {
    program(List.of(), workflow("welcome", on(WorkflowTriggerType.ENROLLED).build(), delay("wait", Duration.ofDays(3).toMinutes()),
        send("hello", Channel.EMAIL, "welcome_v1")).build());
    member("early", DAY0, "MA", ADULT, Channel.EMAIL);
    program(2, List.of());
    member("late", DAY0.plus(Duration.ofDays(2)).plusSeconds(1), "MA", ADULT, Channel.EMAIL);
    messages();
    harness.tick(DAY0.plus(Duration.ofDays(6)));
    assertEquals(List.of("welcome_v1 early EMAIL " + DAY0.plus(Duration.ofDays(3))), messages(),
        "the run finishes on the version it entered with; nobody enters a workflow the program no longer has");
  }

  @Test
  void optInTierChangeAndExpiryWarningStartTheirWorkflowsAndProfileActionsApply() {
    harness.program(Records.program("1").setInactivityExpiryDays(90).setExpiryWarningDays(14)
        .setTiers(List.of(TierDefinition.newBuilder().setTierId("member").setName("Member").setThreshold(Records.d("0.00")).build(),
            TierDefinition.newBuilder().setTierId("gold").setName("Gold").setThreshold(Records.d("500.00")).build()))
        .setWorkflows(List.of(
            workflow("sms-welcome", on(WorkflowTriggerType.OPTED_IN).setChannel(Channel.SMS).build(), tag("tag", "sms-fan"),
                send("hello", Channel.SMS, "sms_welcome")).build(),
            workflow("gold", on(WorkflowTriggerType.TIER_CHANGED).setTierId("gold").build(),
                WorkflowStep.newBuilder().setId("group").setType(WorkflowStepType.SET_GROUP).setValue("vip").build(),
                send("congrats", Channel.EMAIL, "gold_welcome")).build(),
            workflow("expiring", on(WorkflowTriggerType.POINTS_EXPIRING).build(), send("warn", Channel.EMAIL, "points_expiring_soon"))
                .setReentry(WorkflowReentry.EVERY_TIME).build())).build());
    member("c1", DAY0, "MA", ADULT, Channel.EMAIL);
    consent("c1", Channel.SMS, ConsentAction.GRANT, DAY0.plusSeconds(60));
    assertEquals(List.of(), messages().stream().filter(message -> message.startsWith("sms_welcome")).toList(), "not confirmed yet");
    consent("c1", Channel.SMS, ConsentAction.CONFIRM, DAY0.plusSeconds(120));
    assertEquals(List.of("sms_welcome c1 SMS " + DAY0.plusSeconds(120)), messages());
    assertEquals(List.of("sms-fan"), harness.lastProfile().getTags());
    purchase("big", "c1", "600.00", DAY0.plusSeconds(600));
    assertEquals(List.of("gold_welcome c1 EMAIL " + DAY0.plusSeconds(600)),
        messages().stream().filter(message -> message.startsWith("gold_welcome")).toList());
    assertEquals("vip", harness.lastProfile().getCustomerGroup());
    Instant warning = DAY0.plusSeconds(600).plus(Duration.ofDays(90 - 14));
    harness.tick(warning.plusSeconds(1));
    assertEquals(List.of("points_expiring_soon c1 EMAIL " + warning),
        messages().stream().filter(message -> message.startsWith("points_expiring_soon")).toList());
  }

  @Test
  void opensAndClicksReportedForAWorkflowMessageAreCountedOnItsStep() {
    program(List.of(), workflow("thanks", on(WorkflowTriggerType.PURCHASE).build(), send("email", Channel.EMAIL, "thanks")).build());
    member("c1", DAY0, "MA", ADULT, Channel.EMAIL);
    messages();
    purchase("t1", "c1", "10.00", DAY0.plusSeconds(60));
    String requestId = harness.notifications().stream().filter(request -> request.getTemplate().equals("thanks")).findFirst()
        .orElseThrow().getRequestId();
    assertEquals(Records.ORG + ":c1/workflow/thanks/1/1/email/EMAIL", requestId);
    harness.activity(report("open-1", "c1", ActivityType.MESSAGE_OPENED, DAY0.plusSeconds(600)).setRequestId(requestId)
        .setChannel(Channel.EMAIL).build());
    harness.activity(report("click-1", "c1", ActivityType.MESSAGE_CLICKED, DAY0.plusSeconds(660)).setRequestId(requestId)
        .setChannel(Channel.EMAIL).build());
    harness.activity(report("open-other", "c1", ActivityType.MESSAGE_OPENED, DAY0.plusSeconds(700))
        .setRequestId(Records.ORG + ":c1/workflow/unknown/1/1/email/EMAIL").setChannel(Channel.EMAIL).build());
    assertEquals("1 1 0 0 0 0 | email 1/1/1/0/0/0/1/1/0", summary(stats("thanks", 1)));
    assertEquals(null, stats("unknown", 1), "a report naming no workflow of the program counts nowhere");
  }
}
