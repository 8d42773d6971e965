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
 *
 * <p>The account record keeps every lot with a deadline (points pending until a time, or expiring at one) next
 * to the timer that watches it, and the newest few others; when those exceed {@link #PLAIN_LOTS_IN_RECORD}, the
 * oldest move to {@link StoredLots}. A customer who spends now and then never touches the store; a regular or
 * house account keeps a record of bounded size, and the store is read only as far as a debit consumes.
 */
public final class Lots {
  static final Comparator<Lot> OLDEST_FIRST = Comparator.comparing(Lot::getEarnedAt).thenComparing(Lot::getLotId);
  /** Lots without a deadline the record may hold; past it, the oldest move to the store until half remain. */
  public static final int PLAIN_LOTS_IN_RECORD = 8;

  private Lots() {}

  private static boolean hasDeadline(Lot lot, Instant now) {
    return lot.getExpiresAt() != null || (lot.getAvailableAt() != null && lot.getAvailableAt().isAfter(now));
  }

  /**
   * Moves the oldest lots without a deadline to the store when the record holds more than its share: a
   * spill every few earnings, one write per lot. A record written before the store existed spills here too.
   */
  static void shelve(AccountState state, StoredLots stored, Instant now) {
    int plain = 0;
    for (Lot lot : state.getLots()) {
      if (!hasDeadline(lot, now)) {
        plain++;
      }
    }
    if (plain <= PLAIN_LOTS_IN_RECORD) {
      return;
    }
    int toMove = plain - PLAIN_LOTS_IN_RECORD / 2;
    List<Lot> kept = new ArrayList<>();
    List<Lot> oldestFirst = new ArrayList<>(state.getLots());
    oldestFirst.sort(OLDEST_FIRST);
    for (Lot lot : oldestFirst) {
      if (toMove > 0 && !hasDeadline(lot, now)) {
        stored.put(lot);
        toMove--;
      } else {
        kept.add(lot);
      }
    }
    state.setLots(kept);
  }

  /**
   * Adds lots as they are (ids, ages, availability, expiry): a negative balance is covered from the oldest
   * first, once. Returns what each lot kept.
   */
  static List<LotReference> creditAll(AccountState state, List<Lot> incoming) {
    BigDecimal deficit = state.getBalance().signum() < 0 ? state.getBalance().negate() : BigDecimal.ZERO;
    List<Lot> sorted = new ArrayList<>(incoming);
    sorted.sort(OLDEST_FIRST);
    List<Lot> lots = new ArrayList<>(state.getLots());
    List<LotReference> kept = new ArrayList<>();
    for (Lot lot : sorted) {
      BigDecimal covered = deficit.min(lot.getRemaining());
      deficit = deficit.subtract(covered);
      BigDecimal remaining = Amounts.points(lot.getRemaining().subtract(covered));
      if (remaining.signum() > 0) {
        lots.add(Lot.newBuilder(lot).setRemaining(remaining).build());
        kept.add(new LotReference(lot.getLotId(), remaining));
      }
    }
    lots.sort(OLDEST_FIRST);
    state.setLots(lots);
    return kept;
  }

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
   * then oldest first, skipping lots not available yet when only spendable points may be used. Reads the
   * stored lots only until the points are covered.
   */
  static List<LotUse> take(AccountState state, StoredLots stored, BigDecimal points, LotKey preferred, boolean availableOnly,
      Instant now) {
    Taking taking = new Taking(points, availableOnly, now);
    String preferredId = null;
    if (preferred != null) {
      Lot lot = inRecord(state, preferred.lotId());
      boolean fromRecord = lot != null;
      if (lot == null) {
        lot = preferred.earnedAt() != null ? stored.get(preferred.earnedAt(), preferred.lotId()) : findStored(stored, preferred.lotId());
      }
      if (lot != null) {
        preferredId = lot.getLotId();
        taking.from(lot, fromRecord);
      }
    }
    if (taking.done()) {
      return taking.finish(state, stored);
    }
    String skipped = preferredId;
    List<Lot> recordLots = new ArrayList<>(state.getLots());
    recordLots.sort(OLDEST_FIRST);
    int[] next = {0};
    stored.visitOldestFirst(lot -> {
      for (; next[0] < recordLots.size() && OLDEST_FIRST.compare(recordLots.get(next[0]), lot) < 0; next[0]++) {
        taking.fromUnlessSkipped(recordLots.get(next[0]), true, skipped);
      }
      taking.fromUnlessSkipped(lot, false, skipped);
      return !taking.done();
    });
    for (; next[0] < recordLots.size(); next[0]++) {
      taking.fromUnlessSkipped(recordLots.get(next[0]), true, skipped);
    }
    return taking.finish(state, stored);
  }

  /** A debit in progress: what is left to take and what it took, from which lots. */
  private static final class Taking {
    final boolean availableOnly;
    final Instant now;
    BigDecimal left;
    final List<LotUse> uses = new ArrayList<>();
    final List<Lot> storedTouched = new ArrayList<>();
    boolean recordTouched;

    Taking(BigDecimal points, boolean availableOnly, Instant now) {
      this.left = points;
      this.availableOnly = availableOnly;
      this.now = now;
    }

    boolean done() {
      return left.signum() <= 0;
    }

    /** Writes the lots it took from back: emptied ones leave. */
    List<LotUse> finish(AccountState state, StoredLots stored) {
      for (Lot lot : storedTouched) {
        if (lot.getRemaining().signum() > 0) {
          stored.put(lot);
        } else {
          stored.delete(lot);
        }
      }
      if (recordTouched) {
        state.setLots(state.getLots().stream().filter(lot -> lot.getRemaining().signum() > 0).toList());
      }
      return uses;
    }

    void fromUnlessSkipped(Lot lot, boolean inRecord, String skippedLotId) {
      if (!lot.getLotId().equals(skippedLotId)) {
        from(lot, inRecord);
      }
    }

    void from(Lot lot, boolean inRecord) {
      if (done() || (availableOnly && lot.getAvailableAt() != null && lot.getAvailableAt().isAfter(now))) {
        return;
      }
      BigDecimal taken = lot.getRemaining().min(left);
      lot.setRemaining(Amounts.points(lot.getRemaining().subtract(taken)));
      left = left.subtract(taken);
      uses.add(new LotUse(lot.getLotId(), Amounts.points(taken), lot.getEarnedAt(), lot.getExpiresAt()));
      if (inRecord) {
        recordTouched = true;
      } else {
        storedTouched.add(lot);
      }
    }
  }

  /** Puts refunded points back into lots with their original ages; a lot whose expiry has passed is not revived. */
  static List<LotReference> restore(AccountState state, StoredLots stored, List<LotUse> uses, String freshLotId, Instant now) {
    List<LotReference> references = new ArrayList<>();
    BigDecimal fresh = BigDecimal.ZERO;
    for (LotUse use : uses) {
      if (use.getExpiresAt() != null && !use.getExpiresAt().isAfter(now)) {
        fresh = fresh.add(use.getPoints());
        continue;
      }
      BigDecimal kept = use.getPoints();
      Lot existing = inRecord(state, use.getLotId());
      if (existing != null) {
        existing.setRemaining(Amounts.points(existing.getRemaining().add(use.getPoints())));
      } else if ((existing = stored.get(use.getEarnedAt(), use.getLotId())) != null) {
        existing.setRemaining(Amounts.points(existing.getRemaining().add(use.getPoints())));
        stored.put(existing);
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

  private static Lot inRecord(AccountState state, String lotId) {
    for (Lot lot : state.getLots()) {
      if (lot.getLotId().equals(lotId)) {
        return lot;
      }
    }
    return null;
  }

  /** A stored lot known by id only (a purchase recorded before the store existed): found by a scan of the account's lots. */
  private static Lot findStored(StoredLots stored, String lotId) {
    Lot[] found = {null};
    stored.visitOldestFirst(lot -> {
      if (lot.getLotId().equals(lotId)) {
        found[0] = lot;
      }
      return found[0] == null;
    });
    return found[0];
  }
}
