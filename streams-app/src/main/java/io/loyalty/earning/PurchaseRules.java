package io.loyalty.earning;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.Amounts;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * A purchase on an account: the points the POS redeemed are debited first (never below zero), then points
 * are earned on the eligible spend at the location's accrual rate. No accrual rate: nothing is earned (a
 * documented no-op), while spend and visits still count.
 */
public final class PurchaseRules {
  private PurchaseRules() {}

  /** Applies the purchase to the book, or says why it cannot be applied (the book is then untouched). */
  public static Optional<Violation> apply(AccountBook book, TransactionEvent purchase, ProgramRules program) {
    BigDecimal redeemed = Amounts.points(purchase.getRedemptions().stream()
        .map(PointRedemption::getPoints)
        .reduce(BigDecimal.ZERO, BigDecimal::add));
    if (redeemed.compareTo(book.balance()) > 0) {
      return Optional.of(new Violation(RejectionReason.INSUFFICIENT_POINTS, "purchase redeems " + redeemed.toPlainString()
          + " points but the balance is " + book.balance().toPlainString()));
    }
    BigDecimal spend = Accrual.eligibleSpend(purchase);
    AccountState state = book.state();
    state.setLifetimeSpend(Amounts.money(state.getLifetimeSpend().add(spend)));
    state.setVisits(state.getVisits() + 1);
    state.setLastPurchaseAt(purchase.getOccurredAt());
    if (redeemed.signum() > 0) {
      book.post(LedgerEntryType.REDEEM, redeemed.negate(), purchase.getTransactionId(), null);
    }
    boolean earns = redeemed.signum() == 0 || program.config().getEarnOnRedemptionOrders();
    Optional<BigDecimal> rate = program.accrualRate(purchase.getLocationId());
    if (earns && rate.isPresent()) {
      BigDecimal points = Accrual.points(spend, rate.get(), program.pointsScale(), program.pointsRoundingMode());
      if (points.signum() > 0) {
        book.post(LedgerEntryType.EARN, points, purchase.getTransactionId(), spend);
      }
    }
    book.touch();
    return Optional.empty();
  }

  /** What the purchase earned, kept to recognise a retried transaction and to reverse it later. */
  public static TransactionRecord record(TransactionEvent purchase, AccountBook book) {
    BigDecimal earned = book.entries().stream()
        .filter(entry -> entry.getType() == LedgerEntryType.EARN)
        .map(entry -> entry.getDelta())
        .reduce(Amounts.ZERO_POINTS, BigDecimal::add);
    return TransactionRecord.newBuilder()
        .setTransactionId(purchase.getTransactionId())
        .setEventId(purchase.getEventId())
        .setOccurredAt(purchase.getOccurredAt())
        .setSpendBasis(Accrual.eligibleSpend(purchase))
        .setPointsEarned(Amounts.points(earned))
        .setProgramVersion(book.context().programVersion())
        .build();
  }
}
