package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.state.Timer;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.expiry.InactivityExpiry;
import io.loyalty.expiry.LotExpiry;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.programs.ProgramRules;
import io.loyalty.redemption.HoldRules;
import io.loyalty.tiers.TierRules;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What each kind of account timer does when it falls due, one entry per kind naming the capability that sets it,
 * so the account path fires a timer without knowing its kind. Kinds without an entry (a tier year end, pending
 * points becoming available) only make the account change: it is re-assessed and published like any change.
 */
final class AccountTimers {
  /** A due timer of an account, its book for the change, and the program in force at its due time (if any). */
  record Due(Account account, Timer timer, AccountBook book, Optional<ProgramRules> program, String cause, long timestamp) {}

  /** What firing a timer tells the customer. */
  record Fired(List<RewardEvent> rewards, List<NotificationRequest> notifications) {
    static final Fired NOTHING = new Fired(List.of(), List.of());

    static Fired reward(Optional<RewardEvent> reward) {
      return new Fired(reward.stream().toList(), List.of());
    }

    static Fired notifications(Optional<List<NotificationRequest>> requests) {
      return new Fired(List.of(), requests.orElse(List.of()));
    }
  }

  private final Map<TimerKind, Function<Due, Fired>> byKind = new EnumMap<>(TimerKind.class);

  /**
   * @param reversalGraceEnded what becomes of the returns and voids that waited for their purchase in vain
   * @param reactions the capabilities, for their own (CAPABILITY) timers
   */
  AccountTimers(BiConsumer<Account, Timer> reversalGraceEnded, List<Reaction> reactions) {
    // Redemption: a hold not committed in time gives its points back.
    byKind.put(TimerKind.HOLD_EXPIRY, due -> {
      HoldRules.expire(due.account().state, due.timer().getRef());
      return Fired.NOTHING;
    });
    byKind.put(TimerKind.REVERSAL_GRACE, due -> {
      reversalGraceEnded.accept(due.account(), due.timer());
      return Fired.NOTHING;
    });
    // Expiry: a lot's deadline, the account's inactivity, and the warning before it.
    byKind.put(TimerKind.LOT_EXPIRY, due -> {
      LotExpiry.expire(due.book(), due.timer().getRef());
      return Fired.NOTHING;
    });
    byKind.put(TimerKind.INACTIVITY_EXPIRY, due -> Fired.reward(due.program()
        .flatMap(rules -> InactivityExpiry.expire(due.book(), rules, due.timer().getDueAt()))));
    byKind.put(TimerKind.EXPIRY_WARNING, due -> Fired.reward(due.program()
        .flatMap(rules -> InactivityExpiry.warn(due.account().state, rules, due.timer().getDueAt(), due.cause()))));
    // Tiers: the warning before a downgrade.
    byKind.put(TimerKind.TIER_DOWNGRADE_WARNING, due -> Fired.reward(due.program()
        .flatMap(rules -> TierRules.warn(due.account().state, rules, due.timer().getDueAt(), due.cause()))));
    // Notifications: the digest of small changes, and SMS held through quiet hours.
    byKind.put(TimerKind.NOTIFICATION_DIGEST, due -> Fired.notifications(due.program()
        .map(rules -> NotificationPlanner.digest(due.account().state, rules, due.timer().getDueAt()))));
    byKind.put(TimerKind.SMS_RELEASE, due -> Fired.notifications(due.program()
        .map(rules -> NotificationPlanner.releaseHeldSms(due.account().state, rules, due.timer().getDueAt()))));
    // The reactions' own timers: each acts on the refs it scheduled.
    byKind.put(TimerKind.CAPABILITY, due -> {
      due.program().ifPresent(rules -> reactions.forEach(reaction -> reaction.due(due.account().key, due.timer().getRef(), due.book(),
          rules, due.timestamp())));
      return Fired.NOTHING;
    });
  }

  Fired fire(Due due) {
    return byKind.getOrDefault(due.timer().getKind(), ignored -> Fired.NOTHING).apply(due);
  }
}
