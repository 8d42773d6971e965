package io.loyalty.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.JsonRecords;
import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.MergeAccounts;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.PersonalizationSettings;
import io.loyalty.avro.Product;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.demo.SampleCatalog;
import io.loyalty.testing.SegmentConditions;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.TransactionLine;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.broker.EmbeddedKafka;
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
 * Then a fresh application replays the same input topics beside the live one: what it appends to the same output
 * topics is what the live run wrote, KPIs and merges included (its intermediate topics are its own).
 */
class ReplayIT {
  private static final Instant T0 = Instant.parse("2026-03-02T18:00:00Z");

  @Test
  void aReplayRebuildsWhatTheLiveRunWrote(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      // Its ticks travel a year ahead of the broker's clock: a simulated future, allowed on purpose.
      Map<String, String> settings = Map.of("validation.max.ahead.minutes", String.valueOf(Duration.ofDays(3650).toMinutes()),
          "metrics.emit.interval.ms", "200");
      AppConfig live = BrokerConfig.of(kafka, "replay-it-live", dir.resolve("live")).with(settings);
      Topics topics = live.topics();
      try (LoyaltyApp app = new LoyaltyApp(live).start();
          RecordPublisher publisher = new RecordPublisher(live.kafkaProperties(), SerdeFactory.singleObject())) {
        app.awaitRunning(Duration.ofSeconds(60));
        publishHistory(publisher, topics);
        publisher.flush();
        awaitEverything(live);
      }
      List<String> outputs = List.of(topics.ledger(), topics.rewards(), topics.notifications(), topics.offers(), topics.segmentChanges(),
          topics.rejections(), topics.metrics());
      Map<TopicPartition, Long> liveEnds = new HashMap<>();
      for (String topic : outputs) {
        RecordReader.readAll(live.kafkaProperties(), topic, Duration.ZERO).forEach(record ->
            liveEnds.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max));
      }
      Predicate<ConsumerRecord<byte[], byte[]>> ofLiveRun = record ->
          record.offset() < liveEnds.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L);
      Map<String, List<String>> ledger = byKey(live, topics.ledger(), LedgerEntry.class);
      assertTrue(ledger.get("greenleaf:c2").stream().anyMatch(entry -> entry.contains("\"type\":\"EARN\"")),
          "the late purchase earns: " + ledger.get("greenleaf:c2"));
      assertTrue(ledger.get("greenleaf:c5").stream().anyMatch(entry -> entry.contains("\"type\":\"MERGE_IN\"")),
          "a merge went through the engine's own topic: " + ledger.get("greenleaf:c5"));
      assertTrue(byKey(live, topics.rejections(), Rejection.class).values().stream().flatMap(List::stream)
          .anyMatch(rejection -> rejection.contains("UNKNOWN_TRANSACTION")), "the return waited past its grace period");

      // A fresh application over copies of the inputs.
      AppConfig replay = live.with(Map.of("topic.prefix", "replay.", "kafka.application.id", "replay-it-replay",
          "kafka.state.dir", dir.resolve("replay").toString()));
      Topics copies = replay.topics();
      TopicAdmin.createForCopies(replay.kafkaProperties(), copies, 3, (short) 1);
      assertEquals(List.of(), TopicAdmin.inputsNotStampedOnAppend(live.kafkaProperties(), topics), "the engine's topics are stamped on append");
      assertEquals(List.of(copies.transactions(), copies.commands(), copies.clock()),
          TopicAdmin.inputsNotStampedOnAppend(replay.kafkaProperties(), copies), "copies keep the copied stamps");
      for (List<String> pair : List.of(List.of(topics.programs(), copies.programs()), List.of(topics.products(), copies.products()),
          List.of(topics.transactions(), copies.transactions()),
          List.of(topics.commands(), copies.commands()), List.of(topics.clock(), copies.clock()))) {
        TopicCopier.copy(live.kafkaProperties(), pair.get(0), pair.get(1));
      }
      try (LoyaltyApp app = new LoyaltyApp(replay).start()) {
        app.awaitRunning(Duration.ofSeconds(60));
        awaitEverything(replay);
      }
      assertEquals(ledger, byKey(replay, copies.ledger(), LedgerEntry.class), () -> "ledger; the replay's rejections: "
          + byKey(replay, copies.rejections(), Rejection.class).values());
      assertEquals(byKey(live, topics.rewards(), RewardEvent.class), byKey(replay, copies.rewards(), RewardEvent.class), "rewards");
      assertEquals(byKey(live, topics.notifications(), NotificationRequest.class),
          byKey(replay, copies.notifications(), NotificationRequest.class), "notifications");
      assertEquals(byKey(live, topics.rejections(), Rejection.class).toString(),
          byKey(replay, copies.rejections(), Rejection.class).toString().replace("replay.", ""), "rejections");

      // A fresh application over the same topics: same prefix, inputs and outputs; only its application id (and so
      // its own topics) is new. What it appends to each output is what the live run wrote.
      AppConfig again = BrokerConfig.of(kafka, "replay-it-again", dir.resolve("again")).with(settings);
      assertEquals(topics.transactions(), again.topics().transactions());
      try (LoyaltyApp app = new LoyaltyApp(again).start()) {
        app.awaitRunning(Duration.ofSeconds(60));
        awaitEverything(again);
      }
      Map<String, Class<? extends SpecificRecord>> types = Map.of(topics.ledger(), LedgerEntry.class, topics.rewards(), RewardEvent.class,
          topics.notifications(), NotificationRequest.class, topics.offers(), OfferEvent.class,
          topics.segmentChanges(), SegmentChange.class, topics.rejections(), Rejection.class);
      for (Map.Entry<String, Class<? extends SpecificRecord>> output : types.entrySet()) {
        Map<String, List<String>> written = byKey(live, output.getKey(), output.getValue(), ofLiveRun);
        assertTrue(!written.isEmpty(), "the history writes to " + output.getKey());
        assertEquals(written, byKey(live, output.getKey(), output.getValue(), ofLiveRun.negate()), output.getKey() + " over the same topics");
      }
      Map<String, String> liveKpis = lastKpiRows(live, ofLiveRun);
      assertTrue(liveKpis.size() >= 3, "a day, a week and a month at least: " + liveKpis.keySet());
      assertEquals(liveKpis, lastKpiRows(live, ofLiveRun.negate()), "the last KPI row of each period over the same topics");
    }
  }

  /** Every input, merge step and KPI delta of the application read, and its KPI rows published. */
  private static void awaitEverything(AppConfig config) throws Exception {
    Topics topics = config.topics();
    String group = config.get("kafka.application.id");
    // A merge takes two steps through the merges topic: the second is written while the first is read.
    for (int step = 0; step < 2; step++) {
      ConsumerLag.awaitCaughtUp(config.kafkaProperties(), group, List.of(topics.transactions(), topics.commands(), topics.clock(),
          topics.merges()), Duration.ofSeconds(60));
    }
    ConsumerLag.awaitCaughtUp(config.kafkaProperties(), group, List.of(topics.kpiDeltas()), Duration.ofSeconds(60));
    // KPI rows that changed are published every metrics.emit.interval.ms (200 ms here).
    Thread.sleep(1_500);
  }

  /** The last KPI row of each organization, location, grain and period, without the snapshot's own id. */
  private static Map<String, String> lastKpiRows(AppConfig config, Predicate<ConsumerRecord<byte[], byte[]>> which) {
    Map<String, String> rows = new TreeMap<>();
    SerdeFactory serdes = SerdeFactory.singleObject();
    RecordReader.readAll(config.kafkaProperties(), config.topics().metrics(), Duration.ZERO).stream().filter(which)
        .map(record -> serdes.codec(ProgramKpis.class).decode(record.value()))
        .forEach(row -> rows.put(row.getOrganizationId() + "/" + row.getLocationId() + "/" + row.getGrain() + "/" + row.getPeriodStart(),
            JsonRecords.toJson(row)));
    return rows;
  }

  /** Four customers, each with inputs that arrive in another order than their business times. */
  private static void publishHistory(RecordPublisher publisher, Topics topics) throws Exception {
    TopicContract<?> transactions = TopicContract.of(topics, topics.transactions());
    TopicContract<?> commands = TopicContract.of(topics, topics.commands());
    TopicContract<?> clock = TopicContract.of(topics, topics.clock());
    TopicContract<?> products = TopicContract.of(topics, topics.products());
    for (Product product : SampleCatalog.products(Records.ORG, Instant.parse("2026-01-01T00:00:00Z"))) {
      publisher.publish(products, product);
    }
    publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1")
        .setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
        .setPersonalization(new PersonalizationSettings(90, 5, 0))
        .setOffers(OfferSettings.newBuilder().setEnabled(true).setKind(OfferKind.BONUS_POINTS).setValue(new BigDecimal("25.0000"))
            .setValidDays(14).setMaxPerWeek(1).setReplenishmentLeadDays(2).build())
        .setSegments(List.of(SegmentConditions.segment("spent-100", SegmentConditions.test(SegmentOperator.AT_LEAST, SegmentAttribute.SPEND,
            "100"))))
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
        Records.command("k4", "c4", Instant.parse("2026-12-31T22:00:00Z"), Records.enroll()),
        // Two profiles of one customer, with a birth date and an email: offers, messages, then a merge.
        Records.command("k5", "c5", T0, Enroll.newBuilder().setBirthDate(LocalDate.parse("1990-05-01")).setEmail("c5@example.com").build()),
        Records.command("e5", "c5", T0.plusSeconds(1), ChangeConsent.newBuilder().setChannel(Channel.EMAIL).setAction(ConsentAction.GRANT)
            .build()),
        Records.purchase("p5", "c5", "35.00", T0.plusSeconds(10)).setLines(List.of(TransactionLine.newBuilder(Records.line("L1", "1", "35.00", "0"))
            .setSku("FL-BD-35").build())).build(),
        Records.command("k6", "c6", T0, Enroll.newBuilder().setBirthDate(LocalDate.parse("1990-05-01")).build()),
        Records.purchase("p6", "c6", "120.00", T0.plusSeconds(20)).build(),
        Records.command("m5", "c5", T0.plusSeconds(30), MergeAccounts.newBuilder().setSourceCustomerId("c6").build())));
    // One at a time, a few milliseconds apart: every input gets an append time of its own. A replay over copies
    // orders a merge's steps by the time of the command that started them (see the README, "Identity"): one that
    // shared its millisecond with an input of the other account's partition could be read on either side of it.
    for (SpecificRecord record : history) {
      TopicContract<?> contract = record instanceof ClockTick ? clock : record instanceof LoyaltyCommand ? commands
          : transactions;
      publisher.publish(contract, record).get();
      Thread.sleep(3);
    }
  }

  /** A topic's records in JSON form, per key in their order (one key's records share a partition). */
  private static <T extends SpecificRecord> Map<String, List<String>> byKey(AppConfig config, String topic, Class<T> type) {
    return byKey(config, topic, type, record -> true);
  }

  private static <T extends SpecificRecord> Map<String, List<String>> byKey(AppConfig config, String topic, Class<T> type,
      Predicate<ConsumerRecord<byte[], byte[]>> which) {
    SerdeFactory serdes = SerdeFactory.singleObject();
    Map<String, List<String>> records = new TreeMap<>();
    RecordReader.readAll(config.kafkaProperties(), topic, Duration.ZERO).stream().filter(which).forEach(record -> records
        .computeIfAbsent(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8),
            key -> new ArrayList<>())
        .add(JsonRecords.toJson(serdes.codec(type).decode(record.value()))));
    return records;
  }
}
