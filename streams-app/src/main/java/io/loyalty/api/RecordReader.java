package io.loyalty.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning, committed records only (read_committed), until it has been idle for a
 * while: what the CLI, the demo summary and the tests use to see what the engine wrote.
 */
public final class RecordReader {
  private RecordReader() {}

  public static List<ConsumerRecord<byte[], byte[]>> readAll(Properties clientProperties, String topic, Duration idle) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    read(clientProperties, topic, idle, Long.MAX_VALUE, records::add);
    return records;
  }

  /** Calls the sink for each record until max records were read or none arrived for the idle time. */
  public static void read(Properties clientProperties, String topic, Duration idle, long max,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    try (KafkaConsumer<byte[], byte[]> consumer = committedReader(clientProperties)) {
      List<TopicPartition> partitions = assignAll(consumer, topic);
      consumer.seekToBeginning(partitions);
      // Under read_committed these are the last stable offsets: everything committed when the read began is
      // read, however slow the first fetches are, before the idle time may end the read.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long count = 0;
      long idleSince = System.nanoTime();
      while (count < max && (System.nanoTime() - idleSince < idle.toNanos() || !reached(consumer, ends))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          sink.accept(record);
          idleSince = System.nanoTime();
          if (++count >= max) {
            return;
          }
        }
      }
    }
  }

  /** Calls the sink for the last {@code perPartition} committed records of every partition of the topic. */
  public static void readTail(Properties clientProperties, String topic, int perPartition, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    try (KafkaConsumer<byte[], byte[]> consumer = committedReader(clientProperties)) {
      List<TopicPartition> partitions = assignAll(consumer, topic);
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      partitions.forEach(partition -> consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - perPartition)));
      while (!reached(consumer, ends)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
            sink.accept(record);
          }
        }
      }
    }
  }

  /** A consumer of committed records only, in a group of its own that commits nothing. */
  private static KafkaConsumer<byte[], byte[]> committedReader(Properties clientProperties) {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "loyalty-reader-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> assignAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .collect(Collectors.toList());
    consumer.assign(partitions);
    return partitions;
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
  }
}
