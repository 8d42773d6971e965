package io.loyalty.runtime;

import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.JsonRecords;
import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.demo.SampleStream;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.TopologyHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: the engine runs as its own JVM (the jar users run), is killed with SIGKILL in
 * the middle of the stream (no clean close, state directory kept), and started again. The committed ledger
 * must then be, account by account, exactly what a crash-free run computes from the same input.
 */
class ExactlyOnceCrashIT {
  private static final String APP_ID = "crash-it";

  @Test
  void aKilledAndRestartedEngineWritesTheSameLedgerAsACrashFreeRun(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = AppConfig.defaults().with(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
      Topics topics = config.topics();
      TopicAdmin.createMissing(config.kafkaProperties(), topics, 3, (short) 1);
      // POS events only: the crash-free reference replays one topic in partition order, which is the engine's order too.
      List<SampleStream.Item> items = new SampleStream(7, 200).generate(3000).stream().filter(item -> item.command() == null).toList();
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        for (ProgramConfig program : SampleStream.programs()) {
          publisher.publish(TopicContract.of(topics, topics.programs()), program).get();
        }
        SampleStream.publish(publisher, topics, items.subList(0, items.size() / 2));

        Process engine = startEngine(kafka, stateDir);
        try {
          awaitSomeCommitted(config, topics);
        } finally {
          engine.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        long committedAtCrash = committed(config);
        assertTrue(committedAtCrash < items.size(), "the crash must come before the end of the input");

        SampleStream.publish(publisher, topics, items.subList(items.size() / 2, items.size()));
        Process restarted = startEngine(kafka, stateDir);
        try {
          ConsumerLag.awaitCaughtUp(config.kafkaProperties(), APP_ID, List.of(topics.transactions()), Duration.ofMinutes(3));
        } finally {
          restarted.destroy();
          restarted.waitFor(60, TimeUnit.SECONDS);
        }
      }

      Map<String, List<String>> actual = byAccount(RecordReader.readAll(config.kafkaProperties(), topics.ledger(), Duration.ofSeconds(3)));
      Map<String, List<String>> expected = crashFreeReference(config, topics);
      assertTrue(expected.values().stream().mapToInt(List::size).sum() > 2000, "a meaningful ledger");
      assertEquals(expected.keySet(), actual.keySet());
      for (String account : expected.keySet()) {
        assertEquals(expected.get(account), actual.get(account), "ledger of " + account);
      }
      Set<String> ids = new HashSet<>();
      actual.values().forEach(entries -> entries.forEach(json -> assertTrue(ids.add(json), "duplicate ledger entry " + json)));
    }
  }

  private static Process startEngine(EmbeddedKafka kafka, Path stateDir) throws Exception {
    return EngineJvm.start(kafka, APP_ID, stateDir, "crash-it-engine.log");
  }

  private static void awaitSomeCommitted(AppConfig config, Topics topics) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (committed(config) < 200) {
      assertTrue(System.nanoTime() < deadline, "the engine did not commit anything in time");
      Thread.sleep(50);
    }
  }

  private static long committed(AppConfig config) {
    try (Admin admin = Admin.create(config.kafkaProperties())) {
      return admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get().values().stream()
          .filter(offset -> offset != null)
          .mapToLong(offset -> offset.offset())
          .sum();
    } catch (Exception e) {
      return 0;
    }
  }

  /** The same input records, in the same per-partition order, through the topology without any crash. */
  private static Map<String, List<String>> crashFreeReference(AppConfig config, Topics topics) {
    List<ConsumerRecord<byte[], byte[]>> programs = RecordReader.readAll(config.kafkaProperties(), topics.programs(), Duration.ofSeconds(2));
    List<ConsumerRecord<byte[], byte[]>> input = RecordReader.readAll(config.kafkaProperties(), topics.transactions(), Duration.ofSeconds(2));
    try (TopologyHarness harness = new TopologyHarness()) {
      programs.forEach(record -> harness.rawProgram(record.key(), record.value()));
      input.stream()
          .sorted((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()))
          .forEach(record -> harness.raw(record.key(), record.value(), Instant.ofEpochMilli(record.timestamp())));
      Map<String, List<String>> byAccount = new TreeMap<>();
      for (LedgerEntry entry : harness.ledger()) {
        byAccount.computeIfAbsent(entry.getAccountKey(), key -> new ArrayList<>()).add(JsonRecords.toJson(entry));
      }
      return byAccount;
    }
  }

  private static Map<String, List<String>> byAccount(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, List<String>> byAccount = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      LedgerEntry entry = SerdeFactory.singleObject().codec(LedgerEntry.class).decode(record.value());
      byAccount.computeIfAbsent(entry.getAccountKey(), key -> new ArrayList<>()).add(JsonRecords.toJson(entry));
    }
    return byAccount;
  }
}
