package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {

  @Test
  void defaultsThenFileThenEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prod.properties");
    Files.writeString(file, "kafka.bootstrap.servers=broker-1:9092\ntopic.prefix=prod.\nkafka.security.protocol=SASL_SSL\n");
    AppConfig config = AppConfig.load(Optional.of(file), Map.of(
        "LOYALTY_KAFKA_BOOTSTRAP_SERVERS", "broker-2:9093",
        "LOYALTY_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
        "LOYALTY_SCHEMA_REGISTRY_URL", "https://registry:8081",
        "PATH", "/usr/bin"));
    Properties kafka = config.kafkaProperties();
    assertEquals("broker-2:9093", kafka.getProperty("bootstrap.servers"));
    assertEquals("SASL_SSL", kafka.getProperty("security.protocol"));
    assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required;", kafka.getProperty("sasl.jaas.config"));
    assertEquals("loyalty-engine", kafka.getProperty("application.id"));
    assertEquals("prod.pos.transactions", config.topics().transactions());
    assertEquals("https://registry:8081", config.registry().orElseThrow().url());
    assertFalse(kafka.containsKey("path"));
    assertEquals("LOYALTY_KAFKA_BOOTSTRAP_SERVERS", AppConfig.envName("kafka.bootstrap.servers"));
  }

  @Test
  void withoutARegistryUrlTheSingleObjectFormatIsUsed() {
    assertEquals(Optional.empty(), AppConfig.defaults().registry());
  }

  @Test
  void streamsSettingsDefaultToExactlyOnceAndKeepTheSafetyNetsWhateverTheUserSets() {
    AppConfig config = AppConfig.defaults().with(Map.of(
        "kafka.default.deserialization.exception.handler", "org.apache.kafka.streams.errors.LogAndFailExceptionHandler"));
    Properties streams = StreamsSettings.of(config);
    assertEquals("exactly_once_v2", streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals(true, streams.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG));
    assertEquals(RejectionDeadLetterHandler.class, streams.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG));
    assertEquals(RejectionDeadLetterHandler.class, streams.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG));
    assertEquals(RejectionDeadLetterHandler.class, streams.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG));
    assertEquals("loyalty.rejections", streams.get("loyalty.rejections.topic"));
    assertEquals(Optional.empty(), AppConfig.fromStreamsConfigs(castMap(streams)).registry());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> castMap(Properties properties) {
    return (Map<String, ?>) (Map<?, ?>) properties;
  }
}
