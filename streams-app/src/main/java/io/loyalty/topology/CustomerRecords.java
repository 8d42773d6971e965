package io.loyalty.topology;

import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CustomerRecord;
import io.loyalty.serde.AvroCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One customer's state as one record (a CustomerRecord in accounts-store): read and decoded once per input, held
 * decoded while the input is applied (and between inputs for busy customers), and encoded and written once when the
 * input commits, however many capabilities changed it. The account and each capability's state are slices of it
 * ({@link #slice}).
 *
 * <p>A previous version kept an AccountState there and each slice in a store of its own: such an account moves into
 * one record in the first input that reads it (its slices read from their old stores and deleted there, in that
 * input), so state restored from an older version goes on as it was.
 */
final class CustomerRecords {
  private static final AvroCodec<CustomerRecord> RECORDS = LoyaltyTopology.STATE_SERDES.codec(CustomerRecord.class);
  private static final AvroCodec<AccountState> ACCOUNTS = LoyaltyTopology.STATE_SERDES.codec(AccountState.class);
  private static final String PREVIOUS_VERSION = AccountState.getClassSchema().getFullName();

  private final StagedStore<CustomerRecord> records;
  /** Records decoded from a previous version's AccountState and not moved yet, by identity. */
  private final Set<CustomerRecord> fromPreviousVersion = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<PreviousSlice<?>> previousSlices = new ArrayList<>();
  /** Keys this input read: those it did not write leave the cache, so it only ever holds records as written. */
  private final Set<String> read = new HashSet<>();

  /** @param store how accounts-store is staged, given how to encode and decode its records */
  CustomerRecords(StoreFactory store) {
    this.records = store.staged(record -> RECORDS.encode(LoyaltyTopology.ACCOUNTS_STORE, record), this::decode);
  }

  /** How the record store is staged: the task's own (cached) or the API's read-only view. */
  interface StoreFactory {
    StagedStore<CustomerRecord> staged(Function<CustomerRecord, byte[]> encoder, Function<byte[], CustomerRecord> decoder);
  }

  /** The account of a value of accounts-store, whichever version wrote it. */
  static AccountState account(byte[] bytes) {
    return AvroCodec.writtenAs(bytes, PREVIOUS_VERSION) ? ACCOUNTS.decode(bytes) : RECORDS.decode(bytes).getAccount();
  }

  private CustomerRecord decode(byte[] bytes) {
    if (!AvroCodec.writtenAs(bytes, PREVIOUS_VERSION)) {
      return RECORDS.decode(bytes);
    }
    CustomerRecord record = new CustomerRecord();
    record.setAccount(ACCOUNTS.decode(bytes));
    fromPreviousVersion.add(record);
    return record;
  }

  /** The staged store of the records, to commit with the others. */
  StagedStore<CustomerRecord> store() {
    return records;
  }

  /**
   * A slice of the record as a store of its own.
   *
   * @param previousStore where a previous version kept the slice, to move it from; null for the account itself
   */
  <V> Stored<V> slice(Function<CustomerRecord, V> getter, BiConsumer<CustomerRecord, V> setter, Stored<V> previousStore) {
    if (previousStore != null) {
      previousSlices.add(new PreviousSlice<>(setter, previousStore));
    }
    return new Stored<>() {
      @Override
      public V get(String key) {
        CustomerRecord record = record(key);
        return record == null ? null : getter.apply(record);
      }

      @Override
      public void put(String key, V value) {
        CustomerRecord record = record(key);
        if (record == null) {
          record = new CustomerRecord();
        }
        setter.accept(record, value);
        records.putLater(key, record);
      }

      @Override
      public void delete(String key) {
        CustomerRecord record = record(key);
        if (record != null && getter.apply(record) != null) {
          setter.accept(record, null);
          records.putLater(key, record);
        }
      }
    };
  }

  /** The customer's whole record as this input sees it (null when there is none). */
  CustomerRecord get(String key) {
    return record(key);
  }

  /** The record encoded as it is now, to compare with what it becomes (Avro's equals does not compare timestamps in unions). */
  static byte[] encoded(CustomerRecord record) {
    return RECORDS.encode(LoyaltyTopology.ACCOUNTS_STORE, record);
  }

  private CustomerRecord record(String key) {
    read.add(key);
    CustomerRecord record = records.get(key);
    if (record != null && fromPreviousVersion.remove(record)) {
      previousSlices.forEach(slice -> slice.moveInto(record, key));
      records.putLater(key, record);
    }
    return record;
  }

  /** Before the input's writes are measured and committed: encodes the records it changed, forgets those it only read. */
  void seal() {
    read.forEach(records::forget);
    read.clear();
    records.seal();
  }

  /** A failed input: what it read may have been changed in place (the store forgets it when it discards). */
  void discard() {
    read.clear();
  }

  /** A slice as the previous version stored it, moved into the record and deleted from its old store. */
  private record PreviousSlice<V>(BiConsumer<CustomerRecord, V> setter, Stored<V> store) {
    void moveInto(CustomerRecord record, String key) {
      V value = store.get(key);
      if (value != null) {
        setter.accept(record, value);
        store.delete(key);
      }
    }
  }
}
