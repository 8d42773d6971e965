package io.loyalty.reversal;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.LotKey;
import io.loyalty.accounts.Amounts;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.LineRecord;
import io.loyalty.avro.state.LotUse;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.earning.ProRata;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramRules;
import io.loyalty.tiers.TierRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Returns and voids, from the record of what the purchase did (never recomputed from today's rules). A return
 * takes back each returned line's points and spend, and gives back its share of the redeemed points, in
 * proportion to the quantity returned; the return that completes a line takes exactly what is left, so
 * several partial returns never take more than the line earned. A void does the same for everything left.
 * Redeemed points go back first (into the lots they came from, with their ages), then earned points are taken
 * back from the purchase's own lot first, under the program's negative-balance policy.
 */
public final class ReversalRules {
  private ReversalRules() {}

  public static Optional<Violation> apply(AccountBook book, TransactionEvent reversal, TransactionRecord original,
      ProgramRules program) {
    if (original.getVoided()) {
      return violation("transaction " + original.getTransactionId() + " was voided by an earlier event");
    }
    if (original.getReturnWindowEndsAt() != null && reversal.getOccurredAt().isAfter(original.getReturnWindowEndsAt())) {
      return Optional.of(new Violation(RejectionReason.RETURN_WINDOW_CLOSED, "transaction " + original.getTransactionId()
          + " of " + original.getOccurredAt() + " could be returned or voided until " + original.getReturnWindowEndsAt()
          + " (the program's return window); nothing changed"));
    }
    Map<String, BigDecimal> quantities = new HashMap<>();
    if (reversal.getType() == TransactionType.VOID) {
      original.getLines().forEach(line -> quantities.put(line.getLineId(), line.getQuantity().subtract(line.getReturnedQuantity())));
    } else {
      for (TransactionLine returned : reversal.getLines()) {
        LineRecord line = line(original, returned.getLineId());
        if (line == null) {
          return violation("line " + returned.getLineId() + " is not in transaction " + original.getTransactionId());
        }
        BigDecimal left = line.getQuantity().subtract(line.getReturnedQuantity());
        if (returned.getQuantity().compareTo(left) > 0) {
          return violation("line " + returned.getLineId() + ": returning " + returned.getQuantity().toPlainString()
              + " but only " + left.toPlainString() + " of " + line.getQuantity().toPlainString() + " are left");
        }
        quantities.put(line.getLineId(), returned.getQuantity());
      }
      if (quantities.isEmpty()) {
        return violation("return without lines");
      }
    }

    BigDecimal points = BigDecimal.ZERO;
    BigDecimal spend = BigDecimal.ZERO;
    BigDecimal refund = BigDecimal.ZERO;
    BigDecimal refundedBefore = BigDecimal.ZERO;
    List<LineRecord> lines = new ArrayList<>();
    for (LineRecord line : original.getLines()) {
      refundedBefore = refundedBefore.add(line.getRefunded());
      BigDecimal quantity = quantities.getOrDefault(line.getLineId(), BigDecimal.ZERO);
      LineRecord updated = LineRecord.newBuilder(line).build();
      if (quantity.signum() > 0) {
        BigDecimal returnedAfter = line.getReturnedQuantity().add(quantity);
        boolean closes = returnedAfter.compareTo(line.getQuantity()) == 0;
        BigDecimal linePoints = share(line.getPoints(), line.getReversedPoints(), quantity, line.getQuantity(), closes, Amounts.POINTS_SCALE);
        BigDecimal lineSpend = share(line.getSpend(), line.getReversedSpend(), quantity, line.getQuantity(), closes, Amounts.MONEY_SCALE);
        BigDecimal lineRefund = share(line.getRedeemed(), line.getRefunded(), quantity, line.getQuantity(), closes, Amounts.POINTS_SCALE);
        updated.setReturnedQuantity(returnedAfter.setScale(3));
        updated.setReversedPoints(Amounts.points(line.getReversedPoints().add(linePoints)));
        updated.setReversedSpend(Amounts.money(line.getReversedSpend().add(lineSpend)));
        updated.setRefunded(Amounts.points(line.getRefunded().add(lineRefund)));
        points = points.add(linePoints);
        spend = spend.add(lineSpend);
        refund = refund.add(lineRefund);
      }
      lines.add(updated);
    }
    original.setLines(lines);

    AccountState state = book.state();
    boolean isVoid = reversal.getType() == TransactionType.VOID;
    if (isVoid) {
      original.setVoided(true);
      state.setVisits(Math.max(0, state.getVisits() - 1));
    }
    TierRules.count(state, program, original.getOccurredAt(), spend.negate(), points.negate());
    // The reversal's spend and points leave the lifetime figures with its reversal entry, or without one.
    Posting.Lifetime lifetime = new Posting.Lifetime(spend.negate(), points.negate());
    String reason = (isVoid ? "void " : "return ") + reversal.getTransactionId();
    if (refund.signum() > 0) {
      book.refund(Posting.of(LedgerEntryType.REDEMPTION_REFUND, refund, original.getTransactionId()).withReason(reason),
          refundSegments(original.getConsumedLots(), refundedBefore, refund));
    }
    if (points.signum() > 0) {
      ShortfallPolicy policy = ShortfallPolicy.apply(program.negativeBalancePolicy(), Amounts.points(points), book.balance());
      state.setDebt(Amounts.points(state.getDebt().add(policy.newDebt())));
      book.debit(Posting.of(isVoid ? LedgerEntryType.VOID_REVERSAL : LedgerEntryType.RETURN_REVERSAL,
              policy.debit().negate(), original.getTransactionId())
          .withSpendBasis(Amounts.money(spend))
          .withReason(reason)
          .withShortfall(policy.shortfall().signum() > 0 ? policy.shortfall() : null)
          .withLifetime(lifetime),
          original.getEarnLotId() == null ? null : new LotKey(original.getEarnLotId(), original.getEarnLotEarnedAt()), false);
    } else {
      book.countLifetime(lifetime);
    }
    book.touch();
    return Optional.empty();
  }

  /** The part of a line's amount a reversal of {@code quantity} takes; the closing one takes the rest exactly. */
  private static BigDecimal share(BigDecimal amount, BigDecimal alreadyTaken, BigDecimal quantity, BigDecimal lineQuantity,
      boolean closes, int scale) {
    BigDecimal left = amount.subtract(alreadyTaken);
    if (closes) {
      return left;
    }
    return ProRata.portion(amount, quantity, lineQuantity, scale).min(left);
  }

  /** Refunds go back into the consumed lots from the last one taken, after what earlier refunds gave back. */
  static List<LotUse> refundSegments(List<LotUse> consumed, BigDecimal alreadyRefunded, BigDecimal amount) {
    List<LotUse> segments = new ArrayList<>();
    BigDecimal skip = alreadyRefunded;
    BigDecimal left = amount;
    for (int i = consumed.size() - 1; i >= 0 && left.signum() > 0; i--) {
      LotUse use = consumed.get(i);
      BigDecimal available = use.getPoints();
      BigDecimal skipped = available.min(skip);
      skip = skip.subtract(skipped);
      available = available.subtract(skipped);
      BigDecimal taken = available.min(left);
      if (taken.signum() > 0) {
        segments.add(new LotUse(use.getLotId(), Amounts.points(taken), use.getEarnedAt(), use.getExpiresAt()));
        left = left.subtract(taken);
      }
    }
    return segments;
  }

  private static LineRecord line(TransactionRecord record, String lineId) {
    return record.getLines().stream().filter(line -> line.getLineId().equals(lineId)).findFirst().orElse(null);
  }

  private static Optional<Violation> violation(String message) {
    return Optional.of(new Violation(RejectionReason.RETURN_EXCEEDS_ORIGINAL, message));
  }
}
