package io.loyalty.runtime;

import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TierDefinition;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker, a customer who never comes back: the clock's ticks alone expire the points after the
 * inactivity period and drop the tier at the year boundary. Ticks are published as the engine's clock
 * publishes them, with the clock set to the dates under test.
 */
class InactiveCustomerIT {

  @Test
  void pointsExpireAndTheTierDropsWithoutAnyActivity(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = BrokerConfig.of(kafka, "inactive-customer-it", stateDir)
          // Its ticks travel a year ahead of the broker's clock: a simulated future, allowed on purpose.
          .with(Map.of("validation.max.ahead.minutes", String.valueOf(Duration.ofDays(3650).toMinutes())));
      Topics topics = config.topics();
      ProgramConfig program = Records.program("0.1").setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z"))
          .setInactivityExpiryDays(90)
          .setTiers(List.of(TierDefinition.newBuilder().setTierId("elite").setName("Elite").setThreshold(new BigDecimal("500.00")).build()))
          .build();
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        publisher.publish(TopicContract.of(topics, topics.programs()), program).get();
        publisher.publish(TopicContract.of(topics, topics.transactions()),
            Records.purchase("t1", "c1", "600.00", Instant.parse("2025-10-01T18:00:00Z")).build()).get();
      }
      try (LoyaltyApp app = new LoyaltyApp(config).start()) {
        app.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "inactive-customer-it", List.of(topics.transactions()), Duration.ofSeconds(60));
        tick(config, "2026-01-05T00:00:00Z");
        tick(config, "2027-01-02T00:00:00Z");
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "inactive-customer-it", List.of(topics.clock()), Duration.ofSeconds(60));
      }

      SerdeFactory serdes = SerdeFactory.singleObject();
      List<String> ledger = RecordReader.readAll(config.kafkaProperties(), topics.ledger(), Duration.ofSeconds(2)).stream()
          .map(record -> serdes.codec(LedgerEntry.class).decode(record.value()))
          .map(entry -> entry.getType() + " " + entry.getDelta().toPlainString() + " at " + entry.getOccurredAt())
          .toList();
      assertEquals(List.of("EARN 60.0000 at 2025-10-01T18:00:00Z", "EXPIRY -60.0000 at 2025-12-30T18:00:00Z"), ledger);
      List<String> rewards = RecordReader.readAll(config.kafkaProperties(), topics.rewards(), Duration.ofSeconds(2)).stream()
          .map(record -> serdes.codec(RewardEvent.class).decode(record.value()))
          .map(event -> event.getType() + " " + event.getTierFrom() + "->" + event.getTierTo() + " at " + event.getOccurredAt())
          .toList();
      assertEquals(List.of(
          "TIER_CHANGED null->elite at 2025-10-01T18:00:00Z",
          "POINTS_EXPIRING null->null at 2025-12-16T18:00:00Z",
          "POINTS_EXPIRED null->null at 2025-12-30T18:00:00Z",
          "TIER_DOWNGRADE_WARNING elite->null at 2026-12-02T00:00:00Z",
          "TIER_CHANGED elite->null at 2027-01-01T00:00:00Z"), rewards,
          "Elite reached in 2025 is kept through 2026, then 2026's basis of 0 earns no tier");
    }
  }

  private static void tick(AppConfig config, String at) {
    try (ClockTicker ticker = new ClockTicker(config.kafkaProperties(), SerdeFactory.singleObject().codec(ClockTick.class),
        config.topics().clock(), Clock.fixed(Instant.parse(at), ZoneOffset.UTC))) {
      ticker.tick();
    }
  }
}
