package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.CustomerInsights;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.PersonalizationSettings;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.demo.SampleCatalog;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Offers through the topology: issue, weekly cap, redemption, refusal, expiry, replenishment and the marketing policy. */
class OffersTest {
  private static final Instant T0 = Instant.parse("2026-03-02T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();
  private final TestOutputTopic<String, OfferEvent> offers = harness.driver().createOutputTopic(harness.topics.offers(),
      new StringDeserializer(), harness.serdes.serde(OfferEvent.class).deserializer());

  @AfterEach
  void close() {
    harness.close();
  }

  private void setUp(OfferKind kind, String value, int maxPerWeek, CompliancePolicy policy) {
    ProgramConfig.Builder program = Records.program("1").setPersonalization(new PersonalizationSettings(90, 5, 0))
        .setOffers(OfferSettings.newBuilder().setEnabled(true).setKind(kind).setValue(new BigDecimal(value).setScale(4))
            .setValidDays(14).setMaxPerWeek(maxPerWeek).setReplenishmentLeadDays(2).build());
    if (policy != null) {
      program.setCompliance(policy);
    }
    harness.program(program.build());
    SampleCatalog.products(Records.ORG, Records.PROGRAM_START).forEach(harness::product);
  }

  private void enroll(String customerId, LocalDate birthDate) {
    harness.command(Records.command("enroll-" + customerId, customerId, T0.minusSeconds(60),
        Enroll.newBuilder().setBirthDate(birthDate).setEmail(customerId + "@example.com").build()));
    harness.command(Records.command("consent-" + customerId, customerId, T0.minusSeconds(30),
        ChangeConsent.newBuilder().setChannel(Channel.EMAIL).setAction(ConsentAction.GRANT).build()));
  }

  private static TransactionLine line(String lineId, String sku, String price, String offerId) {
    return TransactionLine.newBuilder().setLineId(lineId).setSku(sku).setCategory("flower").setQuantity(new BigDecimal("1.000"))
        .setUnitPrice(new BigDecimal(price)).setDiscount(new BigDecimal("0.00")).setOfferId(offerId).build();
  }

  private void purchase(String transactionId, String customerId, Instant at, TransactionLine... lines) {
    BigDecimal subtotal = List.of(lines).stream().map(TransactionLine::getUnitPrice).reduce(BigDecimal.ZERO, BigDecimal::add);
    TransactionEvent event = Records.purchase(transactionId, customerId, subtotal.toPlainString(), at).setLines(List.of(lines))
        .setSubtotal(subtotal).setTotal(subtotal).build();
    harness.transaction(event);
  }

  private List<String> offerEvents() {
    return offers.readValuesToList().stream().map(e -> e.getOfferId() + " " + e.getStatus() + " " + e.getKind()
        + (e.getTargetSku() == null ? "" : " " + e.getTargetSku()) + " until " + e.getValidUntil()
        + (e.getReason().isEmpty() ? "" : " \"" + e.getReason() + "\"")
        + (e.getPointsAwarded() == null ? "" : " +" + e.getPointsAwarded().toPlainString())
        + (e.getDetail() == null ? "" : " (" + e.getDetail() + ")")).toList();
  }

  private final List<CustomerProfile> profiles = new java.util.ArrayList<>();

  /** The latest insights of the account (reading the topic consumes it: what was read is kept). */
  private CustomerInsights insights(String accountKey) {
    profiles.addAll(harness.profiles());
    return profiles.stream().filter(p -> p.getAccountKey().equals(accountKey)).reduce((a, b) -> b)
        .map(CustomerProfile::getInsights).orElseThrow();
  }

  private static final LocalDate ADULT = LocalDate.parse("1990-05-01");

  @Test
  void anOfferIsMadeAfterAPurchaseWithinTheWeeklyCapAndRedeemedAsBonusPoints() {
    setUp(OfferKind.BONUS_POINTS, "50", 1, null);
    enroll("c1", ADULT);
    purchase("t1", "c1", T0, line("L1", "FL-BD-35", "35.00", null));
    purchase("t2", "c1", T0.plus(Duration.ofDays(1)), line("L1", "FL-BD-35", "35.00", null));
    String offerId = io.loyalty.offers.OfferRules.offerId("greenleaf:c1", "e-t1");
    assertEquals(List.of(offerId + " ISSUED BONUS_POINTS FL-BD-35 until " + T0.plus(Duration.ofDays(14))
        + " \"because you often buy Blue Dream 3.5g\""), offerEvents(), "one a week: the second purchase makes none");
    List<NotificationRequest> messages = harness.notifications().stream()
        .filter(n -> n.getTemplate().equals("personalized_offer")).toList();
    assertEquals(1, messages.size());
    assertEquals(offerId, messages.get(0).getVariables().get("offerId"));
    assertEquals("because you often buy Blue Dream 3.5g", messages.get(0).getVariables().get("reason"));
    assertEquals("EMAIL", messages.get(0).getChannel().name());

    purchase("t3", "c1", T0.plus(Duration.ofDays(3)), line("L1", "FL-BD-35", "35.00", offerId));
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals("OFFER_BONUS 50.0000 offer " + offerId, ledger.stream().filter(e -> e.getType().name().equals("OFFER_BONUS"))
        .map(e -> e.getType() + " " + e.getDelta().toPlainString() + " " + e.getReason()).collect(Collectors.joining()));
    assertEquals(List.of(offerId + " REDEEMED BONUS_POINTS FL-BD-35 until " + T0.plus(Duration.ofDays(14))
        + " \"because you often buy Blue Dream 3.5g\" +50.0000"), offerEvents().subList(0, 1));

    purchase("t4", "c1", T0.plus(Duration.ofDays(4)), line("L1", "FL-BD-35", "35.00", offerId));
    assertEquals(List.of(offerId + " REDEMPTION_REFUSED BONUS_POINTS until " + T0.plus(Duration.ofDays(4))
        + " (offer " + offerId + " was redeemed on " + T0.plus(Duration.ofDays(3)) + ")"), offerEvents());
    CustomerInsights insights = insights("greenleaf:c1");
    assertEquals(List.of(1, 1, 0), List.of(insights.getOffersIssued(), insights.getOffersRedeemed(), insights.getOffersExpired()));
    assertEquals(java.util.Map.of("WEEKLY_CAP", 3), insights.getMarketingSuppressed(), "t2, t3 and t4 came within the week");
  }

  @Test
  void anOfferNamedAfterItsExpiryIsRefusedAndTheTimerExpiresIt() {
    setUp(OfferKind.POINTS_MULTIPLIER, "3", 1, null);
    enroll("c1", ADULT);
    purchase("t1", "c1", T0, line("L1", "FL-BD-35", "35.00", null));
    String offerId = io.loyalty.offers.OfferRules.offerId("greenleaf:c1", "e-t1");
    offerEvents();
    Instant expiry = T0.plus(Duration.ofDays(14));
    purchase("t2", "c1", expiry.plusMillis(1), line("L1", "FL-BD-35", "35.00", offerId));
    List<String> events = offerEvents();
    assertEquals(offerId + " EXPIRED POINTS_MULTIPLIER FL-BD-35 until " + expiry + " \"because you often buy Blue Dream 3.5g\"",
        events.get(0), "the account's due timer fires before its next input");
    assertEquals(offerId + " REDEMPTION_REFUSED BONUS_POINTS until " + expiry.plusMillis(1) + " (offer " + offerId
        + " was expired on " + expiry + ")", events.get(1));
  }

  @Test
  void aMultiplierAddsTheTargetedLinesPointsTimesTheFactorLessOne() {
    setUp(OfferKind.POINTS_MULTIPLIER, "3", 1, null);
    enroll("c1", ADULT);
    purchase("t1", "c1", T0, line("L1", "FL-BD-35", "35.00", null));
    String offerId = io.loyalty.offers.OfferRules.offerId("greenleaf:c1", "e-t1");
    purchase("t2", "c1", T0.plus(Duration.ofDays(2)), line("L1", "FL-BD-35", "35.00", offerId), line("L2", "AC-PAPER", "2.49", null));
    assertEquals(List.of("EARN 37.4900", "OFFER_BONUS 70.0000"), harness.ledger().stream()
        .filter(e -> e.getSourceEventId().equals("e-t2")).map(e -> e.getType() + " " + e.getDelta().toPlainString()).toList(),
        "35 points on Blue Dream, times 3 less 1");
  }

  @Test
  void theMarketingPolicyStopsOffersAndCountsThemByReason() {
    CompliancePolicy policy = CompliancePolicy.newBuilder().setMaximumDiscountPercent(new BigDecimal("20.0000")).build();
    setUp(OfferKind.PRODUCT_DISCOUNT, "25", 7, policy);
    enroll("minor", LocalDate.parse("2006-01-01"));
    enroll("unknown-age", null);
    enroll("adult", ADULT);
    purchase("t1", "minor", T0, line("L1", "FL-BD-35", "35.00", null));
    purchase("t2", "unknown-age", T0, line("L1", "FL-BD-35", "35.00", null));
    purchase("t3", "adult", T0, line("L1", "FL-BD-35", "35.00", null));
    assertEquals(List.of(), offerEvents());
    assertEquals(java.util.Map.of("UNDER_AGE", 1), insights("greenleaf:minor").getMarketingSuppressed(), "20 years old");
    assertEquals(java.util.Map.of("NO_BIRTH_DATE", 1), insights("greenleaf:unknown-age").getMarketingSuppressed());
    assertEquals(java.util.Map.of("DISCOUNT_ABOVE_MAXIMUM", 1), insights("greenleaf:adult").getMarketingSuppressed(), "25% > 20%");
    assertEquals(List.of("FL-BD-35"), recommended("greenleaf:adult"));
    assertEquals(List.of(), recommended("greenleaf:minor"), "the profile names no product to one the policy keeps from marketing");
    assertEquals(List.of(), recommended("greenleaf:unknown-age"));
  }

  private List<String> recommended(String accountKey) {
    return insights(accountKey).getRecommendedProducts().stream().map(product -> product.getSku()).toList();
  }

  @Test
  void aFreeProductIsNeverOfferedWhereThePolicyForbidsIt() {
    setUp(OfferKind.PRODUCT_DISCOUNT, "100", 7, CompliancePolicy.newBuilder().setMaximumDiscountPercent(new BigDecimal("100.0000")).build());
    enroll("adult", ADULT);
    purchase("t1", "adult", T0, line("L1", "FL-BD-35", "35.00", null));
    assertEquals(List.of(), offerEvents());
    assertEquals(java.util.Map.of("FREE_PRODUCT", 1), insights("greenleaf:adult").getMarketingSuppressed());
  }

  @Test
  void aReplenishmentOfferComesBeforeTheExpectedNextVisit() {
    setUp(OfferKind.BONUS_POINTS, "20", 2, null);
    enroll("c1", ADULT);
    purchase("t1", "c1", T0, line("L1", "FL-BD-35", "35.00", null));
    purchase("t2", "c1", T0.plus(Duration.ofDays(10)), line("L1", "FL-BD-35", "35.00", null));
    String first = io.loyalty.offers.OfferRules.offerId("greenleaf:c1", "e-t1");
    assertEquals(2, offerEvents().size(), "one offer after each purchase");
    // Every 10 days: the next visit is expected at day 20, the offer comes at day 18 (lead 2 days), by a clock tick.
    Instant due = T0.plus(Duration.ofDays(18));
    harness.tick(due.minusMillis(1));
    assertEquals(List.of(first + " EXPIRED BONUS_POINTS FL-BD-35 until " + T0.plus(Duration.ofDays(14))
        + " \"because you often buy Blue Dream 3.5g\""), offerEvents(), "the first offer's 14 days are over");
    harness.tick(due);
    List<String> events = offerEvents();
    assertEquals(1, events.size(), events.toString());
    assertEquals(events.get(0).substring(0, events.get(0).indexOf(' ')) + " ISSUED BONUS_POINTS FL-BD-35 until " + due.plus(Duration.ofDays(14))
        + " \"time to restock Blue Dream 3.5g: you usually come back every 10 days\"", events.get(0));
  }

  @Test
  void aQuarterKeptAsTheControlGroupGetsNoOfferTheSameOnReplayAndConvertsBesideTheTreated() {
    harness.program(Records.program("1").setPersonalization(new PersonalizationSettings(90, 5, 0))
        .setOffers(OfferSettings.newBuilder().setEnabled(true).setKind(OfferKind.BONUS_POINTS).setValue(new BigDecimal("50.0000"))
            .setValidDays(14).setMaxPerWeek(1).setHoldoutPercent(25).build()).build());
    SampleCatalog.products(Records.ORG, Records.PROGRAM_START).forEach(harness::product);
    List<String> customers = java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(i -> "m" + i).toList();
    customers.forEach(customer -> enroll(customer, ADULT));
    for (int i = 0; i < customers.size(); i++) {
      purchase("t-" + customers.get(i), customers.get(i), T0.plusSeconds(i), line("L1", "FL-BD-35", "35.00", null));
    }
    List<String> offered = offers.readValuesToList().stream().map(OfferEvent::getCustomerId).toList();
    List<String> heldOut = customers.stream().filter(customer -> !offered.contains(customer)).toList();
    assertEquals(List.of("m4", "m8", "m11", "m13", "m21", "m25", "m35", "m37", "m38", "m39"), heldOut,
        "40 decisions: a quarter or so kept, chosen from the account alone");
    heldOut.forEach(customer -> assertEquals(true, io.loyalty.offers.OfferRules.inControlGroup(Records.ORG + ":" + customer,
        OfferSettings.newBuilder().setHoldoutPercent(25).build()), customer));
    assertEquals(offered, harness.notifications().stream().filter(n -> n.getTemplate().equals("personalized_offer"))
        .map(NotificationRequest::getCustomerId).toList(), "only the treated are told of an offer");
    assertEquals(1, harness.customers().get("greenleaf:m4").getOffers().getHeldOut(), "the kept offer is recorded");
    assertEquals(0, harness.customers().get("greenleaf:m4").getOffers().getOpen().size());

    // Within the offers' validity every customer with an even number comes back (twice for m2, treated, and m4, kept);
    // m1 comes back after it: outside the window, and a new decision.
    customers.stream().filter(customer -> Integer.parseInt(customer.substring(1)) % 2 == 0)
        .forEach(customer -> purchase("u-" + customer, customer, T0.plus(Duration.ofDays(3)), line("L1", "FL-BD-35", "35.00", null)));
    purchase("v-m2", "m2", T0.plus(Duration.ofDays(4)), line("L1", "FL-BD-35", "35.00", null));
    purchase("v-m4", "m4", T0.plus(Duration.ofDays(4)), line("L1", "FL-BD-35", "35.00", null));
    purchase("w-m1", "m1", T0.plus(Duration.ofDays(20)), line("L1", "FL-BD-35", "35.00", null));

    io.loyalty.avro.HoldoutKpis march = harness.kpis().get("greenleaf/*/MONTH/2026-03-01").getHoldouts().get("offers");
    // Treated: 30 offers on day 0 and m1's on day 20; the 17 even ones came back (m2 twice). Control: 10, of them the
    // 3 even ones came back (m4 twice). Day 3 and 4 make no decision: the weekly cap stops the offer first.
    assertEquals(31, march.getTreated());
    assertEquals(10, march.getControl());
    assertEquals(17, march.getTreatedConverted());
    assertEquals(3, march.getControlConverted());
    assertEquals(18, march.getTreatedVisits());
    assertEquals(4, march.getControlVisits());
    assertEquals(new BigDecimal("630.00"), march.getTreatedSales());
    assertEquals(new BigDecimal("140.00"), march.getControlSales());
    assertEquals(new BigDecimal("0.5484"), march.getTreatedConversion(), "17 of 31");
    assertEquals(new BigDecimal("0.3000"), march.getControlConversion(), "3 of 10");
    assertEquals(new BigDecimal("0.2484"), march.getLift());
    // 1.96 x sqrt(.5484 x .4516 / 31 + .3 x .7 / 10) = 0.3337 either side: ten in control prove nothing yet.
    assertEquals(new BigDecimal("-0.0853"), march.getLiftLow());
    assertEquals(new BigDecimal("0.5821"), march.getLiftHigh());
    assertEquals(new BigDecimal("20.32"), march.getTreatedSalesPerDecision(), "$630 over 31");
    assertEquals(new BigDecimal("14.00"), march.getControlSalesPerDecision());

    try (TopologyHarness replay = new TopologyHarness()) {
      harness.arrivals().forEach(replay::replay);
      TestOutputTopic<String, OfferEvent> replayed = replay.driver().createOutputTopic(replay.topics.offers(),
          new StringDeserializer(), replay.serdes.serde(OfferEvent.class).deserializer());
      assertEquals(offered, replayed.readValuesToList().stream().map(OfferEvent::getCustomerId).limit(offered.size()).toList(),
          "the same customers kept on a replay");
      assertEquals(march, replay.kpis().get("greenleaf/*/MONTH/2026-03-01").getHoldouts().get("offers"));
    }
  }

  @Test
  void aReplayOfTheInputsMakesTheSameOffersLedgerAndProfiles() {
    setUp(OfferKind.POINTS_MULTIPLIER, "2", 1, null);
    enroll("c1", ADULT);
    enroll("c2", LocalDate.parse("2006-01-01"));
    purchase("t1", "c1", T0, line("L1", "FL-BD-35", "35.00", null), line("L2", "AC-PAPER", "2.49", null));
    purchase("t2", "c2", T0.plusSeconds(5), line("L1", "VP-GDP-05", "30.00", null));
    String offerId = io.loyalty.offers.OfferRules.offerId("greenleaf:c1", "e-t1");
    purchase("t3", "c1", T0.plus(Duration.ofDays(8)), line("L1", "FL-BD-35", "35.00", offerId));
    purchase("t4", "c1", T0.plus(Duration.ofDays(17)), line("L1", "FL-BD-35", "35.00", null));
    harness.tick(T0.plus(Duration.ofDays(40)));
    List<String> offersLive = offers.readValuesToList().stream().map(OfferEvent::toString).toList();
    List<String> ledgerLive = harness.ledger().stream().map(LedgerEntry::toString).toList();
    List<String> profilesLive = harness.profiles().stream().map(CustomerProfile::toString).toList();
    // After t1 (on the papers: equal weights rank by sku), refused at t3 (no papers on it), after t3 and t4, three
    // expiries; the replenishment due on day 23 falls within a week of t4's offer (the cap).
    assertEquals(7, offersLive.size(), offersLive.toString());

    try (TopologyHarness replay = new TopologyHarness()) {
      harness.arrivals().forEach(replay::replay);
      TestOutputTopic<String, OfferEvent> replayed = replay.driver().createOutputTopic(replay.topics.offers(),
          new StringDeserializer(), replay.serdes.serde(OfferEvent.class).deserializer());
      assertEquals(offersLive, replayed.readValuesToList().stream().map(OfferEvent::toString).toList());
      assertEquals(ledgerLive, replay.ledger().stream().map(LedgerEntry::toString).toList());
      assertEquals(profilesLive, replay.profiles().stream().map(CustomerProfile::toString).toList());
    }
  }
}
