package io.loyalty.earning;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.LotKey;
import io.loyalty.accounts.Amounts;
import io.loyalty.accounts.Membership;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Hold;
import io.loyalty.avro.state.LineRecord;
import io.loyalty.avro.state.LotUse;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.intake.TransactionValidator;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramRules;
import io.loyalty.tiers.TierRules;
import io.loyalty.timers.Timers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A purchase on an account. The points the POS redeemed are debited first, from spendable lots oldest first
 * (holds the purchase names are committed); then a member earns on the eligible spend with multipliers,
 * the total rounded once and split over the lines so that returns can take back exactly what a line earned.
 * Customers who are not members earn nothing and cannot redeem; their spend still counts.
 */
public final class PurchaseRules {
  private PurchaseRules() {}

  /** The purchase applied to the book with what to keep about it, or why it cannot be applied (book untouched). */
  public record Outcome(Optional<Violation> violation, TransactionRecord record) {}

  public static Outcome apply(AccountBook book, TransactionEvent purchase, ProgramRules program) {
    AccountState state = book.state();
    BigDecimal redeemed = Amounts.points(purchase.getRedemptions().stream()
        .map(PointRedemption::getPoints).reduce(BigDecimal.ZERO, BigDecimal::add));
    Optional<Violation> mispriced = RedemptionPricing.check(purchase.getRedemptions(), program);
    if (mispriced.isPresent()) {
      return new Outcome(mispriced, null);
    }
    boolean member = Membership.isMember(state, program);
    if (redeemed.signum() > 0 && !member) {
      return refused(RejectionReason.NOT_ENROLLED, "customer is " + Membership.status(state, program)
          + " and cannot redeem points");
    }
    Set<String> committedHolds = purchase.getRedemptions().stream()
        .map(PointRedemption::getHoldId).filter(id -> id != null).collect(Collectors.toSet());
    BigDecimal heldForThis = state.getHolds().stream().filter(hold -> committedHolds.contains(hold.getHoldId()))
        .map(Hold::getPoints).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal available = Amounts.points(book.spendable().add(heldForThis));
    if (redeemed.compareTo(available) > 0) {
      return refused(RejectionReason.INSUFFICIENT_POINTS, "purchase redeems " + redeemed.toPlainString()
          + " points but " + available.toPlainString() + " are spendable");
    }
    releaseHolds(state, committedHolds);

    List<BigDecimal> lineNets = purchase.getLines().stream()
        .map(line -> TransactionValidator.lineGross(line).subtract(line.getDiscount())).toList();
    BigDecimal spend = Accrual.eligibleSpend(purchase);
    List<BigDecimal> lineSpend = ProRata.split(spend, lineNets, Amounts.MONEY_SCALE);
    state.setVisits(state.getVisits() + 1);
    if (state.getLastPurchaseAt() == null || purchase.getOccurredAt().isAfter(state.getLastPurchaseAt())) {
      state.setLastPurchaseAt(purchase.getOccurredAt());
    }

    List<LotUse> consumed = List.of();
    if (redeemed.signum() > 0) {
      Posting redemption = Posting.of(LedgerEntryType.REDEEM, redeemed.negate(), purchase.getTransactionId());
      consumed = book.debit(committedHolds.isEmpty() ? redemption
          : redemption.withReason("commits hold " + String.join(", ", committedHolds.stream().sorted().toList())), null, true);
    }

    List<BigDecimal> linePoints = earnedPerLine(purchase, program, state, lineSpend, member, redeemed);
    BigDecimal earned = Amounts.points(linePoints.stream().reduce(BigDecimal.ZERO, BigDecimal::add));
    TierRules.count(state, program, purchase.getOccurredAt(), spend, earned);
    String earnLotId = null;
    // The purchase's spend and points count from its EARN entry on; a purchase that earns nothing has none.
    Posting.Lifetime lifetime = new Posting.Lifetime(spend, earned);
    if (earned.signum() > 0) {
      Instant availableAt = program.pendingPeriod().map(purchase.getOccurredAt()::plus).orElse(null);
      LedgerEntry entry = book.credit(Posting.of(LedgerEntryType.EARN, earned, purchase.getTransactionId())
          .withSpendBasis(spend).withLifetime(lifetime), availableAt, null);
      earnLotId = entry.getLots().isEmpty() ? null : entry.getLots().get(0).getLotId();
      if (earnLotId != null && availableAt != null && availableAt.isAfter(book.now())) {
        Timers.schedule(state, TimerKind.POINTS_AVAILABLE, earnLotId, availableAt);
      }
      netAgainstDebt(book, purchase.getTransactionId(), earnLotId == null ? null : new LotKey(earnLotId, book.now()), earned);
    } else {
      book.countLifetime(lifetime);
    }
    book.touch();

    List<BigDecimal> lineRedeemed = ProRata.split(redeemed, lineNets, Amounts.POINTS_SCALE);
    List<LineRecord> lines = new ArrayList<>();
    for (int i = 0; i < purchase.getLines().size(); i++) {
      TransactionLine line = purchase.getLines().get(i);
      lines.add(LineRecord.newBuilder()
          .setLineId(line.getLineId())
          .setSku(line.getSku())
          .setQuantity(line.getQuantity())
          .setSpend(Amounts.money(lineSpend.get(i)))
          .setPoints(Amounts.points(linePoints.get(i)))
          .setRedeemed(Amounts.points(lineRedeemed.get(i)))
          .setReturnedQuantity(BigDecimal.ZERO.setScale(3))
          .setReversedSpend(Amounts.ZERO_MONEY)
          .setReversedPoints(Amounts.ZERO_POINTS)
          .setRefunded(Amounts.ZERO_POINTS)
          .build());
    }
    TransactionRecord record = TransactionRecord.newBuilder()
        .setTransactionId(purchase.getTransactionId())
        .setEventId(purchase.getEventId())
        .setOccurredAt(purchase.getOccurredAt())
        .setSpendBasis(spend)
        .setPointsEarned(earned)
        .setProgramVersion(book.context().programVersion())
        .setEarnLotId(earnLotId)
        .setEarnLotEarnedAt(earnLotId == null ? null : book.now())
        .setReturnWindowEndsAt(purchase.getOccurredAt().plus(program.returnWindow()))
        .setLines(lines)
        .setRedeemedPoints(redeemed)
        .setConsumedLots(consumed)
        .setOrderValue(Amounts.money(purchase.getSubtotal().subtract(purchase.getDiscounts())))
        .setVoided(false)
        .build();
    return new Outcome(Optional.empty(), record);
  }

  /**
   * Points per line: spend x rate x product multiplier, the ticket total times group, promotion and tier bonus,
   * rounded once. The rate is the tier's when it has one, else the location's; the tier is the one the customer
   * had before this purchase (a purchase that crosses a threshold earns at the old rate).
   */
  private static List<BigDecimal> earnedPerLine(TransactionEvent purchase, ProgramRules program, AccountState state,
      List<BigDecimal> lineSpend, boolean member, BigDecimal redeemed) {
    Optional<TierDefinition> tier = TierRules.current(state, program);
    Optional<BigDecimal> rate = tier.map(TierDefinition::getAccrualRate).or(() -> program.accrualRate(purchase.getLocationId()));
    boolean earns = member && rate.isPresent() && (redeemed.signum() == 0 || program.config().getEarnOnRedemptionOrders());
    List<BigDecimal> raw = new ArrayList<>();
    for (int i = 0; i < purchase.getLines().size(); i++) {
      raw.add(earns ? lineSpend.get(i).multiply(rate.get()).multiply(Multipliers.product(program, purchase.getLines().get(i)))
          : BigDecimal.ZERO);
    }
    BigDecimal factor = Multipliers.ticket(program, state.getCustomerGroup(), purchase.getOccurredAt())
        .multiply(tier.map(TierDefinition::getBonusMultiplier).orElse(BigDecimal.ONE));
    BigDecimal total = raw.stream().reduce(BigDecimal.ZERO, BigDecimal::add).multiply(factor)
        .setScale(program.pointsScale(), program.pointsRoundingMode());
    return ProRata.split(total.max(BigDecimal.ZERO), raw, Amounts.POINTS_SCALE);
  }

  /** Under NET_AGAINST_FUTURE, new points first pay back an earlier shortfall. */
  private static void netAgainstDebt(AccountBook book, String transactionId, LotKey lot, BigDecimal earned) {
    AccountState state = book.state();
    BigDecimal netted = state.getDebt().min(earned);
    if (netted.signum() > 0) {
      state.setDebt(Amounts.points(state.getDebt().subtract(netted)));
      book.debit(Posting.of(LedgerEntryType.SHORTFALL, netted.negate(), transactionId)
          .withReason("netted against an earlier shortfall"), lot, false);
    }
  }

  private static void releaseHolds(AccountState state, Set<String> holdIds) {
    if (holdIds.isEmpty()) {
      return;
    }
    state.setHolds(state.getHolds().stream().filter(hold -> !holdIds.contains(hold.getHoldId())).toList());
    holdIds.forEach(holdId -> Timers.cancel(state, TimerKind.HOLD_EXPIRY, holdId));
  }

  private static Outcome refused(RejectionReason reason, String message) {
    return new Outcome(Optional.of(new Violation(reason, message)), null);
  }
}
