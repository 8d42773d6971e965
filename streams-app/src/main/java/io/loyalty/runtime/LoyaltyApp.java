package io.loyalty.runtime;

import io.loyalty.api.ApiKeys;
import io.loyalty.api.AuthFailures;
import io.loyalty.accounts.ContactKeys;
import io.loyalty.api.ApiServer;
import io.loyalty.intake.ActivityValidator;
import io.loyalty.intake.InputLimits;
import io.loyalty.topology.WriteBudget;
import io.loyalty.intake.TransactionValidator;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.EngineSettings;
import io.loyalty.topology.LoyaltyTopology;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine as a running Kafka Streams application, built from configuration. */
public final class LoyaltyApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoyaltyApp.class);

  private final KafkaStreams streams;
  private final KafkaStreams programChecks;
  private final AppConfig config;
  private final EngineSettings settings;
  private final java.util.concurrent.atomic.AtomicInteger threadsReplaced = new java.util.concurrent.atomic.AtomicInteger();
  private ClockTicker ticker;
  private final ApiKeys apiKeys;
  private final ApiServer api;
  private final EngineOperations operations = new EngineOperations();

  public LoyaltyApp(AppConfig config) {
    this.config = config;
    this.apiKeys = ApiKeys.parse(config.get("api.keys"));
    if (config.get("contact.index.key").isEmpty()) {
      LOG.warn("contact.index.key is not set: the contact index holds unkeyed SHA-256 hashes of phone numbers and emails, "
          + "which anyone who reads loyalty.contact-index can test guesses against; set it in production");
    }
    // The API binds first: the instance announces its address to the group (application.server) so that every
    // instance can send a read to the one that owns the key.
    String bindHost = config.get("api.bind.host").isEmpty() ? config.get("api.host") : config.get("api.bind.host");
    this.api = config.getInt("api.port") < 0 ? null : new ApiServer(bindHost, config.getInt("api.port"));
    AppConfig streamsConfig = api == null ? config
        : config.with(Map.of("kafka.application.server", config.get("api.host") + ":" + api.port()));
    this.settings = settings(streamsConfig, operations.meters(), WriteLimits.of(config));
    this.streams = new KafkaStreams(LoyaltyTopology.build(config.topics(), SerdeFactory.of(config.registry()), settings),
        StreamsSettings.of(streamsConfig));
    streams.setStateListener(this::announce);
    streams.setUncaughtExceptionHandler(this::replaceThread);
    this.programChecks = new KafkaStreams(LoyaltyTopology.programChecks(config.topics(), SerdeFactory.of(config.registry()),
        operations.meters()),
        StreamsSettings.forProgramChecks(config));
    programChecks.setUncaughtExceptionHandler(this::replaceThread);
  }

  private StreamThreadExceptionResponse replaceThread(Throwable exception) {
    threadsReplaced.incrementAndGet();
    LOG.error("stream thread failed; replacing it", exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Stream threads that failed and were replaced since start: none while every input is bounded. */
  public int threadsReplaced() {
    return threadsReplaced.get();
  }

  public static Topology topology(AppConfig config) {
    return LoyaltyTopology.build(config.topics(), SerdeFactory.of(config.registry()), settings(config));
  }

  /** The settings with counters nothing exports: for tests and tools that build the topology themselves. */
  public static EngineSettings settings(AppConfig config) {
    return settings(config, EngineMeters.inMemory());
  }

  public static EngineSettings settings(AppConfig config, EngineMeters meters) {
    return settings(config, meters, WriteLimits.configured(config));
  }

  private static EngineSettings settings(AppConfig config, EngineMeters meters, WriteBudget budget) {
    BigDecimal maxAmount = config.getDecimal("validation.max.ticket.amount");
    BigDecimal maxQuantity = new BigDecimal(config.get("validation.max.line.quantity"));
    return new EngineSettings(new TransactionValidator(maxAmount, maxQuantity), new ActivityValidator(maxAmount, maxQuantity),
        Duration.ofMinutes(Long.parseLong(config.get("reversal.grace.minutes"))),
        Duration.ofDays(Long.parseLong(config.get("dedup.retention.days"))),
        Duration.ofMinutes(Long.parseLong(config.get("validation.max.ahead.minutes"))),
        Duration.ofSeconds(Long.parseLong(config.get("validation.stale.tick.tolerance.seconds"))),
        Integer.parseInt(config.get("clock.max.timers.per.tick")), config.getInt("clock.max.backfill.accounts.per.tick"),
        Duration.ofMillis(Long.parseLong(config.get("metrics.emit.interval.ms"))),
        new ContactKeys(config.get("contact.index.key")), meters,
        new InputLimits(config.getInt("limits.ticket.lines"), config.getInt("limits.cart.items"), config.getInt("limits.list.entries"),
            config.getInt("limits.text.chars")), budget);
  }

  /** One line when the engine starts processing, and when it rebalances: what an operator waits for. */
  private void announce(KafkaStreams.State now, KafkaStreams.State before) {
    if (now == KafkaStreams.State.RUNNING) {
      List<Integer> partitions = streams.metadataForLocalThreads().stream()
          .flatMap(thread -> thread.activeTasks().stream())
          .flatMap(task -> task.topicPartitions().stream())
          .filter(partition -> partition.topic().equals(config.topics().transactions()))
          .map(TopicPartition::partition)
          .sorted().toList();
      LOG.info("engine RUNNING: application {}, brokers {}, partitions assigned {}", config.get("kafka.application.id"),
          config.get("kafka.bootstrap.servers"), partitions);
    } else if (now == KafkaStreams.State.REBALANCING && before == KafkaStreams.State.RUNNING) {
      LOG.info("engine REBALANCING: partitions move between instances; processing resumes when it is done");
    }
  }

  /** Starts processing, and the clock ticker unless clock.tick.interval.ms is 0. */
  public LoyaltyApp start() {
    IntermediateTopics.prepare(config);
    streams.start();
    programChecks.start();
    SerdeFactory serdes = SerdeFactory.of(config.registry());
    operations.watch("engine", streams, serdes, Clock.systemUTC());
    operations.watch("program-checks", programChecks, serdes, Clock.systemUTC());
    if (api != null) {
      api.start(apiKeys, new AuthFailures(Integer.parseInt(config.get("api.auth.failures")),
          Duration.ofSeconds(Long.parseLong(config.get("api.auth.failure.window.seconds"))),
          AuthFailures.parseProxies(config.get("api.trusted.proxies"))), streams, new HostInfo(config.get("api.host"), api.port()), config.kafkaProperties(),
          config.topics(), serdes, settings, operations);
    }
    long tickInterval = Long.parseLong(config.get("clock.tick.interval.ms"));
    if (tickInterval > 0) {
      ticker = ClockTicker.of(config).start(Duration.ofMillis(tickInterval));
    }
    return this;
  }

  /** Waits until the application processes (RUNNING) or fails. */
  /** The API's port; -1 when api.port disables it. */
  public int apiPort() {
    return api == null ? -1 : api.port();
  }

  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
        throw new IllegalStateException("streams did not reach RUNNING: " + streams.state());
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
    }
    if (api != null) {
      api.close();
    }
    programChecks.close(Duration.ofSeconds(30));
    streams.close(Duration.ofSeconds(30));
    operations.close();
  }
}
