package io.loyalty.bench;

import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.OfferTrigger;
import io.loyalty.avro.SegmentChange;
import io.loyalty.demo.SampleStream.Item;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.SerdeFactory;
import java.time.Duration;
import java.util.List;
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
 * End-to-end latency at a fixed rate: from handing a POS event to the producer to reading, committed
 * (read_committed), its first ledger entry, its first segment change, and the first workflow action it caused (a
 * boost, a workflow message or a workflow offer).
 */
final class LatencyProbe {
  record Percentiles(long measured, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    static Percentiles of(Map<String, Long> latencies) {
      long[] sorted = latencies.values().stream().mapToLong(Long::longValue).sorted().toArray();
      return new Percentiles(sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }
  }

  record Result(long sent, Percentiles ledger, Percentiles segmentChange, Percentiles workflowAction) {}

  private LatencyProbe() {}

  /** What lets the probe know the engine has processed everything sent: then every latency is in. */
  interface Drain {
    void await() throws InterruptedException;
  }

  static Result run(AppConfig config, LoadPublisher publisher, LoadGenerator generator, int eventsPerSecond, Duration length,
      Drain drained)
      throws InterruptedException {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Latencies latencies = new Latencies(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> read(config, SerdeFactory.of(config.registry()), sentAt, latencies, stop), "latency-reader");
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
    return new Result(sent, Percentiles.of(latencies.ledger()), Percentiles.of(latencies.segmentChange()),
        Percentiles.of(latencies.workflowAction()));
  }

  /** The first of each kind of output per source event: nanoseconds from sending it. */
  private record Latencies(Map<String, Long> ledger, Map<String, Long> segmentChange, Map<String, Long> workflowAction) {
    void seen(Map<String, Long> kind, Map<String, Long> sentAt, String source, long now) {
      Long sent = source == null ? null : sentAt.get(source);
      if (sent != null) {
        kind.putIfAbsent(source, now - sent);
      }
    }
  }

  private static void read(AppConfig config, SerdeFactory serdes, Map<String, Long> sentAt, Latencies latencies, AtomicBoolean stop) {
    Properties properties = new Properties();
    properties.putAll(config.kafkaProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-probe-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    var ledger = serdes.codec(LedgerEntry.class);
    var changes = serdes.codec(SegmentChange.class);
    var requests = serdes.codec(NotificationRequest.class);
    var offers = serdes.codec(OfferEvent.class);
    var topics = config.topics();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of(topics.ledger(), topics.segmentChanges(), topics.notifications(), topics.offers()).stream()
          .flatMap(topic -> consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition()))).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          if (record.topic().equals(topics.ledger())) {
            LedgerEntry entry = ledger.decode(record.value());
            latencies.seen(latencies.ledger(), sentAt, entry.getSourceEventId(), now);
            if (entry.getType() == LedgerEntryType.BOOST && entry.getReason() != null && entry.getReason().contains("/workflow/")) {
              latencies.seen(latencies.workflowAction(), sentAt, entry.getSourceEventId(), now);
            }
          } else if (record.topic().equals(topics.segmentChanges())) {
            latencies.seen(latencies.segmentChange(), sentAt, changes.decode(record.value()).getSourceEventId(), now);
          } else if (record.topic().equals(topics.notifications())) {
            NotificationRequest request = requests.decode(record.value());
            if (request.getRequestId().contains("/workflow/")) {
              request.getSourceEventIds().forEach(source -> latencies.seen(latencies.workflowAction(), sentAt, source, now));
            }
          } else {
            OfferEvent offer = offers.decode(record.value());
            if (offer.getTrigger() == OfferTrigger.WORKFLOW) {
              // A workflow offer's cause is its action id; the run's cause is not on it.
              latencies.seen(latencies.workflowAction(), sentAt, offer.getSourceEventId(), now);
            }
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
