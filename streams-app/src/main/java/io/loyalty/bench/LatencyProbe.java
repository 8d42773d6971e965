package io.loyalty.bench;

import io.loyalty.avro.LedgerEntry;
import io.loyalty.demo.SampleStream.Item;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency at a fixed rate: from handing a POS event to the producer to reading its first ledger
 * entry, committed (read_committed), on the engine's output topic.
 */
final class LatencyProbe {
  record Result(long sent, long measured, double p50Ms, double p95Ms, double p99Ms, double maxMs) {}

  private LatencyProbe() {}

  /** What lets the probe know the engine has processed everything sent: then every latency is in. */
  interface Drain {
    void await() throws InterruptedException;
  }

  static Result run(AppConfig config, LoadPublisher publisher, LoadGenerator generator, int eventsPerSecond, Duration length,
      Drain drained)
      throws InterruptedException {
    SerdeFactory serdes = SerdeFactory.of(config.registry());
    AvroCodec<LedgerEntry> ledgerCodec = serdes.codec(LedgerEntry.class);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Long> latencies = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> read(config, ledgerCodec, sentAt, latencies, stop), "latency-reader");
    reader.start();
    Thread.sleep(2000);
    long sent = 0;
    Pacer pacer = new Pacer(eventsPerSecond);
    long total = eventsPerSecond * length.toSeconds();
    for (; sent < total; sent++) {
      pacer.await(sent);
      Item item = generator.next();
      if (item.event() != null && item.event().getCustomerId() != null) {
        sentAt.putIfAbsent(item.event().getEventId(), System.nanoTime());
      }
      publisher.publish(item);
    }
    publisher.flush();
    drained.await();
    // The ledger entries of the last events are committed with the engine's last transaction; give the reader a moment.
    Thread.sleep(2_000);
    stop.set(true);
    reader.join();
    long[] sorted = latencies.values().stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(sent, sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
  }

  private static void read(AppConfig config, AvroCodec<LedgerEntry> codec, Map<String, Long> sentAt, Map<String, Long> latencies,
      AtomicBoolean stop) {
    Properties properties = new Properties();
    properties.putAll(config.kafkaProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-probe-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      String topic = config.topics().ledger();
      var partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          String source = codec.decode(record.value()).getSourceEventId();
          Long sent = sentAt.get(source);
          if (sent != null) {
            latencies.putIfAbsent(source, now - sent);
          }
        }
      }
    }
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }
}
