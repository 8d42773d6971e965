package io.loyalty.accounts;

import io.loyalty.avro.LotReference;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.LotUse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Points lots, oldest first. Credits add a lot (after covering a negative balance, which has no lot); debits
 * take from a preferred lot first, then oldest first. The lots always sum to the balance when it is positive.
 */
public final class Lots {
  private static final Comparator<Lot> OLDEST_FIRST = Comparator.comparing(Lot::getEarnedAt);

  private Lots() {}

  /** Adds the part of the credit not absorbed by a negative balance as a lot; returns that part. */
  static BigDecimal credit(AccountState state, Lot lot) {
    BigDecimal deficit = state.getBalance().signum() < 0 ? state.getBalance().negate() : BigDecimal.ZERO;
    BigDecimal kept = Amounts.points(lot.getRemaining().subtract(deficit).max(BigDecimal.ZERO));
    if (kept.signum() > 0) {
      lot.setRemaining(kept);
      List<Lot> lots = new ArrayList<>(state.getLots());
      lots.add(lot);
      lots.sort(OLDEST_FIRST);
      state.setLots(lots);
    }
    return kept;
  }

  /**
   * Takes up to {@code points} from the lots: the preferred lot first (a purchase's own lot on its reversal),
   * then oldest first, skipping lots not available yet when only spendable points may be used.
   */
  static List<LotUse> take(AccountState state, BigDecimal points, String preferredLotId, boolean availableOnly, Instant now) {
    List<Lot> order = new ArrayList<>(state.getLots());
    if (preferredLotId != null) {
      order.sort(Comparator.comparing((Lot lot) -> !lot.getLotId().equals(preferredLotId)).thenComparing(OLDEST_FIRST));
    }
    BigDecimal left = points;
    List<LotUse> uses = new ArrayList<>();
    for (Lot lot : order) {
      if (left.signum() <= 0) {
        break;
      }
      if (availableOnly && lot.getAvailableAt() != null && lot.getAvailableAt().isAfter(now)) {
        continue;
      }
      BigDecimal taken = lot.getRemaining().min(left);
      lot.setRemaining(Amounts.points(lot.getRemaining().subtract(taken)));
      left = left.subtract(taken);
      uses.add(new LotUse(lot.getLotId(), Amounts.points(taken), lot.getEarnedAt(), lot.getExpiresAt()));
    }
    List<Lot> remaining = new ArrayList<>();
    for (Lot lot : state.getLots()) {
      if (lot.getRemaining().signum() > 0) {
        remaining.add(lot);
      }
    }
    state.setLots(remaining);
    return uses;
  }

  /** Puts refunded points back into lots with their original ages; a lot whose expiry has passed is not revived. */
  static List<LotReference> restore(AccountState state, List<LotUse> uses, String freshLotId, Instant now) {
    List<LotReference> references = new ArrayList<>();
    BigDecimal fresh = BigDecimal.ZERO;
    for (LotUse use : uses) {
      if (use.getExpiresAt() != null && !use.getExpiresAt().isAfter(now)) {
        fresh = fresh.add(use.getPoints());
        continue;
      }
      Lot existing = state.getLots().stream().filter(lot -> lot.getLotId().equals(use.getLotId())).findFirst().orElse(null);
      BigDecimal kept = use.getPoints();
      if (existing != null) {
        existing.setRemaining(Amounts.points(existing.getRemaining().add(use.getPoints())));
      } else {
        kept = credit(state, new Lot(use.getLotId(), use.getEarnedAt(), null, use.getExpiresAt(), use.getPoints()));
      }
      if (kept.signum() > 0) {
        references.add(new LotReference(use.getLotId(), kept));
      }
    }
    if (fresh.signum() > 0) {
      BigDecimal kept = credit(state, new Lot(freshLotId, now, null, null, Amounts.points(fresh)));
      if (kept.signum() > 0) {
        references.add(new LotReference(freshLotId, kept));
      }
    }
    return references;
  }

  static List<LotReference> references(List<LotUse> uses) {
    return uses.stream().map(use -> new LotReference(use.getLotId(), use.getPoints())).toList();
  }
}
