package io.loyalty.topology;

import io.loyalty.avro.Engagement;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Backfill;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.CustomerRecord;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMarks;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.OfferBook;
import io.loyalty.avro.state.SegmentMemberships;
import io.loyalty.avro.state.ParkedEvents;
import io.loyalty.avro.state.TimerEntry;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.avro.state.WorkflowRuns;
import io.loyalty.avro.state.WorkflowStats;
import io.loyalty.metrics.KpiTally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.loyalty.serde.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stores and outputs of the account path, staged: what one input (or one timer of a tick) writes and
 * sends is held until {@link #commit}, or forgotten by {@link #discard} when it fails, so an input is applied
 * whole or not at all.
 */
final class Staging {
  /** One record per customer: the account and the capabilities' slices below are views of it. */
  private final CustomerRecords customers;
  final Stored<AccountState> accounts;
  final Stored<CustomerPreferences> preferences;
  final Stored<OfferBook> offers;
  final Stored<Engagement> engagements;
  final Stored<SegmentMemberships> segments;
  final Stored<WorkflowRuns> workflows;
  final Stored<KpiMarks> kpiMarks;
  final StagedStore<Lot> lots;
  final StagedStore<TransactionRecord> transactions;
  final StagedStore<TimerEntry> timers;
  final StagedStore<ParkedEvents> parked;
  final StagedStore<Long> clock;
  final StagedStore<CoPurchases> coPurchases;
  final StagedStore<Long> segmentSizes;
  final StagedStore<WorkflowStats> workflowStats;
  final StagedStore<LedgerEntry> recentEntries;
  /** Per organization, the evaluation of its accounts under the latest audience (see ProgramBackfills). */
  final StagedStore<Backfill> backfills;
  /** What the inputs add to their organizations' KPIs, summed until the next commit interval. */
  final KpiPending kpiPending;
  /** What the input did that the KPIs count, cleared with a failed input. */
  final KpiTally kpiTally = new KpiTally();
  /** Every staged store by name, in the order they commit. */
  private final Map<String, StagedStore<?>> stores = new LinkedHashMap<>();
  /** Null for the API's read-only view, which writes nothing. */
  private final WriteBudget budget;
  private final Map<String, String> changelogTopics = new java.util.HashMap<>();
  /** What the broker refused of this task, and what its inputs write while it is suspect (see RefusedWrites); null for the API's view. */
  final RefusedWrites.TaskWrites refusedWrites;
  /** The timer of a tick being fired, which commits on its own; empty for any other input. */
  private String unit = "";
  final SeenIds seen;
  final Outbox outbox = new Outbox();
  /** Decoded basket counts kept between inputs: a purchase reads a dozen, most of them the same few hot keys. */
  private static final int CO_PURCHASES_CACHED = 10_000;
  /** Decoded records of the customers seen last: busy customers come back. */
  private static final int CUSTOMERS_CACHED = 10_000;
  /** Decoded KPI sums: one per organization, location and day the task's inputs touched since the last send. */
  private static final int KPI_SUMS_CACHED = 1_000;
  private final ProcessorContext<Object, Object> context;
  private final StoreLookup lookup;

  Staging(ProcessorContext<Object, Object> context, WriteBudget budget) {
    this(context, budget, new StoreLookup() {
      @Override
      public <V> StagedStore<V> staged(String name, Function<V, byte[]> encoder, Function<byte[], V> decoder, int cached) {
        return new StagedStore<>(context.getStateStore(name), encoder, decoder, cached);
      }

      @Override
      public ReadOnlyKeyValueStore<String, byte[]> global(String name) {
        return context.getStateStore(name);
      }
    });
  }

  /**
   * A read-only view of the stores for the API: the capabilities describe an account from another thread's
   * stores, exactly as the account path would; nothing can be committed through it.
   */
  static Staging readOnly(Function<String, ReadOnlyKeyValueStore<String, byte[]>> stores) {
    return new Staging(null, null, new StoreLookup() {
      @Override
      public <V> StagedStore<V> staged(String name, Function<V, byte[]> encoder, Function<byte[], V> decoder, int cached) {
        return StagedStore.readOnly(stores.apply(name), encoder, decoder, cached);
      }

      @Override
      public ReadOnlyKeyValueStore<String, byte[]> global(String name) {
        return stores.apply(name);
      }
    });
  }

  /** Where the staged stores come from: the task's own stores, or a read-only view of them. */
  private interface StoreLookup {
    <V> StagedStore<V> staged(String name, Function<V, byte[]> encoder, Function<byte[], V> decoder, int cached);

    ReadOnlyKeyValueStore<String, byte[]> global(String name);
  }

  private Staging(ProcessorContext<Object, Object> context, WriteBudget budget, StoreLookup lookup) {
    this.context = context;
    this.budget = budget;
    this.refusedWrites = context == null ? null : RefusedWrites.of(context);
    if (refusedWrites != null) {
      refusedWrites.started();
    }
    this.lookup = lookup;
    customers = new CustomerRecords((encoder, decoder) -> named(LoyaltyTopology.ACCOUNTS_STORE,
        lookup.staged(LoyaltyTopology.ACCOUNTS_STORE, encoder, decoder, CUSTOMERS_CACHED)));
    accounts = customers.slice(CustomerRecord::getAccount, CustomerRecord::setAccount, null);
    // Where a previous version kept each slice: an account it wrote moves them into its record (see CustomerRecords).
    preferences = customers.slice(CustomerRecord::getPreferences, CustomerRecord::setPreferences,
        staged(LoyaltyTopology.PREFERENCES_STORE, CustomerPreferences.class));
    offers = customers.slice(CustomerRecord::getOffers, CustomerRecord::setOffers, staged(LoyaltyTopology.OFFERS_STORE, OfferBook.class));
    engagements = customers.slice(CustomerRecord::getEngagement, CustomerRecord::setEngagement,
        staged(LoyaltyTopology.ENGAGEMENT_STORE, Engagement.class));
    segments = customers.slice(CustomerRecord::getSegments, CustomerRecord::setSegments,
        staged(LoyaltyTopology.SEGMENTS_STORE, SegmentMemberships.class));
    workflows = customers.slice(CustomerRecord::getWorkflows, CustomerRecord::setWorkflows,
        staged(LoyaltyTopology.WORKFLOWS_STORE, WorkflowRuns.class));
    kpiMarks = customers.slice(CustomerRecord::getKpiMarks, CustomerRecord::setKpiMarks, staged(LoyaltyTopology.KPI_MARKS_STORE, KpiMarks.class));
    lots = staged(LoyaltyTopology.LOTS_STORE, Lot.class);
    transactions = staged(LoyaltyTopology.TRANSACTIONS_STORE, TransactionRecord.class);
    timers = staged(LoyaltyTopology.TIMERS_STORE, TimerEntry.class);
    parked = staged(LoyaltyTopology.PARKED_STORE, ParkedEvents.class);
    LongSerializer longs = new LongSerializer();
    LongDeserializer longValues = new LongDeserializer();
    clock = named(LoyaltyTopology.CLOCK_STORE, lookup.staged(LoyaltyTopology.CLOCK_STORE, value -> longs.serialize(null, value),
        bytes -> longValues.deserialize(null, bytes), 0));
    AvroCodec<CoPurchases> counts = LoyaltyTopology.STATE_SERDES.codec(CoPurchases.class);
    coPurchases = named(LoyaltyTopology.CO_PURCHASES_STORE, lookup.staged(LoyaltyTopology.CO_PURCHASES_STORE,
        value -> counts.encode(LoyaltyTopology.CO_PURCHASES_STORE, value), counts::decode, CO_PURCHASES_CACHED));
    segmentSizes = named(LoyaltyTopology.SEGMENT_SIZES_STORE, lookup.staged(LoyaltyTopology.SEGMENT_SIZES_STORE,
        value -> longs.serialize(null, value), bytes -> longValues.deserialize(null, bytes), 0));
    workflowStats = staged(LoyaltyTopology.WORKFLOW_STATS_STORE, WorkflowStats.class);
    recentEntries = staged(LoyaltyTopology.RECENT_ENTRIES_STORE, LedgerEntry.class);
    backfills = staged(LoyaltyTopology.BACKFILLS_STORE, Backfill.class);
    AvroCodec<KpiDelta> kpiDeltas = LoyaltyTopology.STATE_SERDES.codec(KpiDelta.class);
    kpiPending = new KpiPending(named(LoyaltyTopology.KPI_PENDING_STORE, lookup.staged(LoyaltyTopology.KPI_PENDING_STORE,
        value -> kpiDeltas.encode(LoyaltyTopology.KPI_PENDING_STORE, value), kpiDeltas::decode, KPI_SUMS_CACHED)));
    seen = context == null ? null : new SeenIds(context.getStateStore(LoyaltyTopology.SEEN_STORE));
  }

  /** What commits next is the firing of this timer of a tick, or (empty) a whole input. */
  void unit(String timerKey) {
    unit = timerKey;
  }

  /**
   * Keys of the organization's accounts after {@code after} (null: from its first), in key order, at most
   * {@code limit}: read between inputs, with nothing staged.
   */
  List<String> accountKeys(String organizationId, String after, int limit) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> range = stores.get(LoyaltyTopology.ACCOUNTS_STORE).committedRange(
        after == null ? AccountKey.of(organizationId, "") : after + "\u0000", accountKeysEnd(organizationId))) {
      while (keys.size() < limit && range.hasNext()) {
        keys.add(range.next().key);
      }
    }
    return keys;
  }

  /** How many accounts of the organization the partition holds: read between inputs, with nothing staged. */
  long accountCount(String organizationId) {
    long count = 0;
    try (KeyValueIterator<String, byte[]> range = stores.get(LoyaltyTopology.ACCOUNTS_STORE).committedRange(
        AccountKey.of(organizationId, ""), accountKeysEnd(organizationId))) {
      for (; range.hasNext(); range.next()) {
        count++;
      }
    }
    return count;
  }

  /** Just past the organization's account keys ("org:" + customer id): no organization id holds a colon. */
  private static String accountKeysEnd(String organizationId) {
    return organizationId + (char) (AccountKey.SEPARATOR + 1);
  }

  /** A global store (programs, catalog, contact index), read only. */
  ReadOnlyKeyValueStore<String, byte[]> global(String name) {
    return lookup.global(name);
  }

  /** Key of a transaction in the transactions and parked-reversals stores: the account's key and the transaction id. */
  static String transactionKey(String accountKey, String transactionId) {
    return accountKey + "/" + transactionId;
  }

  private <V extends SpecificRecord> StagedStore<V> staged(String name, Class<V> type) {
    AvroCodec<V> codec = LoyaltyTopology.STATE_SERDES.codec(type);
    return named(name, lookup.staged(name, value -> codec.encode(name, value), codec::decode, 0));
  }

  private <V> StagedStore<V> named(String name, StagedStore<V> store) {
    stores.put(name, store);
    return store;
  }

  /**
   * Writes what the input staged, once it is known to fit the budget: an input beyond it throws {@link
   * WriteBudget.Exceeded} with nothing written.
   */
  void commit() {
    customers.seal();
    if (budget != null) {
      WriteBudget.Tally tally = budget.tally(context.applicationId());
      stores.forEach((name, store) -> store.forEachPending((key, value) -> tally.add(changelog(name), "store " + name,
          RecordBytes.of(key) + RecordBytes.of(value))));
      outbox.forEachPending((topic, key, value) -> tally.add(topic, "topic " + topic, RecordBytes.of(key) + RecordBytes.of(value)));
    }
    if (refusedWrites != null && refusedWrites.noting()) {
      stores.forEach((name, store) -> store.forEachPending((key, value) -> refusedWrites.wrote(unit, changelog(name), key, value)));
      outbox.forEachPending((topic, key, value) -> refusedWrites.wrote(unit, topic, key, value));
      refusedWrites.inputDone();
    }
    stores.values().forEach(StagedStore::commit);
    seen.commit();
    outbox.send(context);
  }

  /** The changelog topic Kafka Streams names after the application and the store. */
  private String changelog(String store) {
    return changelogTopics.computeIfAbsent(store, name -> context.applicationId() + "-" + name + "-changelog");
  }

  /** A customer's record as it was before a unit, and the marks of its last change (the account's clock, updatedAt, lastEventId, programVersion). */
  record Snapshot(byte[] encoded, Instant clock, Instant updatedAt, String lastEventId, Long programVersion) {
    void mark(AccountState account) {
      account.setClock(clock);
      account.setUpdatedAt(updatedAt);
      account.setLastEventId(lastEventId);
      account.setProgramVersion(programVersion);
    }
  }

  /** The customer's record as it is now, to tell afterwards whether a unit changed anything; null when there is none. */
  Snapshot snapshot(String key) {
    CustomerRecord record = customers.get(key);
    if (record == null || record.getAccount() == null) {
      return null;
    }
    AccountState account = record.getAccount();
    return new Snapshot(CustomerRecords.encoded(record), account.getClock(), account.getUpdatedAt(), account.getLastEventId(),
        account.getProgramVersion());
  }

  /**
   * Whether the unit under way changes nothing of the customer but the marks of its last change: its record as in the
   * snapshot otherwise, no other store written and nothing to send but on {@code topic} (the profile it would re-send
   * unchanged). Then the account as it was is as good as the account marked (the next input moves the marks on), and
   * the record keeps its old marks.
   */
  boolean changesNothing(String key, Snapshot before, String topic) {
    CustomerRecord record = customers.get(key);
    if (before == null || record == null || record.getAccount() == null || !outbox.holdsOnly(topic)) {
      return false;
    }
    for (Map.Entry<String, StagedStore<?>> store : stores.entrySet()) {
      if (!store.getKey().equals(LoyaltyTopology.ACCOUNTS_STORE) && store.getValue().hasPending()) {
        return false;
      }
    }
    AccountState account = record.getAccount();
    Snapshot after = new Snapshot(null, account.getClock(), account.getUpdatedAt(), account.getLastEventId(), account.getProgramVersion());
    before.mark(account);
    boolean same = Arrays.equals(CustomerRecords.encoded(record), before.encoded());
    if (!same) {
      after.mark(account);
    }
    return same;
  }

  void discard() {
    customers.discard();
    stores.values().forEach(StagedStore::discard);
    seen.discard();
    outbox.discard();
    kpiTally.clear();
  }
}
