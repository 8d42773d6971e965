package io.loyalty.runtime;

import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.api.RecordPublisher;
import io.loyalty.serde.SerdeFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * KAFKA-15591 on the real broker: an idempotent producer bursting into partitions created a moment ago can see
 * its first request refused while a later one is accepted, then lose the first batch after its delivery timeout.
 * Fifty times in a row, a fresh topic is created the way the engine creates topics and a burst is published the
 * way every publisher of the project publishes; every record must arrive, none may stall.
 */
class FreshTopicBurstIT {
  private static final int ROUNDS = 50;
  private static final int PARTITIONS = 6;
  private static final int RECORDS = 600;

  @Test
  void burstsIntoFreshTopicsNeverStall() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Properties client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      Properties producer = new Properties();
      producer.putAll(client);
      // A stalled batch fails the round in seconds, not after the default two minutes.
      producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
      producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
      for (int round = 0; round < ROUNDS; round++) {
        String topic = "burst-" + round;
        TopicAdmin.createMissing(client, List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
        try (RecordPublisher publisher = new RecordPublisher(producer, SerdeFactory.singleObject())) {
          for (int i = 0; i < RECORDS; i++) {
            publisher.sendRaw(topic, ("customer-" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
          }
          publisher.flush();
        }
        assertEquals(RECORDS, endOffsets(client, topic), "round " + round + ": records on " + topic);
      }
    }
  }

  private static long endOffsets(Properties client, String topic) throws Exception {
    try (Admin admin = Admin.create(client)) {
      Map<TopicPartition, OffsetSpec> latest = java.util.stream.IntStream.range(0, PARTITIONS).boxed()
          .collect(Collectors.toMap(partition -> new TopicPartition(topic, partition), partition -> OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }
  }
}
