package io.loyalty.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.EventContext;
import io.loyalty.accounts.Posting;
import io.loyalty.accounts.StoredLots;
import io.loyalty.avro.Channel;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferStatus;
import io.loyalty.avro.OfferTrigger;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.RewardEventType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.PendingDigest;
import io.loyalty.programs.ProgramRules;
import io.loyalty.testing.Records;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every message kind passes the marketing policy offers pass: to a customer under the policy's age or without a
 * birth date, account messages go without the products and rewards they would name, and marketing messages (an
 * offer, a campaign step) do not go at all, also when a held SMS is released after the customer became one.
 */
class MarketingPolicyTest {
  /** 12:00 in Denver, outside quiet hours. */
  private static final Instant AT = Instant.parse("2026-06-01T18:00:00Z");
  /** 22:00 in Denver, inside quiet hours (21:00 to 08:00): an SMS is held until 08:00. */
  private static final Instant NIGHT = Instant.parse("2026-06-02T04:00:00Z");
  private static final Instant MORNING = Instant.parse("2026-06-02T14:00:00Z");
  private static final ProgramRules PROGRAM = new ProgramRules(Records.program("1").setTimeZone("America/Denver").build());
  private static final LocalDate ADULT = LocalDate.of(1990, 5, 1);
  private static final LocalDate TWENTY = LocalDate.of(2006, 1, 1);
  private static final List<String> RECOMMENDED = List.of("Blue Dream 3.5g", "Gummies");

  /** Every lot stays in the account's record here. */
  private static final StoredLots NO_STORED_LOTS = new StoredLots() {
    @Override
    public Lot get(Instant earnedAt, String lotId) {
      return null;
    }

    @Override
    public void put(Lot lot) {
      throw new IllegalStateException("no lot leaves the record in this test");
    }

    @Override
    public void delete(Lot lot) {}

    @Override
    public void visitOldestFirst(Predicate<Lot> visitor) {}
  };

  /** A member who consented to email and SMS and can afford a reward. */
  private static AccountState member(LocalDate birthDate) {
    AccountState state = AccountBook.open(Records.ORG, "c1", AT);
    state.setEnrollment(EnrollmentState.ENROLLED);
    state.setEmail("ana@example.com");
    state.setEmailConsent(ChannelConsent.CONFIRMED);
    state.setPhone("+16175550100");
    state.setSmsConsent(ChannelConsent.CONFIRMED);
    state.setBirthDate(birthDate);
    state.setAffordableRewards(List.of("vip-gift"));
    return state;
  }

  private static List<NotificationRequest> pointsMessage(AccountState state, Instant at) {
    AccountBook book = new AccountBook(state, NO_STORED_LOTS, new EventContext("e1", at, "downtown", 1L, null));
    LedgerEntry earned = book.credit(Posting.of(LedgerEntryType.EARN, Records.d("30.0000"), "t1"), null, null);
    return NotificationPlanner.forPoints(state, PROGRAM, List.of(earned), RECOMMENDED);
  }

  private static RewardEvent reward(RewardEventType type, String name) {
    return RewardEvent.newBuilder().setEventId("r-" + type).setAccountKey(Records.ORG + ":c1").setOrganizationId(Records.ORG)
        .setCustomerId("c1").setType(type).setOccurredAt(AT).setRewardName(name).setTierFrom("base").setTierTo("base")
        .setDueAt(AT.plusSeconds(86_400)).setPoints(Records.d("10.0000")).setBalance(Records.d("500.0000")).setSourceEventId("e1")
        .build();
  }

  /** Template, channel and the variables that name products or rewards, per request. */
  private static List<String> named(List<NotificationRequest> requests) {
    List<String> described = new ArrayList<>();
    for (NotificationRequest request : requests) {
      Map<String, String> named = new TreeMap<>(request.getVariables());
      named.keySet().retainAll(List.of("recommendedProducts", "availableRewards", "rewardNames", "rewardCount"));
      described.add(request.getTemplate() + " " + request.getChannel() + " " + named);
    }
    return described;
  }

  @Test
  void aPointsMessageNamesProductsAndRewardsOnlyToACustomerThePolicyAllows() {
    assertEquals(List.of("points_earn EMAIL {availableRewards=vip-gift, recommendedProducts=Blue Dream 3.5g, Gummies}",
        "points_earn SMS {availableRewards=vip-gift, recommendedProducts=Blue Dream 3.5g, Gummies}"),
        named(pointsMessage(member(ADULT), AT)));
    assertEquals(List.of("points_earn EMAIL {}", "points_earn SMS {}"), named(pointsMessage(member(TWENTY), AT)),
        "20 years old, under the policy's 21: the points, no product, no reward");
    assertEquals(List.of("points_earn EMAIL {}", "points_earn SMS {}"), named(pointsMessage(member(null), AT)),
        "no birth date where the policy requires one");
  }

  @Test
  void rewardTierAndWarningMessagesNameRewardsOnlyToACustomerThePolicyAllows() {
    List<RewardEvent> events = List.of(reward(RewardEventType.REWARD_UNLOCKED, "VIP gift"),
        reward(RewardEventType.TIER_CHANGED, null), reward(RewardEventType.POINTS_EXPIRING, null),
        reward(RewardEventType.TIER_DOWNGRADE_WARNING, null));
    assertEquals(List.of("tier_changed EMAIL {availableRewards=vip-gift}", "tier_changed SMS {availableRewards=vip-gift}",
        "points_expiring EMAIL {availableRewards=vip-gift}", "points_expiring SMS {availableRewards=vip-gift}",
        "tier_downgrade_warning EMAIL {availableRewards=vip-gift}", "tier_downgrade_warning SMS {availableRewards=vip-gift}",
        "reward_unlocked EMAIL {availableRewards=vip-gift, rewardCount=1, rewardNames=VIP gift}",
        "reward_unlocked SMS {availableRewards=vip-gift, rewardCount=1, rewardNames=VIP gift}"),
        named(NotificationPlanner.forRewards(member(ADULT), PROGRAM, events)));
    assertEquals(List.of("tier_changed EMAIL {}", "tier_changed SMS {}", "points_expiring EMAIL {}", "points_expiring SMS {}",
        "tier_downgrade_warning EMAIL {}", "tier_downgrade_warning SMS {}", "reward_unlocked EMAIL {rewardCount=1}",
        "reward_unlocked SMS {rewardCount=1}"), named(NotificationPlanner.forRewards(member(TWENTY), PROGRAM, events)),
        "the account's news, told without naming what it may buy");
  }

  @Test
  void theDailyDigestNamesRewardsOnlyToACustomerThePolicyAllows() {
    Instant midnight = Instant.parse("2026-06-02T06:00:00Z");
    for (LocalDate birthDate : new LocalDate[] {ADULT, null}) {
      AccountState state = member(birthDate);
      state.setDigest(new PendingDigest((int) LocalDate.of(2026, 6, 1).toEpochDay(), Records.d("40.0000"), List.of("e1", "e2")));
      List<String> told = named(NotificationPlanner.digest(state, PROGRAM, midnight)).stream().filter(m -> m.contains("EMAIL")).toList();
      assertEquals(List.of(birthDate == null ? "points_digest EMAIL {}" : "points_digest EMAIL {availableRewards=vip-gift}"), told);
    }
  }

  @Test
  void aHeldSmsIsToldAsThePolicyAllowsWhenQuietHoursEnd() {
    // A 19-year-old medical patient (18 is the patients' age) whose card is valid through June 1.
    AccountState state = member(LocalDate.of(2007, 1, 1));
    state.setMedicalCardExpiresOn(LocalDate.of(2026, 6, 1));
    state.setEmailConsent(ChannelConsent.NONE);
    List<NotificationRequest> atNight = new ArrayList<>(pointsMessage(state, NIGHT));
    atNight.addAll(NotificationPlanner.forOffer(state, PROGRAM, offer(NIGHT), RECOMMENDED).orElseThrow());
    assertEquals(List.of(), atNight, "22:00 on June 1: SMS only, held until 08:00");
    AccountState renewed = AccountState.newBuilder(state).setMedicalCardExpiresOn(LocalDate.of(2027, 6, 1)).build();
    assertEquals(List.of("points_earn SMS {availableRewards=vip-gift, recommendedProducts=Blue Dream 3.5g, Gummies}",
        "personalized_offer SMS {availableRewards=vip-gift, recommendedProducts=Blue Dream 3.5g, Gummies}"),
        named(NotificationPlanner.releaseHeldSms(renewed, PROGRAM, MORNING)), "card renewed: still a patient in the morning");
    assertEquals(List.of("points_earn SMS {}"), named(NotificationPlanner.releaseHeldSms(state, PROGRAM, MORNING)),
        "the card expired overnight: a 19-year-old who is no patient; the offer is dropped, the points told without products");
    assertEquals(List.of(), state.getHeldSms());
  }

  private static OfferEvent offer(Instant at) {
    return OfferEvent.newBuilder().setEventId("o1").setOfferId("OF-1").setAccountKey(Records.ORG + ":c1")
        .setOrganizationId(Records.ORG).setCustomerId("c1").setStatus(OfferStatus.ISSUED).setKind(OfferKind.BONUS_POINTS)
        .setTrigger(OfferTrigger.AFTER_PURCHASE).setValue(Records.d("20.0000")).setValidFrom(at).setValidUntil(at.plusSeconds(86_400 * 7))
        .setReason("because you often buy Blue Dream 3.5g").setOccurredAt(at).setSourceEventId("e1").build();
  }

  @Test
  void aCampaignStepIsNotSentToACustomerThePolicyKeepsFromMarketing() {
    assertEquals(List.of("spring EMAIL {availableRewards=vip-gift}"), named(NotificationPlanner.forWorkflow(member(ADULT), PROGRAM,
        Channel.EMAIL, "a1", "spring", Map.of(), AT, "e1", false).requests()));
    for (LocalDate birthDate : new LocalDate[] {TWENTY, null}) {
      NotificationPlanner.WorkflowMessage message = NotificationPlanner.forWorkflow(member(birthDate), PROGRAM, Channel.EMAIL, "a1",
          "spring", Map.of(), AT, "e1", false);
      assertEquals(List.of(), message.requests());
      assertEquals(NotificationPlanner.SKIPPED_COMPLIANCE, message.skipped());
    }
  }
}
