package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.state.AccountState;
import io.loyalty.programs.ProgramRules;

/**
 * A customer's latest ledger entries, for the register's activity view (recent-entries-store, key = account
 * key|sequence): each entry is written once, and the one that falls out of the last {@link #KEPT} is deleted,
 * so the cost of an entry never grows with the account's history.
 */
final class RecentEntries implements Reaction {
  static final int KEPT = 50;
  private final StagedStore<LedgerEntry> entries;

  RecentEntries(StagedStore<LedgerEntry> entries) {
    this.entries = entries;
  }

  static String key(String accountKey, long sequence) {
    return accountKey + "|" + String.format("%012d", sequence);
  }

  @Override
  public void changed(String accountKey, AccountBook book, ProgramRules program, long timestamp) {
    AccountState state = book.state();
    for (LedgerEntry entry : book.entries()) {
      long sequence = state.getLedgerEntries();
      // With the tier the account is in after this change, as the ledger topic carries it; the store encodes the
      // entry as it is now, so a later change to it does not reach the kept copy.
      entry.setTier(state.getTier());
      entries.put(key(accountKey, sequence), entry);
      if (sequence >= KEPT) {
        entries.delete(key(accountKey, sequence - KEPT));
      }
      state.setLedgerEntries(sequence + 1);
    }
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {}
}
