package io.loyalty.adjustments;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.Amounts;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.AdjustPoints;
import io.loyalty.avro.AdjustmentReason;
import io.loyalty.avro.BoostPoints;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.programs.ProgramRules;
import io.loyalty.timers.Timers;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Manual adjustments and promotional boosts. An adjustment is a signed delta (never a new total) with one of
 * the program's configured reasons; above the program's approval limit it needs the approving manager.
 * A positive adjustment whose reason has expiration days creates a lot that expires after them. A negative
 * adjustment cannot take more than the balance. A boost grants points once per boost id and account. Neither
 * counts as earning: lifetime earned (the tier basis) is left alone. The ledger's reason, actor and
 * approvedBy fields rebuild the adjustments report.
 */
public final class AdjustmentRules {
  private AdjustmentRules() {}

  public static CommandOutcome adjust(AccountBook book, AdjustPoints adjustment, ProgramRules program) {
    Optional<AdjustmentReason> reason = program.adjustmentReason(adjustment.getReason());
    if (reason.isEmpty()) {
      return CommandOutcome.refused("UNKNOWN_REASON", "adjustment reason '" + adjustment.getReason() + "' is not configured");
    }
    BigDecimal delta = adjustment.getDelta();
    if (delta.signum() == 0) {
      return CommandOutcome.refused("INVALID_REQUEST", "an adjustment needs a non-zero delta");
    }
    BigDecimal limit = program.config().getAdjustmentApprovalLimit();
    if (limit != null && delta.abs().compareTo(limit) > 0 && isBlank(adjustment.getApprovedBy())) {
      return CommandOutcome.refused("APPROVAL_REQUIRED", "adjusting " + delta.toPlainString()
          + " points exceeds the limit " + limit.toPlainString() + " and needs approvedBy");
    }
    Posting posting = Posting.of(LedgerEntryType.ADJUSTMENT, delta, null)
        .withReason(adjustment.getNote() == null ? reason.get().getName() : reason.get().getName() + ": " + adjustment.getNote())
        .withApprovedBy(adjustment.getApprovedBy());
    if (delta.signum() < 0) {
      if (delta.negate().compareTo(book.balance()) > 0) {
        return CommandOutcome.refused("INSUFFICIENT_POINTS", "removing " + delta.negate().toPlainString()
            + " points but the balance is " + book.balance().toPlainString());
      }
      book.debit(posting, null, false);
    } else {
      Instant expiresAt = Optional.ofNullable(reason.get().getExpirationDays())
          .map(days -> book.now().plus(Duration.ofDays(days))).orElse(null);
      LedgerEntry entry = book.credit(posting, null, expiresAt);
      scheduleExpiry(book.state(), entry, expiresAt);
    }
    book.touch();
    return CommandOutcome.applied();
  }

  public static CommandOutcome boost(AccountBook book, BoostPoints boost) {
    AccountState state = book.state();
    if (boost.getPoints().signum() <= 0) {
      return CommandOutcome.refused("INVALID_REQUEST", "a boost grants positive points");
    }
    if (state.getBoosts().contains(boost.getBoostId())) {
      return CommandOutcome.refused("DUPLICATE_BOOST", "boost " + boost.getBoostId() + " was already granted");
    }
    List<String> boosts = new ArrayList<>(state.getBoosts());
    boosts.add(boost.getBoostId());
    state.setBoosts(boosts);
    book.credit(Posting.of(LedgerEntryType.BOOST, Amounts.points(boost.getPoints()), null)
        .withReason(boost.getReason() == null ? boost.getBoostId() : boost.getBoostId() + ": " + boost.getReason()), null, null);
    book.touch();
    return CommandOutcome.applied();
  }

  private static void scheduleExpiry(AccountState state, LedgerEntry entry, Instant expiresAt) {
    if (expiresAt != null && !entry.getLots().isEmpty()) {
      Timers.schedule(state, TimerKind.LOT_EXPIRY, entry.getLots().get(0).getLotId(), expiresAt);
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
