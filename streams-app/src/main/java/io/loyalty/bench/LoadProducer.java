package io.loyalty.bench;

import io.loyalty.runtime.AppConfig;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Producer settings of the load tools. Not idempotent, one request in flight: after a broker restart an
 * idempotent producer was seen holding a partition's batches until they expired (delivery timeout) while it
 * resolved their sequence numbers, losing records in the middle of a fault test. Without sequences, a retry
 * may write a record twice; the engine rejects the copy as a duplicate and the check counts it as accounted for.
 */
public final class LoadProducer {
  private LoadProducer() {}

  public static Properties properties(AppConfig config) {
    Properties properties = config.kafkaProperties();
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    return properties;
  }
}
