package io.loyalty.topology;

import io.loyalty.accounts.StoredLots;
import io.loyalty.avro.state.Lot;
import io.loyalty.timers.Timers;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * An account's stored lots in the lots store. Keys are the account key (prefixed by its length, so that no
 * account's keys start with another's prefix whatever its customer id holds), the lot's age zero-padded, and the
 * lot id: a prefix scan reads the account's lots oldest first.
 */
final class AccountLots implements StoredLots {
  private final StagedStore<Lot> store;
  private final String prefix;

  AccountLots(StagedStore<Lot> store, String accountKey) {
    this.store = store;
    this.prefix = accountKey.length() + "#" + accountKey + "|";
  }

  private String key(Instant earnedAt, String lotId) {
    return prefix + Timers.sortable(earnedAt) + "|" + lotId;
  }

  @Override
  public Lot get(Instant earnedAt, String lotId) {
    return store.get(key(earnedAt, lotId));
  }

  @Override
  public void put(Lot lot) {
    store.put(key(lot.getEarnedAt(), lot.getLotId()), lot);
  }

  @Override
  public void delete(Lot lot) {
    store.delete(key(lot.getEarnedAt(), lot.getLotId()));
  }

  @Override
  public void visitOldestFirst(Predicate<Lot> visitor) {
    store.scan(prefix, (key, lot) -> visitor.test(lot));
  }
}
