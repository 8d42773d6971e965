package io.loyalty.testing;

import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CustomerRecord;
import io.loyalty.avro.state.Lot;
import io.loyalty.serde.AvroCodec;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Product;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.runtime.EngineMeters;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.StreamsSettings;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.LoyaltyTopology;
import io.loyalty.topology.StepProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import io.loyalty.avro.ProgramKpis;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology and configuration in a TopologyTestDriver: records go in encoded as a POS
 * connector would encode them, and come out decoded, so the tests see exactly what consumers would. Record
 * timestamps are arrival times, as the broker stamps the engine's topics (LogAppendTime): an input's business
 * time if it is later than the previous arrival, else one millisecond after it, so an event that arrives late
 * (its business time before inputs already read) is stamped when it arrives. A run never reads the wall clock.
 * Every input piped is kept, with its timestamp, in {@link #arrivals()}, so a test can replay it.
 */
public final class TopologyHarness implements AutoCloseable {
  public final Topics topics;
  public final SerdeFactory serdes = SerdeFactory.singleObject();
  /** The operator's counters of this engine (what /metrics exports). */
  public final EngineMeters meters = EngineMeters.inMemory();
  private final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> transactions;
  private final TestInputTopic<byte[], byte[]> programs;
  private final TestInputTopic<byte[], byte[]> products;
  private final TestInputTopic<byte[], byte[]> commands;
  private final TestInputTopic<byte[], byte[]> clock;
  private final TestInputTopic<byte[], byte[]> activity;
  private final TestOutputTopic<String, CommandResult> results;
  private final TestOutputTopic<String, RewardEvent> rewards;
  private final TestOutputTopic<String, NotificationRequest> notifications;
  private final TestOutputTopic<String, SegmentChange> segmentChanges;
  private final TestOutputTopic<String, LedgerEntry> ledger;
  private final TestOutputTopic<String, CustomerProfile> profiles;
  private final TestOutputTopic<byte[], Rejection> rejections;
  private final TestOutputTopic<String, ProgramKpis> metrics;
  /** The latest KPI snapshot of every period published so far, by organization/location/grain/periodStart. */
  private final Map<String, ProgramKpis> kpis = new java.util.TreeMap<>();

  private final Path stateDir;
  private final List<Arrival> arrivals = new ArrayList<>();
  private long lastArrival = Long.MIN_VALUE;
  private Instant nextAppend;

  /** One input record as it was appended: its topic, key, value and append time. */
  public record Arrival(String topic, byte[] key, byte[] value, Instant timestamp) {}

  public TopologyHarness() {
    this(StepProbe.NONE);
  }

  /** A harness whose account path reports its steps to {@code probe} (fault injection). */
  public TopologyHarness(StepProbe probe) {
    this(probe, Map.of());
  }

  /** A harness with these settings over the defaults (loyalty.properties keys). */
  public TopologyHarness(Map<String, String> settings) {
    this(StepProbe.NONE, settings);
  }

  private TopologyHarness(StepProbe probe, Map<String, String> settings) {
    try {
      stateDir = Files.createTempDirectory("loyalty-ttd-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // A state directory of its own, so that test runs in parallel (two checkouts, two forks) never share RocksDB files.
    AppConfig config = AppConfig.defaults().with(Map.of(
        "kafka.state.dir", stateDir.toString(),
        "kafka.application.id", "loyalty-test",
        "kafka.bootstrap.servers", "unused:9092",
        "reversal.grace.minutes", "60")).with(settings);
    topics = config.topics();
    Properties properties = StreamsSettings.of(config);
    driver = new TopologyTestDriver(LoyaltyTopology.build(topics, SerdeFactory.of(config.registry()), LoyaltyApp.settings(config, meters),
        probe), properties);
    transactions = driver.createInputTopic(topics.transactions(), new ByteArraySerializer(), new ByteArraySerializer());
    programs = driver.createInputTopic(topics.programs(), new ByteArraySerializer(), new ByteArraySerializer());
    products = driver.createInputTopic(topics.products(), new ByteArraySerializer(), new ByteArraySerializer());
    commands = driver.createInputTopic(topics.commands(), new ByteArraySerializer(), new ByteArraySerializer());
    clock = driver.createInputTopic(topics.clock(), new ByteArraySerializer(), new ByteArraySerializer());
    activity = driver.createInputTopic(topics.activity(), new ByteArraySerializer(), new ByteArraySerializer());
    results = driver.createOutputTopic(topics.commandResults(), new StringDeserializer(),
        serdes.serde(CommandResult.class).deserializer());
    rewards = driver.createOutputTopic(topics.rewards(), new StringDeserializer(), serdes.serde(RewardEvent.class).deserializer());
    notifications = driver.createOutputTopic(topics.notifications(), new StringDeserializer(),
        serdes.serde(NotificationRequest.class).deserializer());
    segmentChanges = driver.createOutputTopic(topics.segmentChanges(), new StringDeserializer(),
        serdes.serde(SegmentChange.class).deserializer());
    ledger = driver.createOutputTopic(topics.ledger(), new StringDeserializer(), serdes.serde(LedgerEntry.class).deserializer());
    profiles = driver.createOutputTopic(topics.profiles(), new StringDeserializer(),
        serdes.serde(CustomerProfile.class).deserializer());
    rejections = driver.createOutputTopic(topics.rejections(), new ByteArrayDeserializer(),
        serdes.serde(Rejection.class).deserializer());
    metrics = driver.createOutputTopic(topics.metrics(), new StringDeserializer(), serdes.serde(ProgramKpis.class).deserializer());
  }

  public void program(ProgramConfig program) {
    TopicContract<?> contract = TopicContract.of(topics, topics.programs());
    pipe(programs, topics.programs(), bytes(contract.keyOf(program)),
        serdes.serde(ProgramConfig.class).serializer().serialize(topics.programs(), program), program.getEffectiveFrom());
  }

  /** A catalog record, keyed as the catalog contract keys it. */
  public void product(Product product) {
    TopicContract<?> contract = TopicContract.of(topics, topics.products());
    pipe(products, topics.products(), bytes(contract.keyOf(product)),
        serdes.serde(Product.class).serializer().serialize(topics.products(), product), product.getUpdatedAt());
  }

  public void transaction(TransactionEvent event) {
    TopicContract<?> contract = TopicContract.of(topics, topics.transactions());
    pipe(transactions, topics.transactions(), bytes(contract.keyOf(event)),
        serdes.serde(TransactionEvent.class).serializer().serialize(topics.transactions(), event), event.getOccurredAt());
  }

  public void command(LoyaltyCommand command) {
    TopicContract<?> contract = TopicContract.of(topics, topics.commands());
    pipe(commands, topics.commands(), bytes(contract.keyOf(command)),
        serdes.serde(LoyaltyCommand.class).serializer().serialize(topics.commands(), command), command.getIssuedAt());
  }

  /** An activity report, keyed as the activity contract keys it. */
  public void activity(ActivityEvent event) {
    TopicContract<?> contract = TopicContract.of(topics, topics.activity());
    activity(bytes(contract.keyOf(event)), serdes.serde(ActivityEvent.class).serializer().serialize(topics.activity(), event),
        event.getOccurredAt());
  }

  /** An activity record exactly as it sits on the topic. */
  public void activity(byte[] key, byte[] value, Instant at) {
    pipe(activity, topics.activity(), key, value, at);
  }

  /** A clock tick announcing the time, as the clock ticker publishes it. */
  public void tick(Instant at) {
    pipe(clock, topics.clock(), null, serdes.serde(ClockTick.class).serializer().serialize(topics.clock(), new ClockTick(at, "test")), at);
  }

  /** The next input is appended at this time rather than at its business time (a POS or ticker clock that is off). */
  public void appendNextAt(Instant appendTime) {
    nextAppend = appendTime;
  }

  private void pipe(TestInputTopic<byte[], byte[]> topic, String name, byte[] key, byte[] value, Instant businessTime) {
    if (nextAppend != null) {
      businessTime = nextAppend;
      nextAppend = null;
    }
    lastArrival = lastArrival == Long.MIN_VALUE ? businessTime.toEpochMilli() : Math.max(lastArrival + 1, businessTime.toEpochMilli());
    replay(new Arrival(name, key, value, Instant.ofEpochMilli(lastArrival)));
  }

  /** Pipes a record as it sits on its topic, with its append time. */
  public void replay(Arrival arrival) {
    TestInputTopic<byte[], byte[]> topic = arrival.topic().equals(topics.transactions()) ? transactions
        : arrival.topic().equals(topics.commands()) ? commands
        : arrival.topic().equals(topics.clock()) ? clock
        : arrival.topic().equals(topics.activity()) ? activity
        : arrival.topic().equals(topics.products()) ? products : programs;
    arrivals.add(arrival);
    topic.pipeInput(arrival.key(), arrival.value(), arrival.timestamp());
  }

  /** Every input piped so far, in arrival order. */
  public List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  public List<RewardEvent> rewards() {
    return rewards.readValuesToList();
  }

  public List<SegmentChange> segmentChanges() {
    return segmentChanges.readValuesToList();
  }

  public List<NotificationRequest> notifications() {
    return notifications.readValuesToList();
  }

  public List<CommandResult> results() {
    return results.readValuesToList();
  }

  public void raw(String key, byte[] value) {
    transactions.pipeInput(key == null ? null : bytes(key), value);
  }

  /** A record exactly as it sits on the transactions topic. */
  public void raw(byte[] key, byte[] value, Instant timestamp) {
    transactions.pipeInput(key, value, timestamp);
  }

  /** A program record exactly as it sits on the programs topic. */
  public void rawProgram(byte[] key, byte[] value) {
    programs.pipeInput(key, value);
  }

  public List<LedgerEntry> ledger() {
    return ledger.readValuesToList();
  }

  /** The newest profile snapshot sent since the last read (the others are read and dropped). */
  public CustomerProfile lastProfile() {
    List<CustomerProfile> sent = profiles();
    return sent.get(sent.size() - 1);
  }

  public List<CustomerProfile> profiles() {
    return profiles.readValuesToList();
  }

  public List<TestRecord<byte[], Rejection>> rejections() {
    return rejections.readRecordsToList();
  }

  /**
   * Lets the KPI publication interval pass (wall-clock time: it only paces the output) and returns the latest
   * snapshot of every period, keyed organization/location or * /grain/periodStart.
   */
  public Map<String, ProgramKpis> kpis() {
    letKpisThrough();
    for (ProgramKpis published : metrics.readValuesToList()) {
      kpis.put(published.getMetricId().substring(0, published.getMetricId().indexOf('@')), published);
    }
    return kpis;
  }

  /** The KPI snapshots published since the last read, in order. */
  public List<ProgramKpis> kpiSnapshots() {
    letKpisThrough();
    return metrics.readValuesToList();
  }

  /**
   * The account task sends its KPI sums once per commit interval, and the KPI task publishes the rows they changed
   * once per emit interval: both pass twice, since the driver runs the two punctuations before it pipes what the first sent.
   */
  private void letKpisThrough() {
    driver.advanceWallClockTime(java.time.Duration.ofMinutes(1));
    driver.advanceWallClockTime(java.time.Duration.ofMinutes(1));
  }

  public TopologyTestDriver driver() {
    return driver;
  }

  /**
   * Every account's lots, those in its record and those in the lots store, oldest first. Checks on the way that
   * stored lots are in the account's key range and carry no expiry (expiring lots stay in the record).
   */
  public Map<String, List<Lot>> lots() {
    Map<String, List<Lot>> lots = new TreeMap<>();
    accounts().forEach((key, state) -> lots.put(key, new ArrayList<>(state.getLots())));
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore(LoyaltyTopology.LOTS_STORE);
    AvroCodec<Lot> codec = LoyaltyTopology.STATE_SERDES.codec(Lot.class);
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(entry -> {
        int hash = entry.key.indexOf('#');
        int length = Integer.parseInt(entry.key.substring(0, hash));
        String account = entry.key.substring(hash + 1, hash + 1 + length);
        Lot lot = codec.decode(entry.value);
        if (lot.getExpiresAt() != null || !entry.key.endsWith("|" + lot.getLotId())) {
          throw new AssertionError("stored lot " + entry.key + " has an expiry or is under another key");
        }
        lots.computeIfAbsent(account, ignored -> new ArrayList<>()).add(lot);
      });
    }
    lots.values().forEach(list -> list.sort(Comparator.comparing(Lot::getEarnedAt).thenComparing(Lot::getLotId)));
    return lots;
  }

  /** The accounts of the customer records, decoded: the engine keeps its state as encoded bytes. */
  public Map<String, AccountState> accounts() {
    Map<String, AccountState> accounts = new TreeMap<>();
    customers().forEach((key, customer) -> accounts.put(key, customer.getAccount()));
    return accounts;
  }

  /**
   * The customer records (accounts-store), decoded; an account a previous version wrote (an AccountState, not moved
   * into its record yet) as a record of its account alone.
   */
  public Map<String, CustomerRecord> customers() {
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore(LoyaltyTopology.ACCOUNTS_STORE);
    AvroCodec<CustomerRecord> codec = LoyaltyTopology.STATE_SERDES.codec(CustomerRecord.class);
    AvroCodec<AccountState> previous = LoyaltyTopology.STATE_SERDES.codec(AccountState.class);
    Map<String, CustomerRecord> customers = new TreeMap<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(entry -> customers.put(entry.key, AvroCodec.writtenAs(entry.value, AccountState.getClassSchema().getFullName())
          ? CustomerRecord.newBuilder().setAccount(previous.decode(entry.value)).build() : codec.decode(entry.value)));
    }
    return customers;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> paths = Files.walk(stateDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
