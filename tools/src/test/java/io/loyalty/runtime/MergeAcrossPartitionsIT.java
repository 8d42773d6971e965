package io.loyalty.runtime;

import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.MergeAccounts;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.Records;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merges whose two accounts live in different partitions, with the engine (its own JVM) killed while they are
 * under way: once a merge's first step is committed, and started again. Every merge ends exactly once: the
 * duplicate's points leave once (MERGE_OUT) and arrive once (MERGE_IN, linked), one result per command.
 */
class MergeAcrossPartitionsIT {
  private static final String APP_ID = "merge-it";
  private static final int PARTITIONS = 3;
  private static final int MERGES = 30;

  @Test
  void mergesAcrossPartitionsCompleteExactlyOnceThroughACrash(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      // The engine's application id: its own merges topic is named after it.
      AppConfig config = AppConfig.defaults().with(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "kafka.application.id", APP_ID));
      Topics topics = config.topics();
      TopicAdmin.createMissing(config.kafkaProperties(), topics, PARTITIONS, (short) 1);
      Instant at = Instant.parse("2026-03-02T18:00:00Z");
      List<String[]> pairs = pairsOnDifferentPartitions();
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").build()).get();
        TopicContract<?> transactions = TopicContract.of(topics, topics.transactions());
        for (int i = 0; i < MERGES; i++) {
          publisher.publish(transactions, Records.purchase("ts" + i, pairs.get(i)[0], "100.00", at.plusSeconds(i)).build());
          publisher.publish(transactions, Records.purchase("td" + i, pairs.get(i)[1], (10 + i) + ".00", at.plusSeconds(i)).build());
        }
        publisher.flush();

        Process engine = startEngine(kafka, stateDir);
        try {
          ConsumerLag.awaitCaughtUp(config.kafkaProperties(), APP_ID, List.of(topics.transactions()), Duration.ofMinutes(2));
          TopicContract<?> commands = TopicContract.of(topics, topics.commands());
          for (int i = 0; i < MERGES; i++) {
            publisher.publish(commands, Records.command("merge-" + i, pairs.get(i)[0], at.plusSeconds(3600 + i),
                MergeAccounts.newBuilder().setSourceCustomerId(pairs.get(i)[1]).build()));
          }
          publisher.flush();
          awaitCommittedRecord(config, topics.merges());
        } finally {
          engine.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
      Process restarted = startEngine(kafka, stateDir);
      try {
        awaitResults(config, topics, MERGES);
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), APP_ID, List.of(topics.commands(), topics.merges()), Duration.ofMinutes(2));
      } finally {
        restarted.destroy();
        restarted.waitFor(60, TimeUnit.SECONDS);
      }

      List<CommandResult> results = RecordReader.readAll(config.kafkaProperties(), topics.commandResults(), Duration.ofSeconds(2)).stream()
          .map(record -> SerdeFactory.singleObject().codec(CommandResult.class).decode(record.value())).toList();
      assertEquals(MERGES, results.size(), "one result per merge");
      results.forEach(result -> assertEquals(CommandStatus.APPLIED, result.getStatus(), result.toString()));

      Map<String, List<LedgerEntry>> ledger = new HashMap<>();
      for (var record : RecordReader.readAll(config.kafkaProperties(), topics.ledger(), Duration.ofSeconds(2))) {
        LedgerEntry entry = SerdeFactory.singleObject().codec(LedgerEntry.class).decode(record.value());
        ledger.computeIfAbsent(entry.getCustomerId(), key -> new ArrayList<>()).add(entry);
      }
      for (int i = 0; i < MERGES; i++) {
        List<LedgerEntry> survivor = ledger.get(pairs.get(i)[0]);
        List<LedgerEntry> duplicate = ledger.get(pairs.get(i)[1]);
        assertEquals(List.of(LedgerEntryType.EARN, LedgerEntryType.MERGE_IN), survivor.stream().map(LedgerEntry::getType).toList());
        assertEquals(List.of(LedgerEntryType.EARN, LedgerEntryType.MERGE_OUT), duplicate.stream().map(LedgerEntry::getType).toList());
        LedgerEntry in = survivor.get(1);
        LedgerEntry out = duplicate.get(1);
        assertEquals(new BigDecimal((110 + i) + ".0000"), in.getBalanceAfter());
        assertEquals(new BigDecimal("0.0000"), out.getBalanceAfter());
        assertEquals(out.getEntryId(), in.getLinkedEntryId());
        assertEquals(in.getEntryId(), out.getLinkedEntryId());
      }
    }
  }

  /** Survivor and duplicate ids whose account keys fall on different partitions, as the producer partitions them. */
  private static List<String[]> pairsOnDifferentPartitions() {
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; pairs.size() < MERGES; i++) {
      String survivor = "s" + i;
      String duplicate = "d" + i;
      if (partition(survivor) != partition(duplicate)) {
        pairs.add(new String[] {survivor, duplicate});
      }
    }
    pairs.forEach(pair -> assertNotEquals(partition(pair[0]), partition(pair[1])));
    return pairs;
  }

  private static int partition(String customerId) {
    byte[] key = (Records.ORG + ":" + customerId).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
  }

  /** Waits until a first merge step is committed: the kill then comes after it, before most merges end. */
  private static void awaitCommittedRecord(AppConfig config, String topic) throws InterruptedException {
    Map<String, Object> properties = new HashMap<>();
    config.kafkaProperties().forEach((key, value) -> properties.put((String) key, value));
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum() == 0) {
        assertTrue(System.nanoTime() < deadline, "no merge step was committed in time");
        Thread.sleep(20);
      }
    }
  }

  private static void awaitResults(AppConfig config, Topics topics, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (RecordReader.readAll(config.kafkaProperties(), topics.commandResults(), Duration.ofMillis(500)).size() < expected) {
      assertTrue(System.nanoTime() < deadline, "the merges did not all end in time");
      Thread.sleep(500);
    }
  }

  private static Process startEngine(EmbeddedKafka kafka, Path stateDir) throws Exception {
    return EngineJvm.start(kafka, APP_ID, stateDir, "merge-it-engine.log");
  }
}
