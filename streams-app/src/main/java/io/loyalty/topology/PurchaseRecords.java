package io.loyalty.topology;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.state.TimerEntry;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.timers.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What each purchase earned and redeemed, kept while a return or void may come: until its return window ends,
 * plus the reversal grace so that a return made inside the window but recorded late still finds it. While kept,
 * the record is what makes a re-sent copy of the purchase a duplicate (it names the event), so a purchase writes
 * no seen id of its own. Then a timer removes it and leaves two marks among the seen ids (kept {@code
 * dedup.retention.days}): the purchase's event id, so that a re-sent copy is still a duplicate, and the removal,
 * so that a later return is refused for what it is and another event with the same transaction id is a duplicate.
 *
 * <p>The removal timer lives in the timers store only, not in the account's record (which would then grow
 * with every purchase): it touches nothing but the purchase's record, so it need not fire before the account's
 * next input; a reversal judges the window by business time whether or not the record is still there.
 */
final class PurchaseRecords {
  /** Removal timers' ids: this prefix and the transaction id. */
  private static final String REMOVAL = Timers.id(TimerKind.PURCHASE_RETENTION, "");

  private final Staging staging;
  private final Duration reversalGrace;

  PurchaseRecords(Staging staging, Duration reversalGrace) {
    this.staging = staging;
    this.reversalGrace = reversalGrace;
  }

  TransactionRecord get(String accountKey, String transactionId) {
    return staging.transactions.get(Staging.transactionKey(accountKey, transactionId));
  }

  /**
   * Why a purchase with this transaction id is a duplicate, if it is: recorded (the record, as {@link #get} found it),
   * or recorded and since removed.
   */
  Optional<String> appliedBefore(String accountKey, String transactionId, TransactionRecord earlier) {
    if (earlier != null) {
      return Optional.of("transaction " + transactionId + " was already applied by event " + earlier.getEventId() + "; nothing changed");
    }
    if (wasRemoved(accountKey, transactionId)) {
      return Optional.of("transaction " + transactionId
          + " was already applied (its record was removed after its return window); nothing changed");
    }
    return Optional.empty();
  }

  /** Records what a reversal changed in a purchase's record. */
  void update(String accountKey, TransactionRecord record) {
    staging.transactions.put(Staging.transactionKey(accountKey, record.getTransactionId()), record);
  }

  /** Records a new purchase and schedules its removal. */
  void add(String accountKey, TransactionRecord record) {
    update(accountKey, record);
    if (record.getReturnWindowEndsAt() != null) {
      Instant removeAt = record.getReturnWindowEndsAt().plus(reversalGrace);
      String timerId = REMOVAL + record.getTransactionId();
      staging.timers.put(Timers.storeKey(removeAt, accountKey, timerId), new TimerEntry(accountKey, timerId));
    }
  }

  static boolean isRemoval(TimerEntry timer) {
    return timer.getTimerId().startsWith(REMOVAL);
  }

  /** Fires a removal timer. */
  void remove(TimerEntry timer, long timestamp) {
    String transactionId = timer.getTimerId().substring(REMOVAL.length());
    String key = Staging.transactionKey(timer.getAccountKey(), transactionId);
    TransactionRecord removed = staging.transactions.get(key);
    if (removed != null) {
      staging.seen.mark(SeenIds.transactionKey(AccountKey.organizationOf(timer.getAccountKey()), removed.getEventId()), timestamp);
    }
    staging.transactions.delete(key);
    staging.seen.mark(removedMark(key), timestamp);
  }

  /** Whether the purchase was recorded and has since been removed (within the seen-id retention). */
  boolean wasRemoved(String accountKey, String transactionId) {
    return staging.seen.contains(removedMark(Staging.transactionKey(accountKey, transactionId)));
  }

  private static String removedMark(String transactionKey) {
    return "X|" + transactionKey;
  }
}
