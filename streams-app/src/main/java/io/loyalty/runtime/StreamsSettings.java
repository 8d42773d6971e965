package io.loyalty.runtime;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration: the user's kafka.* settings over the engine's required ones. */
public final class StreamsSettings {
  private StreamsSettings() {}

  public static Properties of(AppConfig config) {
    Properties properties = new Properties();
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    // Not Kafka's /tmp/kafka-streams, which every engine on the host would share and the OS may clear.
    properties.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(config.get("data.dir"), "streams-state").toAbsolutePath().toString());
    properties.putAll(config.kafkaProperties());
    // Not overridable: stable names, and no bad record stopping the app.
    properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectionDeadLetterHandler.class);
    properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectionDeadLetterHandler.class);
    properties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectionDeadLetterHandler.class);
    properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    properties.put(RejectionDeadLetterHandler.REJECTIONS_TOPIC_CONFIG, config.topics().rejections());
    properties.putAll(config.passthrough());
    return properties;
  }

  /** The program-checks application: the same settings under its own application id, on one thread. */
  public static Properties forProgramChecks(AppConfig config) {
    Properties properties = of(config);
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-program-checks");
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    properties.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
    return properties;
  }
}
