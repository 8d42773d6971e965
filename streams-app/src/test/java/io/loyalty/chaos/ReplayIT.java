package io.loyalty.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.JsonRecords;
import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TierDefinition;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.EmbeddedKafka;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.TopicAdmin;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: inputs whose business times disagree with their order of arrival (a purchase after the tick
 * that ended its return's grace period, a hold commit after the tick that expired the hold, a purchase of last
 * year after a tick past the year end) go through a live engine; then a fresh application replays copies of
 * the input topics. Ledger, rewards, notifications and rejections are the same, record for record per account.
 */
class ReplayIT {
  private static final Instant T0 = Instant.parse("2026-03-02T18:00:00Z");

  @Test
  void aReplayRebuildsWhatTheLiveRunWrote(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig live = BrokerConfig.of(kafka, "replay-it-live", dir.resolve("live"))
          // Its ticks travel a year ahead of the broker's clock: a simulated future, allowed on purpose.
          .with(Map.of("validation.max.ahead.minutes", String.valueOf(Duration.ofDays(3650).toMinutes())));
      Topics topics = live.topics();
      try (LoyaltyApp app = new LoyaltyApp(live).start();
          RecordPublisher publisher = new RecordPublisher(live.kafkaProperties(), SerdeFactory.singleObject())) {
        app.awaitRunning(Duration.ofSeconds(60));
        publishHistory(publisher, topics);
        publisher.flush();
        ConsumerLag.awaitCaughtUp(live.kafkaProperties(), "replay-it-live",
            List.of(topics.transactions(), topics.commands(), topics.clock()), Duration.ofSeconds(60));
      }

      AppConfig replay = live.with(Map.of("topic.prefix", "replay.", "kafka.application.id", "replay-it-replay",
          "kafka.state.dir", dir.resolve("replay").toString()));
      Topics copies = replay.topics();
      TopicAdmin.createForCopies(replay.kafkaProperties(), copies, 3, (short) 1);
      assertEquals(List.of(), TopicAdmin.inputsNotStampedOnAppend(live.kafkaProperties(), topics), "the engine's topics are stamped on append");
      assertEquals(List.of(copies.transactions(), copies.commands(), copies.clock()),
          TopicAdmin.inputsNotStampedOnAppend(replay.kafkaProperties(), copies), "copies keep the copied stamps");
      for (List<String> pair : List.of(List.of(topics.programs(), copies.programs()), List.of(topics.transactions(), copies.transactions()),
          List.of(topics.commands(), copies.commands()), List.of(topics.clock(), copies.clock()))) {
        TopicCopier.copy(live.kafkaProperties(), pair.get(0), pair.get(1));
      }
      try (LoyaltyApp app = new LoyaltyApp(replay).start()) {
        app.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(replay.kafkaProperties(), "replay-it-replay",
            List.of(copies.transactions(), copies.commands(), copies.clock()), Duration.ofSeconds(60));
      }

      Map<String, List<String>> ledger = byKey(live, topics.ledger(), LedgerEntry.class);
      assertTrue(ledger.get("greenleaf:c2").stream().anyMatch(entry -> entry.contains("\"type\":\"EARN\"")),
          "the late purchase earns: " + ledger.get("greenleaf:c2"));
      assertTrue(byKey(live, topics.rejections(), Rejection.class).values().stream().flatMap(List::stream)
          .anyMatch(rejection -> rejection.contains("UNKNOWN_TRANSACTION")), "the return waited past its grace period");
      assertEquals(ledger, byKey(replay, copies.ledger(), LedgerEntry.class), "ledger");
      assertEquals(byKey(live, topics.rewards(), RewardEvent.class), byKey(replay, copies.rewards(), RewardEvent.class), "rewards");
      assertEquals(byKey(live, topics.notifications(), NotificationRequest.class),
          byKey(replay, copies.notifications(), NotificationRequest.class), "notifications");
      assertEquals(byKey(live, topics.rejections(), Rejection.class).toString(),
          byKey(replay, copies.rejections(), Rejection.class).toString().replace("replay.", ""), "rejections");
    }
  }

  /** Four customers, each with inputs that arrive in another order than their business times. */
  private static void publishHistory(RecordPublisher publisher, Topics topics) throws Exception {
    TopicContract<?> transactions = TopicContract.of(topics, topics.transactions());
    TopicContract<?> commands = TopicContract.of(topics, topics.commands());
    TopicContract<?> clock = TopicContract.of(topics, topics.clock());
    publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1")
        .setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
        .setTiers(List.of(TierDefinition.newBuilder().setTierId("member").setName("Member").setThreshold(BigDecimal.ZERO.setScale(2)).build(),
            TierDefinition.newBuilder().setTierId("elite").setName("Elite").setThreshold(new BigDecimal("500.00")).build()))
        .build()).get();
    List<SpecificRecord> history = new ArrayList<>(List.of(
        Records.command("k1", "c1", T0, Records.enroll()),
        Records.purchase("p1", "c1", "500.00", T0.plusSeconds(60)).build(),
        Records.returnOf("r2", "p2", "c2", T0, "L1", "1").build(),
        Records.command("k3", "c3", T0, Records.enroll()),
        Records.purchase("p3", "c3", "200.00", T0.plusSeconds(1)).build(),
        Records.command("h3", "c3", T0.plusSeconds(2), Records.hold("hold-3", "50", T0.plusSeconds(3600))),
        new ClockTick(T0.plus(Duration.ofDays(2)), "replay-it"),
        Records.purchase("p2", "c2", "80.00", T0.minusSeconds(3600)).build(),
        Records.purchase("p3b", "c3", "60.00", T0.plusSeconds(1800))
            .setRedemptions(List.of(Records.redemption("50", "50.00", "hold-3"))).build(),
        Records.purchase("p4", "c4", "300.00", Instant.parse("2026-12-31T20:00:00Z")).build(),
        new ClockTick(Instant.parse("2027-01-02T00:00:00Z"), "replay-it"),
        Records.purchase("p4b", "c4", "300.00", Instant.parse("2026-12-31T21:00:00Z")).build(),
        Records.command("k4", "c4", Instant.parse("2026-12-31T22:00:00Z"), Records.enroll())));
    for (SpecificRecord record : history) {
      TopicContract<?> contract = record instanceof ClockTick ? clock : record instanceof LoyaltyCommand ? commands
          : transactions;
      publisher.publish(contract, record);
    }
  }

  /** A topic's records in JSON form, per key in their order (one key's records share a partition). */
  private static <T extends SpecificRecord> Map<String, List<String>> byKey(AppConfig config, String topic, Class<T> type) {
    SerdeFactory serdes = SerdeFactory.singleObject();
    Map<String, List<String>> records = new TreeMap<>();
    RecordReader.readAll(config.kafkaProperties(), topic, Duration.ofSeconds(2)).forEach(record -> records
        .computeIfAbsent(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8),
            key -> new ArrayList<>())
        .add(JsonRecords.toJson(serdes.codec(type).decode(record.value()))));
    return records;
  }
}
