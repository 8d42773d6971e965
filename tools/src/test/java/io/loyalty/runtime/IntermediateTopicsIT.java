package io.loyalty.runtime;

import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.loyalty.api.RecordReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker, a deployment of the version that named the engine's own topics after topic.prefix: at the first
 * start of this version, what its group had not read yet of them (and the whole contact index) moves into the
 * topics named after its application id, and the group's offsets on the old topics to their ends; once, and only
 * for the application that read them.
 */
class IntermediateTopicsIT {

  @Test
  void whatTheApplicationLeftInItsOldTopicsMovesOnceIntoItsOwn(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = AppConfig.defaults().with(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
          "kafka.application.id", "migration-it", "kafka.state.dir", stateDir.toString()));
      Topics topics = config.topics();
      Properties clients = config.kafkaProperties();
      try (Admin admin = Admin.create(clients)) {
        admin.createTopics(topics.legacyOwn().stream().map(name -> new NewTopic(name, 3, (short) 1)).toList()).all().get();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients, new ByteArraySerializer(), new ByteArraySerializer())) {
          for (int i = 1; i <= 5; i++) {
            producer.send(new ProducerRecord<>("loyalty.kpi-deltas", 0, bytes("greenleaf"), bytes("delta-" + i))).get();
          }
          for (int i = 1; i <= 2; i++) {
            producer.send(new ProducerRecord<>("loyalty.merges", 1, bytes("greenleaf:c" + i), bytes("step-" + i))).get();
          }
          for (int i = 1; i <= 3; i++) {
            producer.send(new ProducerRecord<>("loyalty.contact-index", 2, bytes("greenleaf|email|h" + i), bytes("account-" + i))).get();
          }
        }
        // The previous version read three KPI deltas and no merge step before it stopped.
        admin.alterConsumerGroupOffsets("migration-it", Map.of(new TopicPartition("loyalty.kpi-deltas", 0), new OffsetAndMetadata(3),
            new TopicPartition("loyalty.merges", 1), new OffsetAndMetadata(0))).all().get();

        assertEquals(0, IntermediateTopics.migrate(config.with(Map.of("kafka.application.id", "another-application"))),
            "a fresh application beside the old one leaves the old topics alone");
        assertFalse(admin.listTopics().names().get().contains("another-application-loyalty.kpi-deltas"));

        assertEquals(7, IntermediateTopics.migrate(config));
        assertEquals(List.of("0:delta-4", "0:delta-5"), values(clients, "migration-it-loyalty.kpi-deltas"));
        assertEquals(List.of("1:step-1", "1:step-2"), values(clients, "migration-it-loyalty.merges"));
        assertEquals(List.of("2:account-1", "2:account-2", "2:account-3"), values(clients, "migration-it-loyalty.contact-index"));
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("migration-it").partitionsToOffsetAndMetadata().get();
        assertEquals(5, offsets.get(new TopicPartition("loyalty.kpi-deltas", 0)).offset());
        assertEquals(2, offsets.get(new TopicPartition("loyalty.merges", 1)).offset());
        assertEquals(3, offsets.get(new TopicPartition("loyalty.contact-index", 2)).offset());

        assertEquals(0, IntermediateTopics.migrate(config), "the next start finds nothing left to move");
        assertEquals(2, values(clients, "migration-it-loyalty.kpi-deltas").size());
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> values(Properties clients, String topic) {
    return RecordReader.readAll(clients, topic, Duration.ofSeconds(1)).stream()
        .map(record -> record.partition() + ":" + new String(record.value(), StandardCharsets.UTF_8)).toList();
  }
}
