package io.loyalty.metrics;

import io.loyalty.accounts.Amounts;
import io.loyalty.accounts.Membership;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMark;
import io.loyalty.avro.state.KpiMarks;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one change of an account adds to its organization's KPIs (a {@link KpiDelta}), and what the account's
 * marks remember of it. Sales are ticket values: subtotal less discounts, before tax and point redemptions.
 */
public final class KpiChanges {
  /** A POS event's effect on orders and sales: +1 order for a purchase, -1 for a void; the value signed. */
  public record Sale(int orders, BigDecimal value) {
    public static Sale of(TransactionEvent event, TransactionRecord purchase) {
      BigDecimal ticket = event.getSubtotal().subtract(event.getDiscounts());
      return switch (event.getType()) {
        case PURCHASE -> new Sale(1, ticket);
        case RETURN -> new Sale(0, ticket.negate());
        // A void cancels the ticket as it was sold; a record from before the KPIs has no value, the void's own is taken.
        case VOID -> new Sale(-1, (purchase != null && purchase.getOrderValue() != null ? purchase.getOrderValue() : ticket).negate());
      };
    }
  }

  private KpiChanges() {}

  /** An anonymous sale (no customer): a non-member's order. */
  public static KpiDelta anonymous(TransactionEvent event, ProgramRules program) {
    KpiDelta delta = empty(event.getOrganizationId(), event.getLocationId(), day(event.getOccurredAt(), program));
    Sale sale = Sale.of(event, null);
    delta.setNonMemberOrders(sale.orders());
    delta.setNonMemberSales(Amounts.money(sale.value()));
    return delta;
  }

  /**
   * The account changed at {@code at} (its input's business time, a timer's due time).
   *
   * @param tally what the input did that the KPIs count (cleared here)
   * @return nothing when the change moves no KPI
   */
  public static Optional<KpiDelta> of(KpiMarks marks, AccountState state, ProgramRules program, List<LedgerEntry> entries,
      KpiTally tally, Instant at, String locationId) {
    Sale sale = tally.sale();
    int day = day(at, program);
    KpiDelta delta = empty(state.getOrganizationId(), locationId, day);
    boolean member = Membership.isMember(state, program);
    boolean changed = false;
    if (sale != null) {
      if (member) {
        delta.setMemberOrders(sale.orders());
        delta.setMemberSales(Amounts.money(sale.value()));
      } else {
        delta.setNonMemberOrders(sale.orders());
        delta.setNonMemberSales(Amounts.money(sale.value()));
      }
      changed = true;
    }
    changed |= countPoints(delta, entries);
    if (member != marks.getMember()) {
      delta.setEnrollments(member ? 1 : 0);
      delta.setOptOuts(member ? 0 : 1);
      marks.setMember(member);
      changed = true;
    }
    List<KpiMark> counted = new ArrayList<>();
    String tierBefore = marks.getTier();
    if (member && sale != null && sale.orders() > 0) {
      KpiMarksRules.active(marks, day, locationId, rank(program, tierBefore) < topRank(program), counted);
    }
    if (member && entries.stream().anyMatch(KpiChanges::spends)) {
      KpiMarksRules.redeemed(marks, day, counted);
    }
    if (!Objects.equals(tierBefore, state.getTier())) {
      if (tierBefore != null) {
        delta.getTierMoves().put(tierBefore, -1L);
      }
      if (state.getTier() != null) {
        delta.getTierMoves().merge(state.getTier(), 1L, Long::sum);
      }
      if (member && rank(program, state.getTier()) > rank(program, tierBefore)) {
        KpiMarksRules.movedUp(marks, day, counted);
      }
      marks.setTier(state.getTier());
      changed = true;
    }
    delta.setMarks(counted);
    if (tally.offersIssued() + tally.offersRedeemed() + tally.workflowEntries() + tally.workflowConversions() > 0) {
      delta.setOffersIssued(tally.offersIssued());
      delta.setOffersRedeemed(tally.offersRedeemed());
      delta.setWorkflowEntries(tally.workflowEntries());
      delta.setWorkflowConversions(tally.workflowConversions());
      changed = true;
    }
    if (!tally.holdouts().isEmpty()) {
      delta.setHoldouts(new TreeMap<>(tally.holdouts()));
      changed = true;
    }
    tally.clear();
    return changed || !counted.isEmpty() ? Optional.of(delta) : Optional.empty();
  }

  /** Classifies the input's ledger entries; true when there were any. */
  private static boolean countPoints(KpiDelta delta, List<LedgerEntry> entries) {
    BigDecimal issued = BigDecimal.ZERO;
    BigDecimal redeemed = BigDecimal.ZERO;
    BigDecimal expired = BigDecimal.ZERO;
    BigDecimal outstanding = BigDecimal.ZERO;
    for (LedgerEntry entry : entries) {
      BigDecimal points = entry.getDelta();
      outstanding = outstanding.add(points);
      switch (entry.getType()) {
        case EARN, SIGNUP_BONUS, BOOST, OFFER_BONUS, RETURN_REVERSAL, VOID_REVERSAL -> issued = issued.add(points);
        case ADJUSTMENT -> issued = points.signum() > 0 ? issued.add(points) : issued;
        case REDEEM, HOLD_COMMIT, REDEMPTION_REFUND -> redeemed = redeemed.subtract(points);
        case EXPIRY -> expired = expired.subtract(points);
        default -> { }
      }
    }
    delta.setPointsIssued(Amounts.points(issued));
    delta.setPointsRedeemed(Amounts.points(redeemed));
    delta.setPointsExpired(Amounts.points(expired));
    delta.setPointsOutstanding(Amounts.points(outstanding));
    return !entries.isEmpty();
  }

  private static boolean spends(LedgerEntry entry) {
    return (entry.getType() == LedgerEntryType.REDEEM || entry.getType() == LedgerEntryType.HOLD_COMMIT) && entry.getDelta().signum() < 0;
  }

  /** Position of a tier by threshold, -1 for none or a tier the program no longer has. */
  private static int rank(ProgramRules program, String tierId) {
    List<TierDefinition> tiers = byThreshold(program);
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).getTierId().equals(tierId)) {
        return i;
      }
    }
    return -1;
  }

  private static int topRank(ProgramRules program) {
    return byThreshold(program).size() - 1;
  }

  private static List<TierDefinition> byThreshold(ProgramRules program) {
    return program.config().getTiers().stream().sorted(Comparator.comparing(TierDefinition::getThreshold)).toList();
  }

  static int day(Instant at, ProgramRules program) {
    return Math.toIntExact(LocalDate.ofInstant(at, program.zone()).toEpochDay());
  }

  private static KpiDelta empty(String organizationId, String locationId, int day) {
    return new KpiDelta(organizationId, locationId, day, 0L, Amounts.ZERO_MONEY, 0L, Amounts.ZERO_MONEY, Amounts.ZERO_POINTS,
        Amounts.ZERO_POINTS, Amounts.ZERO_POINTS, Amounts.ZERO_POINTS, 0, 0, null, null, 0, 0, 0, 0, new ArrayList<>(), 1L,
        new java.util.HashMap<>(), new TreeMap<>());
  }
}
