package io.loyalty.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loyalty.audit.InvariantChecker;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.cli.Options;
import io.loyalty.demo.SampleSegments;
import io.loyalty.demo.SampleWorkflows;
import io.loyalty.demo.SampleStream.Item;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ClockTicker;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.Directories;
import io.loyalty.runtime.IntermediateTopics;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.TopicAdmin;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The `bench` command. Each repetition runs in its own JVM (fresh JIT, heap and client state, so repetitions are
 * independent samples) with a fresh broker in another JVM (or --bootstrap-servers), and on that one broker, with
 * the same partitions and serde: warm both topologies up on an input of their own (see {@link #warmUp}), publish
 * a generated POS stream, drain it with (a) an exactly-once pass-through and (b) the full loyalty topology, then measure (b)'s latency at a fixed rate, its heap and state on disk, its
 * restore time after its local state is deleted, and check the invariants on what it wrote. Prints a table of
 * medians and spreads and writes the figures as JSON.
 */
public final class BenchCommand {
  private static final Instant BUSINESS_START = Instant.parse("2026-09-01T16:00:00Z");

  private BenchCommand() {}

  /** The command's options, with their defaults. */
  private record Settings(int events, int warmupEvents, int accounts, double zipf, int partitions, int repetitions, int rate,
      int latencySeconds, long seed, Path out, boolean segments, boolean workflows) {
    static Settings of(Options options) {
      return new Settings(options.intValue("--events", 300_000), options.intValue("--warmup", 0),
          options.intValue("--accounts", 1_000_000),
          Double.parseDouble(options.value("--zipf").orElse("0.8")),
          options.intValue("--partitions", 6), options.intValue("--repetitions", 3), options.intValue("--rate", 5_000),
          options.intValue("--latency-seconds", 30), options.intValue("--seed", 42),
          Path.of(options.value("--out").orElse("bench-results.json")),
          options.flag("--segments") || options.flag("--workflows"), options.flag("--workflows"));
    }
  }

  public static int run(AppConfig base, Options options) throws Exception {
    Settings settings = Settings.of(options);
    Path work = Files.createTempDirectory("loyalty-bench-");
    try {
      if (options.value("--single-repetition").isPresent()) {
        singleRepetition(base, options, settings, work);
      } else {
        allRepetitions(base, options, settings, work);
      }
      return 0;
    } finally {
      Directories.deleteRecursively(work);
    }
  }

  private static void allRepetitions(AppConfig base, Options options, Settings settings, Path work) throws Exception {
    List<Map<String, Object>> runs = new ArrayList<>();
    for (int rep = 1; rep <= settings.repetitions(); rep++) {
      runs.add(RepetitionProcess.run(options, rep, work.resolve("rep-" + rep + ".json")));
      System.out.println("repetition " + rep + ": " + runs.get(runs.size() - 1));
    }
    Map<String, Object> report = BenchReport.summarize(runs, Map.ofEntries(Map.entry("events", settings.events()),
        Map.entry("warmupEvents", settings.warmupEvents()),
        Map.entry("accounts", settings.accounts()), Map.entry("partitions", settings.partitions()),
        Map.entry("repetitions", settings.repetitions()), Map.entry("latencyRate", settings.rate()),
        Map.entry("latencySeconds", settings.latencySeconds()), Map.entry("seed", settings.seed()),
        Map.entry("segments", settings.segments() ? SampleSegments.standard().size() : 0),
        Map.entry("workflows", settings.workflows() ? SampleWorkflows.standard().size() : 0),
        Map.entry("cores", Runtime.getRuntime().availableProcessors()), Map.entry("heap", options.value("--heap").orElse("1g")),
        Map.entry("rocksdbMemoryBytes", Long.parseLong(base.get("rocksdb.memory.bytes")))));
    System.out.print(BenchReport.table(report));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(settings.out().toFile(), report);
    System.out.println("JSON written to " + settings.out().toAbsolutePath());
  }

  private static void singleRepetition(AppConfig base, Options options, Settings settings, Path work) throws Exception {
    int rep = options.intValue("--single-repetition", 1);
    BrokerProcess broker = options.value("--bootstrap-servers").isPresent() ? null : BrokerProcess.start(work.resolve("kafka"));
    try {
      String bootstrap = options.value("--bootstrap-servers").orElseGet(broker::bootstrapServers);
      String prefix = "bench-" + System.currentTimeMillis() + "-" + rep + ".";
      AppConfig config = base.with(Map.of("kafka.bootstrap.servers", bootstrap, "topic.prefix", prefix, "clock.tick.interval.ms", "0"));
      if (settings.warmupEvents() > 0) {
        warmUp(config.with(Map.of("topic.prefix", prefix + "warmup.")), work.resolve("warmup"), settings);
      }
      Map<String, Object> run = repetition(config, work, settings);
      run.put("repetition", rep);
      new ObjectMapper().writeValue(settings.out().toFile(), run);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static Map<String, Object> repetition(AppConfig config, Path dir, Settings settings) throws Exception {
    try (LoadPublisher publisher = publisher(config, settings)) {
      return measure(config, dir, settings, publisher);
    }
  }

  /** The topics of a run, and a publisher that has published its programs and catalog. */
  private static LoadPublisher publisher(AppConfig config, Settings settings) {
    TopicAdmin.createMissing(config.kafkaProperties(), config.topics(), settings.partitions(), (short) 1);
    TopicAdmin.createMissing(config.kafkaProperties(), List.of(new NewTopic(passthroughTopic(config), settings.partitions(), (short) 1)));
    return new LoadPublisher(config, settings.segments() ? SampleSegments.standard() : List.of(),
        settings.workflows() ? SampleWorkflows.standard() : List.of());
  }

  /**
   * Runs both topologies in this JVM over a warm-up input of their own (another seed, other topics, other
   * application ids) before the measured runs (--warmup N), so that these measure the steady state a long-running
   * engine is in: measured cold, the C2 compiler took half a core for ~50 s of the loyalty run's ~120 s, beside a
   * stream thread it starved, and the pass-through's run of a few seconds is mostly its own start.
   */
  private static void warmUp(AppConfig config, Path dir, Settings settings) throws Exception {
    Topics topics = config.topics();
    try (LoadPublisher publisher = publisher(config, settings)) {
      LoadGenerator generator = new LoadGenerator(settings.seed() + 1, settings.accounts(), settings.zipf(), BUSINESS_START);
      for (int i = 0; i < settings.warmupEvents(); i++) {
        publisher.publish(generator.next());
      }
      publisher.flush();
    }
    try (EngineRun pass = passThrough(config, dir)) {
      pass.start();
      pass.drain(List.of(topics.transactions()));
    }
    AppConfig loyaltyConfig = loyaltyConfig(config, dir);
    IntermediateTopics.prepare(loyaltyConfig);
    try (EngineRun loyalty = new EngineRun(loyaltyConfig, LoyaltyApp.topology(loyaltyConfig))) {
      loyalty.start();
      loyalty.drain(List.of(topics.transactions(), topics.commands()));
    }
  }

  private static EngineRun passThrough(AppConfig config, Path dir) {
    AppConfig passConfig = config.with(Map.of("kafka.application.id", config.topics().transactions() + "-passthrough",
        "kafka.state.dir", dir.resolve("passthrough").toString()));
    return new EngineRun(passConfig, PassThroughTopology.build(config.topics().transactions(), passthroughTopic(config),
        SerdeFactory.of(config.registry()).codec(TransactionEvent.class)));
  }

  private static AppConfig loyaltyConfig(AppConfig config, Path dir) {
    return config.with(Map.of("kafka.application.id", config.topics().transactions() + "-loyalty",
        "kafka.state.dir", dir.resolve("loyalty").toString()));
  }

  private static Map<String, Object> measure(AppConfig config, Path dir, Settings settings, LoadPublisher publisher)
      throws Exception {
    int events = settings.events();
    int accounts = settings.accounts();
    Topics topics = config.topics();
    SerdeFactory serdes = SerdeFactory.of(config.registry());
    LoadGenerator generator = new LoadGenerator(settings.seed(), accounts, settings.zipf(), BUSINESS_START);
    BitSet customers = new BitSet(accounts + 1);
    // The register's lookups ask for customers the load touched: the first thousand seen.
    java.util.List<String> lookedUp = new java.util.ArrayList<>();
    Map<String, Object> run = new LinkedHashMap<>();
    long begin = System.nanoTime();
    for (int i = 0; i < events; i++) {
      Item item = generator.next();
      if (item.event() != null && item.event().getCustomerId() != null) {
        customers.set(Integer.parseInt(item.event().getCustomerId().substring(1)));
        if (lookedUp.size() < LOOKED_UP) {
          lookedUp.add("/v1/organizations/" + item.event().getOrganizationId() + "/customers/" + item.event().getCustomerId());
        }
      }
      publisher.publish(item);
    }
    publisher.flush();
    run.put("produceEventsPerSecond", events / seconds(begin));
    run.put("accountsTouched", customers.cardinality());

    try (EngineRun pass = passThrough(config, dir)) {
      pass.start();
      Map<String, Double> threadTime = new java.util.TreeMap<>();
      run.put("passThroughEventsPerSecond", events / pass.drain(List.of(topics.transactions()), threadTime));
      run.put("passThroughStreamThreadTime", threadTime);
    }

    LookupProbe lookups = new LookupProbe();
    AppConfig fullConfig = lookups.announce(loyaltyConfig(config, dir));
    // Its own topics (KPI deltas, merges, contact index) are named after its application id, as the engine creates them.
    IntermediateTopics.prepare(fullConfig);
    EngineRun full = new EngineRun(fullConfig, LoyaltyApp.topology(fullConfig));
    try (lookups) {
      Map<String, Long> endsBefore = ConsumerLag.endOffsetsByTopic(fullConfig.kafkaProperties());
      full.start();
      EngineRun.resetPeakHeap();
      Map<String, Double> threadTime = new java.util.TreeMap<>();
      double fullSeconds = full.drain(List.of(topics.transactions(), topics.commands()), threadTime);
      run.put("streamThreadTime", threadTime);
      run.put("loyaltyEventsPerSecond", events / fullSeconds);
      putRecordsWritten(run, endsBefore, ConsumerLag.endOffsetsByTopic(fullConfig.kafkaProperties()), events);
      run.put("ratio", (Double) run.get("loyaltyEventsPerSecond") / (Double) run.get("passThroughEventsPerSecond"));
      run.put("peakHeapBytes", EngineRun.peakHeapBytes());
      run.put("liveHeapBytes", EngineRun.liveHeapBytes());

      EngineRun running = full;
      lookups.start(full.streams(), fullConfig, lookedUp, LOOKUPS_PER_SECOND);
      LatencyProbe.Result latency = LatencyProbe.run(fullConfig, publisher, generator, settings.rate(), Duration.ofSeconds(settings.latencySeconds()),
          () -> running.drain(List.of(topics.transactions(), topics.commands())));
      put(run, "lookup", lookups.stop());
      run.put("lookupErrors", lookups.errors());
      run.put("latencyEventsSent", latency.sent());
      put(run, "latency", latency.ledger());
      if (settings.segments()) {
        put(run, "segmentChangeLatency", latency.segmentChange());
      }
      if (settings.workflows()) {
        put(run, "workflowActionLatency", latency.workflowAction());
      }
      // Ticks at the current time settle what waits on business time (returns whose purchase never came, segment
      // reviews, workflow delays). A tick fires at most clock.max.timers.per.tick timers per partition, so the
      // bench ticks until a tick changes no profile: then nothing is due any more.
      long profilesWritten = ConsumerLag.endOffsetSum(fullConfig.kafkaProperties(), topics.profiles());
      for (int tick = 1; ; tick++) {
        ClockTicker.tickOnce(fullConfig);
        full.drain(List.of(topics.transactions(), topics.commands(), topics.clock()));
        long written = ConsumerLag.endOffsetSum(fullConfig.kafkaProperties(), topics.profiles());
        if (written == profilesWritten) {
          run.put("settlingTicks", tick);
          break;
        }
        profilesWritten = written;
      }

      InvariantChecker.Report check = InvariantChecker.check(fullConfig.kafkaProperties(), topics, serdes, InvariantChecker.AFTER_CATCH_UP);
      run.put("invariants", check.line());
      check.examples().forEach(example -> System.out.println("  " + example));

      full.close();
      Map<String, Long> stateByStore = full.stateBytesByStore();
      long stateBytes = stateByStore.values().stream().mapToLong(Long::longValue).sum();
      run.put("stateBytes", stateBytes);
      run.put("stateBytesByStore", stateByStore);
      run.put("stateBytesPerMillionAccounts", stateBytes * 1_000_000L / Math.max(1, customers.cardinality()));
      full.closeAndWipe();
      full = new EngineRun(fullConfig, LoyaltyApp.topology(fullConfig));
      run.put("restoreSeconds", full.start());
      run.put("restoredRecords", full.restoredRecords());
    } finally {
      full.close();
    }
    return run;
  }

  /**
   * What the loyalty run wrote per input, from every topic's end offsets before it started and once it had drained
   * its input (outputs, changelogs and the engine's own topics, transaction markers included): nothing else writes
   * in between.
   */
  private static void putRecordsWritten(Map<String, Object> run, Map<String, Long> before, Map<String, Long> after, int inputs) {
    Map<String, Double> perTopic = new java.util.TreeMap<>();
    long total = 0;
    for (Map.Entry<String, Long> end : after.entrySet()) {
      long written = end.getValue() - before.getOrDefault(end.getKey(), 0L);
      if (written > 0) {
        perTopic.put(end.getKey(), Math.round(written * 1000.0 / inputs) / 1000.0);
        total += written;
      }
    }
    run.put("recordsWrittenPerInput", (double) total / inputs);
    run.put("recordsWrittenPerInputByTopic", perTopic);
  }

  /** Customers the lookup probe asks for, and how often: a few busy registers. */
  private static final int LOOKED_UP = 1000;
  private static final int LOOKUPS_PER_SECOND = 50;

  private static void put(Map<String, Object> run, String name, LatencyProbe.Percentiles latency) {
    run.put(name + "EventsMeasured", latency.measured());
    run.put(name + "P50Ms", latency.p50Ms());
    run.put(name + "P95Ms", latency.p95Ms());
    run.put(name + "P99Ms", latency.p99Ms());
    run.put(name + "MaxMs", latency.maxMs());
  }

  private static String passthroughTopic(AppConfig config) {
    return config.topics().transactions() + ".passthrough";
  }

  private static double seconds(long begin) {
    return (System.nanoTime() - begin) / 1e9;
  }
}
