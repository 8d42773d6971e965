package io.loyalty.expiry;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.RewardEvents;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.RewardEventType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.programs.ProgramRules;
import io.loyalty.timers.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Inactivity expiry: the whole balance expires {@code inactivityExpiryDays} after the customer's last purchase
 * (their first event if they never bought). Not retroactive: the days are counted from the later of the last
 * purchase and the effective time of the program version in force, so configuring it never expires balances
 * at once. A warning is due {@code expiryWarningDays} before. Both are timers, so inactive customers expire too.
 */
public final class InactivityExpiry {
  private static final String REF = "balance";

  private InactivityExpiry() {}

  /** Keeps the account's expiry and warning timers in line with its last purchase and the program. */
  public static void schedule(AccountState state, ProgramRules program) {
    // Only a future expiry is planned: once it is past, the balance expired (or came after it) and waits for
    // the next purchase to start a new period; this also keeps a fired timer from being planned again at once.
    Optional<Instant> due = due(state, program).filter(time -> time.isAfter(state.getClock()));
    if (due.isEmpty()) {
      Timers.cancel(state, TimerKind.INACTIVITY_EXPIRY, REF);
      Timers.cancel(state, TimerKind.EXPIRY_WARNING, REF);
      return;
    }
    Timers.schedule(state, TimerKind.INACTIVITY_EXPIRY, REF, due.get());
    Instant warning = due.get().minus(Duration.ofDays(program.config().getExpiryWarningDays()));
    if (warning.isAfter(state.getClock()) && state.getBalance().signum() > 0) {
      Timers.schedule(state, TimerKind.EXPIRY_WARNING, REF, warning);
    } else {
      Timers.cancel(state, TimerKind.EXPIRY_WARNING, REF);
    }
  }

  /** The expiry timer fired: if the customer is still inactive, the whole positive balance expires. */
  public static Optional<RewardEvent> expire(AccountBook book, ProgramRules program, Instant dueAt) {
    AccountState state = book.state();
    Optional<Instant> due = due(state, program);
    if (due.isEmpty() || due.get().isAfter(dueAt) || state.getBalance().signum() <= 0) {
      return Optional.empty();
    }
    book.debit(Posting.of(LedgerEntryType.EXPIRY, state.getBalance().negate(), null)
        .withReason("inactive since " + lastActivity(state)), null, false);
    book.touch();
    return Optional.of(event(state, RewardEventType.POINTS_EXPIRED, book.entries().get(book.entries().size() - 1).getDelta().negate(),
        dueAt, dueAt, "no purchase for " + program.config().getInactivityExpiryDays() + " days", book.context().sourceEventId()));
  }

  /** The warning timer fired: tells how many points expire when, if that is still the plan. */
  public static Optional<RewardEvent> warn(AccountState state, ProgramRules program, Instant warnedAt, String cause) {
    return due(state, program).filter(due -> state.getBalance().signum() > 0).map(due -> event(state,
        RewardEventType.POINTS_EXPIRING, state.getBalance(), warnedAt, due, "no purchase since " + lastActivity(state), cause));
  }

  private static Optional<Instant> due(AccountState state, ProgramRules program) {
    Integer days = program.config().getInactivityExpiryDays();
    if (days == null) {
      return Optional.empty();
    }
    Instant configured = program.config().getEffectiveFrom();
    Instant base = lastActivity(state).isAfter(configured) ? lastActivity(state) : configured;
    return Optional.of(base.plus(Duration.ofDays(days)));
  }

  private static Instant lastActivity(AccountState state) {
    return state.getLastPurchaseAt() != null ? state.getLastPurchaseAt() : state.getFirstSeenAt();
  }

  private static RewardEvent event(AccountState state, RewardEventType type, java.math.BigDecimal points, Instant at,
      Instant dueAt, String reason, String cause) {
    return RewardEvents.of(state, type, at, cause + "/" + type.name(), cause)
        .setPoints(points)
        .setDueAt(dueAt)
        .setReason(reason)
        .build();
  }
}
