package io.loyalty.expiry;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.LotKey;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.state.Lot;
import java.util.Optional;

/**
 * A lot that carries an expiry (points added with an adjustment reason that has expiration days) loses what
 * is left of it when its timer fires; the EXPIRY entry names the lot and carries the due time.
 */
public final class LotExpiry {
  private LotExpiry() {}

  public static void expire(AccountBook book, String lotId) {
    Optional<Lot> lot = book.state().getLots().stream().filter(candidate -> candidate.getLotId().equals(lotId)).findFirst();
    if (lot.isPresent() && lot.get().getRemaining().signum() > 0) {
      book.debit(Posting.of(LedgerEntryType.EXPIRY, lot.get().getRemaining().negate(), null)
          .withReason("lot " + lotId + " expired"), new LotKey(lotId, lot.get().getEarnedAt()), false);
      book.touch();
    }
  }
}
