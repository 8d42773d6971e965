package io.loyalty.topology;

import io.loyalty.accounts.ContactKeys;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.Product;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.catalog.ProductChecks;
import io.loyalty.intake.ProgramValidator;
import io.loyalty.runtime.Topics;
import io.loyalty.runtime.EngineMeters;
import io.loyalty.serde.SerdeFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole topology in one place. Every processor, store and internal topic has an explicit name, so the
 * topology (and the changelog topics derived from store names) stays stable across versions.
 *
 * <pre>
 * pos.transactions -> transactions-intake -+
 * loyalty.commands -> commands-intake -----+-> accounts -> loyalty.ledger, loyalty.profiles,
 * loyalty.clock    -> clock-intake --------+               loyalty.command-results, loyalty.rewards,
 *                                                         loyalty.notifications, loyalty.offers
 *            (every intake and accounts) ------------> loyalty.rejections
 *            (commands-intake, for a refused command) -> loyalty.command-results
 *                     accounts -> loyalty.kpi-deltas (key = organization) -> kpi-aggregation -> loyalty.metrics
 * loyalty.programs -> programs-loader -> programs-store (global, read by accounts)
 * loyalty.products -> products-loader -> products-store (global, read by accounts)
 *                     accounts -> loyalty.contact-index -> contact-index-loader -> contact-index-store (global, read by the API)
 *
 * and, as a second application ({@link #programChecks}):
 * loyalty.programs -> programs-check -> loyalty.rejections
 * loyalty.products -> products-check -> loyalty.rejections
 * </pre>
 *
 * The three inputs of accounts are one sub-topology, so partition p of each goes to the same task: their
 * topics must have the same number of partitions.
 */
public final class LoyaltyTopology {
  static final String TRANSACTIONS_SOURCE = "pos-transactions-source";
  static final String COMMANDS_SOURCE = "loyalty-commands-source";
  static final String CLOCK_SOURCE = "loyalty-clock-source";
  static final String ACTIVITY_SOURCE = "loyalty-activity-source";
  static final String ACTIVITY_INTAKE = "activity-intake";
  static final String MERGES_SOURCE = "loyalty-merges-source";
  static final String MERGES_INTAKE = "merges-intake";
  static final String TRANSACTIONS_INTAKE = "transactions-intake";
  static final String COMMANDS_INTAKE = "commands-intake";
  static final String CLOCK_INTAKE = "clock-intake";
  static final String ACCOUNTS_PROCESSOR = "accounts";
  static final String LEDGER_SINK = "ledger-sink";
  static final String PROFILES_SINK = "profiles-sink";
  static final String RESULTS_SINK = "command-results-sink";
  static final String REWARDS_SINK = "rewards-sink";
  static final String NOTIFICATIONS_SINK = "notifications-sink";
  static final String REJECTIONS_SINK = "rejections-sink";
  static final String PROGRAMS_SOURCE = "programs-source";
  static final String PROGRAMS_LOADER = "programs-loader";
  public static final String ACCOUNTS_STORE = "accounts-store";
  public static final String LOTS_STORE = "lots-store";
  public static final String TRANSACTIONS_STORE = "transactions-store";
  public static final String TIMERS_STORE = "timers-store";
  public static final String PARKED_STORE = "parked-reversals-store";
  public static final String CLOCK_STORE = "partition-clock-store";
  /** Per organization, the evaluation of the partition's accounts under a new audience (ProgramBackfills). */
  public static final String BACKFILLS_STORE = "backfills-store";
  public static final String SEEN_STORE = "seen-ids-store";
  public static final String PROGRAMS_STORE = "programs-store";
  public static final String PRODUCTS_STORE = "products-store";
  public static final String PREFERENCES_STORE = "preferences-store";
  public static final String CO_PURCHASES_STORE = "co-purchases-store";
  public static final String OFFERS_STORE = "offers-store";
  public static final String ENGAGEMENT_STORE = "engagement-store";
  public static final String SEGMENTS_STORE = "segments-store";
  public static final String SEGMENT_SIZES_STORE = "segment-sizes-store";
  public static final String WORKFLOWS_STORE = "workflows-store";
  public static final String WORKFLOW_STATS_STORE = "workflow-stats-store";
  public static final String KPI_MARKS_STORE = "kpi-marks-store";
  public static final String RECENT_ENTRIES_STORE = "recent-entries-store";
  public static final String CONTACT_INDEX_STORE = "contact-index-store";
  static final String CONTACT_INDEX_SINK = "contact-index-sink";
  static final String MERGES_SINK = "merges-sink";
  static final String CONTACT_INDEX_SOURCE = "contact-index-source";
  static final String CONTACT_INDEX_LOADER = "contact-index-loader";
  public static final String KPI_STORE = "kpi-store";
  public static final String KPI_DIRTY_STORE = "kpi-changed-rows-store";
  public static final String KPI_PENDING_STORE = "kpi-pending-store";
  static final String KPI_DELTAS_SINK = "kpi-deltas-sink";
  static final String KPI_DELTAS_SOURCE = "kpi-deltas-source";
  static final String KPI_AGGREGATION = "kpi-aggregation";
  static final String METRICS_SINK = "metrics-sink";
  static final String OFFERS_SINK = "offers-sink";
  static final String SEGMENT_CHANGES_SINK = "segment-changes-sink";
  static final String PRODUCTS_SOURCE = "products-source";
  static final String PRODUCTS_LOADER = "products-loader";

  /** State is always in single-object encoding, whatever the topics use: it never leaves the engine. */
  public static final SerdeFactory STATE_SERDES = SerdeFactory.singleObject();

  static final String PROGRAM_CHECKS_SOURCE = "programs-check-source";
  static final String PROGRAM_CHECKS = "programs-check";
  static final String PRODUCT_CHECKS_SOURCE = "products-check-source";
  static final String PRODUCT_CHECKS = "products-check";

  private LoyaltyTopology() {}

  /**
   * A second, separate topology: the programs and products topics already feed global stores (a global processor
   * cannot forward, and one topology cannot read a topic twice), so a second application reads them again to
   * reject the records the stores refuse. Keeping the store fed straight from the topic keeps startup and replays
   * deterministic: every program is loaded before any input is applied.
   */
  public static Topology programChecks(Topics topics, SerdeFactory serdes, EngineMeters meters) {
    Topology topology = new Topology();
    topology.addSource(PROGRAM_CHECKS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.programs());
    topology.addProcessor(PROGRAM_CHECKS, () -> new ConfigurationCheckProcessor<>(programRecords(serdes),
        new Output<>(REJECTIONS_SINK, topics.rejections(), serdes.codec(Rejection.class), meters)), PROGRAM_CHECKS_SOURCE);
    topology.addSource(PRODUCT_CHECKS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.products());
    topology.addProcessor(PRODUCT_CHECKS, () -> new ConfigurationCheckProcessor<>(productRecords(serdes),
        new Output<>(REJECTIONS_SINK, topics.rejections(), serdes.codec(Rejection.class), meters)), PRODUCT_CHECKS_SOURCE);
    topology.addSink(REJECTIONS_SINK, topics.rejections(), new ByteArraySerializer(), new ByteArraySerializer(), PROGRAM_CHECKS,
        PRODUCT_CHECKS);
    return topology;
  }

  /** Program versions: a refused version never replaces one in force (each version has its own key). */
  private static ConfigurationRecords<ProgramConfig> programRecords(SerdeFactory serdes) {
    return new ConfigurationRecords<>(PROGRAMS_STORE, serdes.codec(ProgramConfig.class), ProgramValidator::validate,
        ProgramConfig::getOrganizationId, "program", "not put in force", false,
        program -> "program " + program.getOrganizationId() + " version " + program.getVersion() + " effective from "
            + program.getEffectiveFrom(),
        "invalid-program-versions", "program records refused: undecodable, keyed wrongly or breaking a limit; the version in force stays");
  }

  /** Catalog records: a refused record removes the product, so the engine never recommends what the catalog tried to change. */
  private static ConfigurationRecords<Product> productRecords(SerdeFactory serdes) {
    return new ConfigurationRecords<>(PRODUCTS_STORE, serdes.codec(Product.class), ProductChecks::problem,
        Product::getOrganizationId, "catalog", "left out", true, null,
        "invalid-catalog-records", "catalog records refused: undecodable, keyed wrongly or out of range; the product is left out");
  }

  /**
   * The capabilities that react to an account's changes, in order, over a task's staged stores: the account path
   * runs them, and the API has them describe an account from a read-only view of the same stores.
   */
  static Reactions reactions(AccountOutputs outputs, SerdeFactory serdes, ContactKeys contactKeys) {
    return (staging, counters) -> {
      CatalogStore catalog = new CatalogStore(staging.global(PRODUCTS_STORE), serdes.codec(Product.class));
      Offers offerReaction = new Offers(staging.offers, staging.preferences, catalog, staging.outbox, outputs.offers(),
          outputs.notifications(), reason -> counters.counter("offers-suppressed-" + reason.toLowerCase(Locale.ROOT).replace('_', '-'),
              "offers and marketing messages not made because of " + reason), staging.kpiTally);
      // Workflows come after the others: they start on what those changed (segments entered, preferences, engagement).
      return Reaction.inDeclaredOrder(List.of(
          new Personalization(staging.preferences, staging.coPurchases, catalog),
          offerReaction,
          new CustomerActivity(staging.engagements),
          new Segments(staging.segments, staging.preferences, staging.engagements, staging.segmentSizes, staging.outbox,
              outputs.segmentChanges()),
          new Workflows(staging.workflows, staging.workflowStats, staging.preferences, staging.engagements,
              new ProgramStore(staging.global(PROGRAMS_STORE), serdes.codec(ProgramConfig.class)),
              offerReaction, staging.outbox, outputs.notifications(), staging.kpiTally),
          new RecentEntries(staging.recentEntries),
          new ContactIndex(staging.outbox, outputs.contactIndex(), contactKeys),
          // Metrics last of all: they count what the others did.
          new Metrics(staging.kpiMarks, staging.kpiTally, staging.kpiPending)));
    };
  }

  public static Topology build(Topics topics, SerdeFactory serdes, EngineSettings settings) {
    return build(topics, serdes, settings, StepProbe.NONE);
  }

  /** @param probe observes each step of the account path: fault-injection tests fail one; production passes none */
  public static Topology build(Topics topics, SerdeFactory serdes, EngineSettings settings, StepProbe probe) {
    Topology topology = new Topology();
    AccountOutputs outputs = AccountOutputs.of(topics, serdes, settings.meters());
    Output<Rejection> rejections = outputs.rejections();

    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PROGRAMS_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        PROGRAMS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.programs(),
        PROGRAMS_LOADER, () -> new ConfigurationLoader<>(programRecords(serdes)));

    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PRODUCTS_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        PRODUCTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.products(),
        PRODUCTS_LOADER, () -> new ConfigurationLoader<>(productRecords(serdes)));

    // Every instance finds an account by hashed phone or email: the index is small (two keys per account) and a
    // lookup then goes to the account's owner like any read.
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONTACT_INDEX_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        CONTACT_INDEX_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.contactIndex(),
        CONTACT_INDEX_LOADER, ContactIndexLoader::new);

    topology.addSource(TRANSACTIONS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.transactions());
    topology.addSource(COMMANDS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.commands());
    topology.addSource(CLOCK_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.clock());
    topology.addSource(ACTIVITY_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.activity());
    topology.addProcessor(TRANSACTIONS_INTAKE, () -> new IntakeProcessor<>(serdes.codec(TransactionEvent.class), settings.limits(),
        settings.validator()::validate, TransactionEvent::getEventId, TransactionEvent::getOrganizationId,
        TransactionEvent::getOccurredAt, settings.maxAhead(), rejections),
        TRANSACTIONS_SOURCE);
    topology.addProcessor(COMMANDS_INTAKE, () -> new CommandIntakeProcessor(serdes.codec(LoyaltyCommand.class), settings.limits(),
        settings.maxAhead(), rejections, outputs.results()), COMMANDS_SOURCE);
    topology.addProcessor(CLOCK_INTAKE, () -> new IntakeProcessor<>(serdes.codec(ClockTick.class), settings.limits(),
        (key, tick) -> Optional.empty(), tick -> null, tick -> null, ClockTick::getAt, settings.maxAhead(), rejections),
        CLOCK_SOURCE);
    topology.addProcessor(ACTIVITY_INTAKE, () -> new IntakeProcessor<>(serdes.codec(ActivityEvent.class), settings.limits(),
        settings.activityValidator()::validate, ActivityEvent::getEventId, ActivityEvent::getOrganizationId,
        ActivityEvent::getOccurredAt, settings.maxAhead(), rejections), ACTIVITY_SOURCE);
    // The engine's own merge steps come back in through an intake like any input (decoded, keyed by account).
    topology.addSource(MERGES_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.merges());
    topology.addProcessor(MERGES_INTAKE, () -> new IntakeProcessor<>(STATE_SERDES.codec(MergeTransfer.class), null,
        (key, transfer) -> Optional.empty(), MergeTransfer::getMergeId, MergeTransfer::getOrganizationId, MergeTransfer::getIssuedAt,
        settings.maxAhead(), rejections), MERGES_SOURCE);
    topology.addProcessor(ACCOUNTS_PROCESSOR, () -> new AccountProcessor(serdes.codec(ProgramConfig.class),
        serdes.codec(TransactionEvent.class), settings, outputs, reactions(outputs, serdes, settings.contactKeys()), probe), TRANSACTIONS_INTAKE, COMMANDS_INTAKE,
        CLOCK_INTAKE, ACTIVITY_INTAKE, MERGES_INTAKE);

    // Values are bytes: the processor encodes them (see Staging). No record cache: measured with caching on
    // every store, the default bench ran at 5,657 and 5,280 events/s against 8,591 and 9,181 without (README).
    for (String store : List.of(ACCOUNTS_STORE, LOTS_STORE, TRANSACTIONS_STORE, TIMERS_STORE, PARKED_STORE, CLOCK_STORE,
        OFFERS_STORE, ENGAGEMENT_STORE, SEGMENTS_STORE, WORKFLOWS_STORE, KPI_MARKS_STORE, RECENT_ENTRIES_STORE, BACKFILLS_STORE)) {
      topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()),
          ACCOUNTS_PROCESSOR);
    }
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PREFERENCES_STORE), Serdes.String(),
        Serdes.ByteArray()), ACCOUNTS_PROCESSOR);
    // Basket counts are per organization and product: a small, hot set of keys (bounded by the catalogs), kept in
    // memory, written on every purchase; the cache sends each key's latest value to the changelog once per commit.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CO_PURCHASES_STORE), Serdes.String(),
        Serdes.ByteArray()).withCachingEnabled(), ACCOUNTS_PROCESSOR);
    // Segment sizes: one counter per organization and segment, moved by every entry and exit.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SEGMENT_SIZES_STORE), Serdes.String(),
        Serdes.ByteArray()).withCachingEnabled(), ACCOUNTS_PROCESSOR);
    // Workflow statistics: one record per organization, workflow and version, moved by every step of every run.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WORKFLOW_STATS_STORE), Serdes.String(),
        Serdes.ByteArray()).withCachingEnabled(), ACCOUNTS_PROCESSOR);
    // KPI sums of the task's inputs, one per organization, location and day, sent and emptied once per commit interval.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(KPI_PENDING_STORE), Serdes.String(),
        Serdes.ByteArray()).withCachingEnabled(), ACCOUNTS_PROCESSOR);
    Duration retention = settings.dedupRetention();
    topology.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(SEEN_STORE, retention, Duration.ofMillis(1), false),
        Serdes.String(), Serdes.Long()), ACCOUNTS_PROCESSOR);

    // Processors encode what they send (see Output): the sinks write bytes.
    for (Output<?> output : outputs.accountsOnly()) {
      topology.addSink(output.sink(), output.topic(), new StringSerializer(), new ByteArraySerializer(), ACCOUNTS_PROCESSOR);
    }
    topology.addSink(RESULTS_SINK, topics.commandResults(), new StringSerializer(), new ByteArraySerializer(),
        COMMANDS_INTAKE, ACCOUNTS_PROCESSOR);
    topology.addSink(REJECTIONS_SINK, topics.rejections(), new ByteArraySerializer(), new ByteArraySerializer(),
        TRANSACTIONS_INTAKE, COMMANDS_INTAKE, CLOCK_INTAKE, ACTIVITY_INTAKE, MERGES_INTAKE, ACCOUNTS_PROCESSOR);

    // KPIs: one task per organization's rows; kpi-store keeps ~13 months of days, 3 years of weeks, 5 of months.
    Output<ProgramKpis> metrics = new Output<>(METRICS_SINK, topics.metrics(), serdes.codec(ProgramKpis.class), settings.meters());
    topology.addSource(KPI_DELTAS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.kpiDeltas());
    topology.addProcessor(KPI_AGGREGATION, () -> new KpiAggregation(metrics, settings.metricsEmitInterval(),
        context -> new ProgramStore(context.getStateStore(PROGRAMS_STORE), serdes.codec(ProgramConfig.class))), KPI_DELTAS_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(KPI_STORE), Serdes.String(), Serdes.ByteArray())
        .withCachingEnabled(), KPI_AGGREGATION);
    // The rows changed since the last publication: logged, so a crash between a commit and the next publication
    // loses none of them; cached, so a row changed by many deltas is logged once per commit.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(KPI_DIRTY_STORE), Serdes.String(),
        Serdes.ByteArray()).withCachingEnabled(), KPI_AGGREGATION);
    topology.addSink(METRICS_SINK, topics.metrics(), new StringSerializer(), new ByteArraySerializer(), KPI_AGGREGATION);
    return topology;
  }
}
