package io.loyalty.notifications;

import io.loyalty.accounts.AccountKey;
import io.loyalty.accounts.Membership;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.PendingDigest;
import io.loyalty.avro.state.Timer;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.notifications.Recipients.Recipient;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a customer is told about a change of their account, and on which channels. Loyalty messages go to
 * members only, on channels they consented to: every points change (earned, redeemed, returned, adjusted,
 * boosted, expired), a tier change, rewards unlocked, and the warnings before points expire or a tier drops.
 * Requests carry the variables a template needs; amounts are plain decimals, dates ISO dates in the program's
 * time zone.
 */
public final class NotificationPlanner {
  public static final String SMS_OPT_IN_TEMPLATE = "sms_opt_in_confirmation";
  public static final String DIGEST_TEMPLATE = "points_digest";

  private NotificationPlanner() {}

  /**
   * One message per change, whatever number of entries it wrote; its template names the entry type when all
   * entries share one (points_earn, points_expiry...), else points_changed.
   */
  /**
   * @param recommended names of the customer's recommended products, told with the points (none, or a customer the
   *     marketing policy keeps from marketing: left out)
   */
  public static List<NotificationRequest> forPoints(AccountState state, ProgramRules program, List<LedgerEntry> entries,
      List<String> recommended) {
    BigDecimal delta = entries.stream().map(LedgerEntry::getDelta).reduce(BigDecimal.ZERO, BigDecimal::add);
    List<Recipient> recipients = loyaltyRecipients(state, program);
    if (recipients.isEmpty() || entries.stream().allMatch(entry -> entry.getDelta().signum() == 0)) {
      return List.of();
    }
    LedgerEntry first = entries.get(0);
    if (!DailyCap.admits(state, program, first.getOccurredAt())) {
      DailyCap.fold(state, program, first.getOccurredAt(), delta, first.getSourceEventId());
      return List.of();
    }
    boolean oneType = entries.stream().allMatch(entry -> entry.getType() == first.getType());
    String template = oneType ? "points_" + first.getType().name().toLowerCase() : "points_changed";
    boolean mayMarket = MarketingContent.allowed(state, program, first.getOccurredAt());
    Map<String, String> variables = common(state, program, mayMarket);
    variables.put("pointsDelta", plain(delta));
    if (mayMarket && !recommended.isEmpty()) {
      variables.put(MarketingContent.RECOMMENDED_PRODUCTS, String.join(", ", recommended.subList(0, Math.min(3, recommended.size()))));
    }
    if (first.getTransactionId() != null) {
      variables.put("transactionId", first.getTransactionId());
    }
    return Dispatcher.send(state, program, new Message(idBase(state, first.getSourceEventId(), template), template, variables,
        first.getOccurredAt(), List.of(first.getSourceEventId()), false), recipients);
  }

  /** Tier changes and warnings one by one; the rewards one change unlocked in one message. */
  public static List<NotificationRequest> forRewards(AccountState state, ProgramRules program, List<RewardEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    List<Recipient> recipients = loyaltyRecipients(state, program);
    List<NotificationRequest> requests = new ArrayList<>();
    if (recipients.isEmpty()) {
      return requests;
    }
    List<RewardEvent> unlocked = new ArrayList<>();
    for (RewardEvent event : events) {
      Map<String, String> variables = common(state, program, MarketingContent.allowed(state, program, event.getOccurredAt()));
      String template;
      switch (event.getType()) {
        case TIER_CHANGED -> {
          template = "tier_changed";
          variables.put("previousTier", tierName(event.getTierFrom(), program));
          variables.put("reason", event.getReason() == null ? "" : event.getReason());
        }
        case TIER_DOWNGRADE_WARNING -> {
          template = "tier_downgrade_warning";
          variables.put("nextTier", tierName(event.getTierTo(), program));
          variables.put("downgradeDate", date(event.getDueAt(), program));
        }
        case POINTS_EXPIRING -> {
          template = "points_expiring";
          variables.put("pointsExpiring", plain(event.getPoints() == null ? state.getBalance() : event.getPoints()));
          variables.put("expiryDate", date(event.getDueAt(), program));
        }
        case REWARD_UNLOCKED -> {
          unlocked.add(event);
          continue;
        }
        default -> {
          continue;
        }
      }
      requests.addAll(Dispatcher.send(state, program, new Message(event.getEventId() + "/" + template, template,
          variables, event.getOccurredAt(), List.of(event.getSourceEventId()), false), recipients));
    }
    if (!unlocked.isEmpty()) {
      RewardEvent first = unlocked.get(0);
      boolean mayMarket = MarketingContent.allowed(state, program, first.getOccurredAt());
      Map<String, String> variables = common(state, program, mayMarket);
      variables.put("rewardCount", Integer.toString(unlocked.size()));
      if (mayMarket) {
        variables.put(MarketingContent.REWARD_NAMES, unlocked.stream().map(RewardEvent::getRewardName).collect(Collectors.joining(", ")));
      }
      requests.addAll(Dispatcher.send(state, program, new Message(first.getEventId() + "/reward_unlocked",
          "reward_unlocked", variables, first.getOccurredAt(), List.of(first.getSourceEventId()), false), recipients));
    }
    return requests;
  }

  /** The day's folded points changes, when the day ends. */
  public static List<NotificationRequest> digest(AccountState state, ProgramRules program, Instant dueAt) {
    PendingDigest digest = DailyCap.take(state);
    List<Recipient> recipients = loyaltyRecipients(state, program);
    if (digest == null || recipients.isEmpty()) {
      return List.of();
    }
    Map<String, String> variables = common(state, program, MarketingContent.allowed(state, program, dueAt));
    variables.put("pointsDelta", plain(digest.getPointsDelta()));
    variables.put("eventCount", Integer.toString(digest.getSourceEventIds().size()));
    // Named after its day and first folded event: a late event can fold into a day whose digest went out.
    String cause = "digest-" + date(dueAt.minusMillis(1), program) + "-" + digest.getSourceEventIds().get(0);
    return Dispatcher.send(state, program, new Message(idBase(state, cause, DIGEST_TEMPLATE),
        DIGEST_TEMPLATE, variables, dueAt, digest.getSourceEventIds(), false), recipients);
  }

  /**
   * SMS held through quiet hours, at their end: loyalty messages if the customer still is a member and still
   * consents, the opt-in confirmation if it is still awaited; and what is marketing only if the marketing policy
   * still allows it then (a medical card may have expired, a birth date been corrected meanwhile).
   */
  public static List<NotificationRequest> releaseHeldSms(AccountState state, ProgramRules program, Instant dueAt) {
    boolean member = Membership.isMember(state, program);
    boolean mayMarket = MarketingContent.allowed(state, program, dueAt);
    return Dispatcher.release(state, dueAt, held -> state.getPhone() != null
        && (held.getTemplate().equals(SMS_OPT_IN_TEMPLATE)
            ? state.getSmsConsent() == ChannelConsent.AWAITING_CONFIRMATION
            : member && state.getSmsConsent() == ChannelConsent.CONFIRMED && (mayMarket || !held.getMarketing())),
        variables -> MarketingContent.told(variables, mayMarket));
  }

  /** An SMS grant asks the customer to confirm by replying YES; it is a consent message, sent to non-members too. */
  public static List<NotificationRequest> afterConsentChange(AccountState state, ProgramRules program, ChangeConsent change,
      Instant at, String commandId) {
    if (change.getChannel() != Channel.SMS || change.getAction() != ConsentAction.GRANT
        || state.getSmsConsent() != ChannelConsent.AWAITING_CONFIRMATION) {
      return List.of();
    }
    return Dispatcher.send(state, program, new Message(idBase(state, commandId, SMS_OPT_IN_TEMPLATE), SMS_OPT_IN_TEMPLATE,
        new LinkedHashMap<>(), at, List.of(commandId), false), List.of(new Recipient(Channel.SMS, state.getPhone())));
  }

  public static final String OFFER_TEMPLATE = "personalized_offer";

  /**
   * A personalized offer, to the channels the customer consented to, after quiet hours. The caller has applied
   * the marketing policy (age); the daily cap counts it like a points message, and beyond the cap it is not sent
   * (the offer stays on the profile and at the register): returns empty then.
   */
  public static Optional<List<NotificationRequest>> forOffer(AccountState state, ProgramRules program, OfferEvent offer,
      List<String> recommendedNames) {
    List<Recipient> recipients = loyaltyRecipients(state, program);
    if (recipients.isEmpty()) {
      return Optional.of(List.of());
    }
    if (!DailyCap.admits(state, program, offer.getOccurredAt())) {
      return Optional.empty();
    }
    Map<String, String> variables = common(state, program, true);
    variables.put("offerId", offer.getOfferId());
    variables.put("offerKind", offer.getKind().name());
    variables.put("offerValue", plain(offer.getValue()));
    variables.put("validUntil", date(offer.getValidUntil(), program));
    variables.put("reason", offer.getReason());
    variables.put(MarketingContent.RECOMMENDED_PRODUCTS, String.join(", ", recommendedNames));
    return Optional.of(Dispatcher.send(state, program, new Message(idBase(state, offer.getOfferId(), OFFER_TEMPLATE), OFFER_TEMPLATE,
        variables, offer.getOccurredAt(), List.of(offer.getSourceEventId()), true), recipients));
  }

  /** A workflow message, or why it was not requested: CONSENT, COMPLIANCE (the marketing policy) or CAP (the daily cap). */
  public record WorkflowMessage(List<NotificationRequest> requests, String skipped) {}

  public static final String SKIPPED_CONSENT = "CONSENT";
  public static final String SKIPPED_COMPLIANCE = "COMPLIANCE";
  public static final String SKIPPED_CAP = "CAP";

  /**
   * A campaign workflow's message on one channel: to members who consented to it and have its address, that the
   * marketing policy allows (age, birth date), within the channel's frequency cap or, on a channel without one, the
   * daily cap points messages share (a transactional workflow's within none); SMS after quiet hours. The request id
   * is the action id and the channel, so a replay requests the same message.
   */
  public static WorkflowMessage forWorkflow(AccountState state, ProgramRules program, Channel channel, String actionId,
      String template, Map<String, String> stepVariables, Instant at, String cause, boolean transactional) {
    Optional<String> unreachable = unreachable(state, program, channel, at);
    if (unreachable.isPresent()) {
      return new WorkflowMessage(List.of(), unreachable.get());
    }
    if (!transactional && !ChannelCaps.of(program, channel).map(cap -> ChannelCaps.admits(state, program, cap, at))
        .orElseGet(() -> DailyCap.admits(state, program, at))) {
      return new WorkflowMessage(List.of(), SKIPPED_CAP);
    }
    Map<String, String> variables = common(state, program, true);
    variables.putAll(stepVariables);
    return new WorkflowMessage(Dispatcher.send(state, program, new Message(actionId, template, variables, at, List.of(cause), true),
        List.of(new Recipient(channel, Recipients.address(state, channel)))), null);
  }

  /**
   * Why a campaign message on this channel cannot reach the customer at this time, if it cannot: CONSENT (not a
   * member, no address, no confirmed consent) or COMPLIANCE (the marketing policy). The caps aside: an audience
   * preview counts who can be reached at all.
   */
  public static Optional<String> unreachable(AccountState state, ProgramRules program, Channel channel, Instant at) {
    if (!Membership.isMember(state, program) || Recipients.address(state, channel) == null
        || ConsentRules.consent(state, channel) != ChannelConsent.CONFIRMED) {
      return Optional.of(SKIPPED_CONSENT);
    }
    return MarketingContent.allowed(state, program, at) ? Optional.empty() : Optional.of(SKIPPED_COMPLIANCE);
  }

  private static List<Recipient> loyaltyRecipients(AccountState state, ProgramRules program) {
    return Membership.isMember(state, program) ? Recipients.consented(state) : List.of();
  }

  /** @param mayMarket whether the marketing policy allows naming the rewards the customer can afford */
  private static Map<String, String> common(AccountState state, ProgramRules program, boolean mayMarket) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (state.getFirstName() != null) {
      variables.put("firstName", state.getFirstName());
    }
    variables.put("balance", plain(state.getBalance()));
    variables.put("tier", tierName(state.getTier(), program));
    if (mayMarket && !state.getAffordableRewards().isEmpty()) {
      variables.put(MarketingContent.AVAILABLE_REWARDS, String.join(", ", state.getAffordableRewards()));
    }
    state.getTimers().stream()
        .filter(timer -> timer.getKind() == TimerKind.INACTIVITY_EXPIRY || timer.getKind() == TimerKind.LOT_EXPIRY)
        .map(Timer::getDueAt).min(Instant::compareTo)
        .ifPresent(due -> variables.put("expiryDate", date(due, program)));
    return variables;
  }

  private static String tierName(String tierId, ProgramRules program) {
    return program.config().getTiers().stream().filter(tier -> tier.getTierId().equals(tierId))
        .map(TierDefinition::getName).findFirst().orElse(tierId == null ? "" : tierId);
  }

  private static String idBase(AccountState state, String cause, String template) {
    return AccountKey.of(state.getOrganizationId(), state.getCustomerId()) + "/" + cause + "/" + template;
  }

  private static String plain(BigDecimal amount) {
    return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
  }

  private static String date(Instant at, ProgramRules program) {
    return at.atZone(program.zone()).toLocalDate().toString();
  }
}
