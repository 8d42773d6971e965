package io.loyalty.chaos;

import io.loyalty.api.RecordReader;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies a topic record by record into another with the same partition count, keeping partition, key, value and
 * timestamp: the same input, in the same per-partition order, for a reference run.
 */
final class TopicCopier {
  private TopicCopier() {}

  static long copy(Properties clientProperties, String from, String to) {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    long[] copied = {0};
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
      RecordReader.read(clientProperties, from, Duration.ofSeconds(3), Long.MAX_VALUE, record -> {
        producer.send(new ProducerRecord<>(to, record.partition(), record.timestamp(), record.key(), record.value()),
            (metadata, exception) -> {
              if (exception != null) {
                failure.compareAndSet(null, exception);
              }
            });
        copied[0]++;
      });
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("copy of " + from + " to " + to + " lost records: " + failure.get(), failure.get());
    }
    return copied[0];
  }
}
