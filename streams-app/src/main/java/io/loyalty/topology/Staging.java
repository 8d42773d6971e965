package io.loyalty.topology;

import io.loyalty.avro.Engagement;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
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
import java.util.List;
import io.loyalty.serde.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The stores and outputs of the account path, staged: what one input (or one timer of a tick) writes and
 * sends is held until {@link #commit}, or forgotten by {@link #discard} when it fails, so an input is applied
 * whole or not at all.
 */
final class Staging {
  final StagedStore<AccountState> accounts;
  final StagedStore<Lot> lots;
  final StagedStore<TransactionRecord> transactions;
  final StagedStore<TimerEntry> timers;
  final StagedStore<ParkedEvents> parked;
  final StagedStore<Long> clock;
  final StagedStore<CustomerPreferences> preferences;
  final StagedStore<CoPurchases> coPurchases;
  final StagedStore<OfferBook> offers;
  final StagedStore<Engagement> engagements;
  final StagedStore<SegmentMemberships> segments;
  final StagedStore<Long> segmentSizes;
  final StagedStore<WorkflowRuns> workflows;
  final StagedStore<WorkflowStats> workflowStats;
  final StagedStore<KpiMarks> kpiMarks;
  final StagedStore<LedgerEntry> recentEntries;
  /** What the input did that the KPIs count, cleared with a failed input. */
  final KpiTally kpiTally = new KpiTally();
  private final List<StagedStore<?>> stores;
  final SeenIds seen;
  final Outbox outbox = new Outbox();
  /** Decoded basket counts kept between inputs: a purchase reads a dozen, most of them the same few hot keys. */
  private static final int CO_PURCHASES_CACHED = 10_000;
  /**
   * Decoded preferences of the customers seen last: an input reads them up to four times (update, offer,
   * replenishment plan, profile), and busy customers come back.
   */
  private static final int PREFERENCES_CACHED = 10_000;
  private final ProcessorContext<Object, Object> context;

  Staging(ProcessorContext<Object, Object> context) {
    this.context = context;
    accounts = staged(context, LoyaltyTopology.ACCOUNTS_STORE, AccountState.class);
    lots = staged(context, LoyaltyTopology.LOTS_STORE, Lot.class);
    transactions = staged(context, LoyaltyTopology.TRANSACTIONS_STORE, TransactionRecord.class);
    timers = staged(context, LoyaltyTopology.TIMERS_STORE, TimerEntry.class);
    parked = staged(context, LoyaltyTopology.PARKED_STORE, ParkedEvents.class);
    LongSerializer longs = new LongSerializer();
    LongDeserializer longValues = new LongDeserializer();
    clock = new StagedStore<>(context.getStateStore(LoyaltyTopology.CLOCK_STORE), value -> longs.serialize(null, value),
        bytes -> longValues.deserialize(null, bytes));
    AvroCodec<CustomerPreferences> tastes = LoyaltyTopology.STATE_SERDES.codec(CustomerPreferences.class);
    preferences = new StagedStore<>(context.getStateStore(LoyaltyTopology.PREFERENCES_STORE),
        value -> tastes.encode(LoyaltyTopology.PREFERENCES_STORE, value), tastes::decode, PREFERENCES_CACHED);
    AvroCodec<CoPurchases> counts = LoyaltyTopology.STATE_SERDES.codec(CoPurchases.class);
    coPurchases = new StagedStore<>(context.getStateStore(LoyaltyTopology.CO_PURCHASES_STORE),
        value -> counts.encode(LoyaltyTopology.CO_PURCHASES_STORE, value), counts::decode, CO_PURCHASES_CACHED);
    offers = staged(context, LoyaltyTopology.OFFERS_STORE, OfferBook.class);
    engagements = staged(context, LoyaltyTopology.ENGAGEMENT_STORE, Engagement.class);
    segments = staged(context, LoyaltyTopology.SEGMENTS_STORE, SegmentMemberships.class);
    segmentSizes = new StagedStore<>(context.getStateStore(LoyaltyTopology.SEGMENT_SIZES_STORE), value -> longs.serialize(null, value),
        bytes -> longValues.deserialize(null, bytes));
    workflows = staged(context, LoyaltyTopology.WORKFLOWS_STORE, WorkflowRuns.class);
    workflowStats = staged(context, LoyaltyTopology.WORKFLOW_STATS_STORE, WorkflowStats.class);
    kpiMarks = staged(context, LoyaltyTopology.KPI_MARKS_STORE, KpiMarks.class);
    recentEntries = staged(context, LoyaltyTopology.RECENT_ENTRIES_STORE, LedgerEntry.class);
    seen = new SeenIds(context.getStateStore(LoyaltyTopology.SEEN_STORE));
    stores = List.of(accounts, lots, transactions, timers, parked, clock, preferences, coPurchases, offers, engagements, segments,
        segmentSizes, workflows, workflowStats, kpiMarks, recentEntries);
  }

  /** Key of a transaction in the transactions and parked-reversals stores: the account's key and the transaction id. */
  static String transactionKey(String accountKey, String transactionId) {
    return accountKey + "/" + transactionId;
  }

  private static <V extends SpecificRecord> StagedStore<V> staged(ProcessorContext<Object, Object> context, String name,
      Class<V> type) {
    AvroCodec<V> codec = LoyaltyTopology.STATE_SERDES.codec(type);
    return new StagedStore<>(context.getStateStore(name), value -> codec.encode(name, value), codec::decode);
  }

  void commit() {
    stores.forEach(StagedStore::commit);
    seen.commit();
    outbox.send(context);
  }

  void discard() {
    stores.forEach(StagedStore::discard);
    seen.discard();
    outbox.discard();
    kpiTally.clear();
  }
}
