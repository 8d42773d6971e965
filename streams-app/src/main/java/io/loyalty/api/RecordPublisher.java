package io.loyalty.api;

import io.loyalty.serde.SerdeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes contract records the way a POS connector should: keyed by the topic's contract, framed by the
 * configured serde, idempotent producer with acks=all. The CLI, the demo and the tests all publish through it.
 */
public final class RecordPublisher implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final SerdeFactory serdes;
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

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
    return send(new ProducerRecord<>(contract.topic(), null, timestamp(contract.businessTimeOf(record)),
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
  }

  /**
   * The business time, but never after now: brokers refuse timestamps too far ahead of their clock
   * (log.message.timestamp.after.max.ms, one hour by default), and a POS clock running fast must not lose a sale.
   */
  private static Long timestamp(Instant businessTime) {
    return businessTime == null ? null : Math.min(businessTime.toEpochMilli(), System.currentTimeMillis());
  }

  /** Bytes as they are: for damaged records in the demo and tests. */
  public Future<RecordMetadata> sendRaw(String topic, byte[] key, byte[] value) {
    return send(new ProducerRecord<>(topic, key, value));
  }

  private Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return producer.send(record, (metadata, exception) -> {
      if (exception != null) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, exception);
      }
    });
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
