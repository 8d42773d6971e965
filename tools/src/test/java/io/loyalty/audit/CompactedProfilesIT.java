package io.loyalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.TopicAdmin;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiles topic is compacted, so a purchase that moved no points (here: no accrual rate yet) loses its
 * only snapshot as soon as the log cleaner keeps a later one of the same account. The invariant checker must
 * still account for it, from the latest snapshot alone. The profiles topic rolls a segment per batch here, so
 * the cleaner reaches the older snapshots within seconds instead of after days.
 */
class CompactedProfilesIT {
  private static final Instant FEBRUARY = Instant.parse("2026-02-02T18:00:00Z");

  @Test
  void eventsThatMovedNoPointsAreAccountedForAfterCompaction(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig bare = AppConfig.defaults().with(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
      createEagerlyCompactedProfiles(bare);
      AppConfig config = BrokerConfig.of(kafka, "compacted-profiles-it", stateDir);
      Topics topics = config.topics();
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program(null).build()).get();
        publisher.publish(TopicContract.of(topics, topics.programs()),
            Records.program("0.1").setVersion(2).setEffectiveFrom(Instant.parse("2026-03-01T00:00:00Z")).build()).get();
        TopicContract<?> transactions = TopicContract.of(topics, topics.transactions());
        publisher.publish(transactions, Records.purchase("t1", "c1", "40.00", FEBRUARY).build()).get();
        publisher.publish(transactions, Records.purchase("t2", "c1", "50.00", FEBRUARY.plusSeconds(3600)).build()).get();
        publisher.publish(transactions, Records.purchase("t3", "c1", "60.00", FEBRUARY.plus(Duration.ofDays(40))).build()).get();
        publisher.publish(transactions, Records.voidOf("t4", "t1", "c1", FEBRUARY.plus(Duration.ofDays(41))).build()).get();
      }
      try (LoyaltyApp app = new LoyaltyApp(config).start()) {
        app.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "compacted-profiles-it", List.of(topics.transactions()),
            Duration.ofSeconds(60));
      }
      awaitCompacted(config, topics.profiles(), 4);

      // The engine is closed: everything it wrote is committed, each topic is read to its end without idling.
      InvariantChecker.Report report = InvariantChecker.check(config.kafkaProperties(), topics, SerdeFactory.singleObject(),
          Duration.ZERO);
      assertEquals("records in 4, accounted for 4, missing 0, duplicated 0, balance mismatches 0", report.line(),
          String.join("; ", report.examples()));

      // An output that does not decode is reported, and fails the check, instead of stopping it.
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        publisher.sendRaw(topics.ledger(), "greenleaf:c1".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x01, 9}).get();
      }
      InvariantChecker.Report damaged = InvariantChecker.check(config.kafkaProperties(), topics, SerdeFactory.singleObject(),
          Duration.ZERO);
      assertEquals("records in 4, accounted for 4, missing 0, duplicated 0, balance mismatches 0, unreadable outputs 1", damaged.line());
      assertTrue(damaged.examples().get(0).startsWith("unreadable output " + topics.ledger() + "-"), damaged.examples().toString());
      assertFalse(damaged.holds());
    }
  }

  private static void createEagerlyCompactedProfiles(AppConfig config) throws Exception {
    TopicAdmin.createMissing(config.kafkaProperties(), List.of(new NewTopic(config.topics().profiles(), 1, (short) 1).configs(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.SEGMENT_MS_CONFIG, "1",
        TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01"))));
  }

  /** Waits until the cleaner removed some of the snapshots written (it runs every 15 s by default). */
  private static void awaitCompacted(AppConfig config, String topic, int written) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int left = written;
    while (System.nanoTime() < deadline) {
      left = RecordReader.readAll(config.kafkaProperties(), topic, Duration.ofMillis(500)).size();
      if (left < written) {
        return;
      }
      Thread.sleep(2_000);
    }
    assertTrue(left < written, "the log cleaner did not compact " + topic + " within 90 s");
  }
}
