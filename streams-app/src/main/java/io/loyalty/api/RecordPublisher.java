package io.loyalty.api;

import io.loyalty.serde.SerdeFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Publishes contract records the way a POS connector should: keyed by the topic's contract, framed by the
 * configured serde, idempotent producer with acks=all. The CLI, the demo and the tests all publish through it.
 *
 * <p>The first record to each partition is sent alone and acknowledged before any other goes there. On a
 * partition whose leadership is still settling (just created, or just moved), an idempotent producer's first
 * request can be refused (NOT_LEADER_OR_FOLLOWER) while a later one is accepted; the first then retries with
 * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout and its records are lost (KAFKA-15591). With one
 * request in flight until the partition has acknowledged once, nothing can overtake it. The cost is one round
 * trip per partition per publisher (measured in the README).
 *
 * <p>The engine reads the inputs of a partition number (transactions, commands, ticks) in the order the broker
 * appended them, by append time (see {@link io.loyalty.runtime.Topics}); two records of different topics
 * appended in the same millisecond would be read in an order Kafka Streams does not fix. So before a record
 * goes to another topic than the previous one of its partition number, that one is acknowledged and its
 * append time is past: this publisher's records are read, live and on replay, in the order it sent them.
 */
public final class RecordPublisher implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final SerdeFactory serdes;
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
  private final Set<TopicPartition> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger unkeyed = new AtomicInteger();
  private final Map<Integer, Sent> lastByPartitionNumber = new ConcurrentHashMap<>();

  private record Sent(String topic, Future<RecordMetadata> future) {}

  /** Acks from all replicas, idempotent, 5 ms linger; the client properties may override each. */
  public RecordPublisher(Properties clientProperties, SerdeFactory serdes) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    properties.putAll(clientProperties);
    this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    this.serdes = serdes;
  }

  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> Future<RecordMetadata> publish(TopicContract<?> contract, T record) {
    String key = contract.keyOf(record);
    byte[] value = serdes.serde((Class<T>) contract.type()).serializer().serialize(contract.topic(), record);
    if (contract.toEveryPartition()) {
      return sendToEveryPartition(contract.topic(), value);
    }
    return sendRaw(contract.topic(), key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  /**
   * Bytes as they are (for damaged records in the demo and tests), without a timestamp: the record carries the
   * time it is sent, and the engine's topics the time the broker appended it; business time is in the value.
   */
  public Future<RecordMetadata> sendRaw(String topic, byte[] key, byte[] value) {
    return send(new ProducerRecord<>(topic, partitionOf(topic, key), null, key, value));
  }

  /** A record copied from another topic as it was: same partition, timestamp, key and value. */
  public Future<RecordMetadata> copy(String topic, int partition, long timestamp, byte[] key, byte[] value) {
    return send(new ProducerRecord<>(topic, partition, timestamp, key, value));
  }

  /** Sends to every partition of the topic; the returned future is the last partition's. */
  private Future<RecordMetadata> sendToEveryPartition(String topic, byte[] value) {
    int partitions = partitionCount(topic);
    Future<RecordMetadata> last = null;
    for (int partition = 0; partition < partitions; partition++) {
      last = send(new ProducerRecord<>(topic, partition, null, null, value));
    }
    return last;
  }

  /** The producer's own choice for a key (murmur2, as every Kafka client's default), round robin without one. */
  private int partitionOf(String topic, byte[] key) {
    int partitions = partitionCount(topic);
    return key == null ? Math.floorMod(unkeyed.getAndIncrement(), partitions) : Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  private int partitionCount(String topic) {
    return partitionCounts.computeIfAbsent(topic, name -> producer.partitionsFor(name).size());
  }

  private Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    Sent previous = lastByPartitionNumber.get(record.partition());
    if (previous != null && !previous.topic().equals(record.topic())) {
      awaitAppendedBefore(previous.future());
    }
    Future<RecordMetadata> sent = producer.send(record, (metadata, exception) -> {
      if (exception != null) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, exception);
      }
    });
    lastByPartitionNumber.put(record.partition(), new Sent(record.topic(), sent));
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    if (!acknowledged.contains(partition) && acknowledgement(sent) != null) {
      acknowledged.add(partition);
    }
    return sent;
  }

  /** Waits until the record is appended and the clock is past its append time (one millisecond at least). */
  private static void awaitAppendedBefore(Future<RecordMetadata> previous) {
    RecordMetadata appended = acknowledgement(previous);
    try {
      do {
        Thread.sleep(1);
      } while (appended != null && System.currentTimeMillis() <= appended.timestamp());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  /** The record's acknowledgement, or null if it failed (counted by the callback and reported by flush). */
  private static RecordMetadata acknowledgement(Future<RecordMetadata> sent) {
    try {
      return sent.get();
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  /** Waits for every record sent so far; fails if any of them could not be published, so none is lost unseen. */
  public void flush() {
    producer.flush();
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " records could not be published: " + firstFailure.get(), firstFailure.get());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
