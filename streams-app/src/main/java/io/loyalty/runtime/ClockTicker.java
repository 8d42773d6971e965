package io.loyalty.runtime;

import io.loyalty.avro.ClockTick;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only wall clock of the engine: it publishes the current time into every partition of the clock topic,
 * where ticks are ordinary input, so timers fire identically when the input is replayed. Several instances
 * may each run one: ticks only move a partition's clock forward.
 */
public final class ClockTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClockTicker.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<ClockTick> codec;
  private final String topic;
  private final Clock clock;
  private final String source;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "loyalty-clock-ticker");
    thread.setDaemon(true);
    return thread;
  });

  public ClockTicker(Properties clientProperties, AvroCodec<ClockTick> codec, String topic, Clock clock) {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    this.codec = codec;
    this.topic = topic;
    this.clock = clock;
    this.source = hostName();
  }

  /**
   * The engine's clock for a configuration: its cluster, wire format and clock topic, and the system time, or
   * clock.fixed.at when set (a demo or test whose time-relative figures must not move with the day it runs).
   */
  public static ClockTicker of(AppConfig config) {
    String fixed = config.get("clock.fixed.at");
    return new ClockTicker(config.kafkaProperties(), SerdeFactory.of(config.registry()).codec(ClockTick.class),
        config.topics().clock(), fixed.isEmpty() ? Clock.systemUTC() : Clock.fixed(java.time.Instant.parse(fixed), java.time.ZoneOffset.UTC));
  }

  /** One tick now, e.g. to settle what waits on business time once a load has been processed. */
  public static void tickOnce(AppConfig config) {
    try (ClockTicker ticker = of(config)) {
      ticker.tick();
    }
  }

  public ClockTicker start(Duration interval) {
    scheduler.scheduleAtFixedRate(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Publishes one tick with the current time into every partition. */
  public void tick() {
    byte[] value = codec.encode(topic, new ClockTick(clock.instant(), source));
    for (PartitionInfo partition : producer.partitionsFor(topic)) {
      producer.send(new ProducerRecord<>(topic, partition.partition(), null, value));
    }
    producer.flush();
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("clock tick not published, next try at the next interval: {}", e.toString());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
