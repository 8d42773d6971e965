package io.loyalty.runtime;

import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.api.JsonRecords;
import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Samples;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real in-process broker with exactly-once on: purchases published the way the CLI publishes them
 * (JSON form, contract keys, configured framing) come out as committed ledger entries with exact values.
 */
class PurchasePipelineIT {

  @Test
  void purchasesBecomeCommittedLedgerEntries(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = BrokerConfig.of(kafka, "purchase-pipeline-it", stateDir);
      Topics topics = config.topics();
      String program = Samples.json(ProgramConfig.getClassSchema());
      String purchase = Samples.json(TransactionEvent.getClassSchema());
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.of(config.registry()))) {
        publisher.publish(TopicContract.of(topics, topics.programs()), JsonRecords.parse(program, ProgramConfig.getClassSchema())).get();
        TopicContract<?> transactions = TopicContract.of(topics, topics.transactions());
        String withoutRedemption = purchase.replace("pos-evt-90211", "pos-evt-90210").replace("T-90211", "T-90210")
            .replace("2026-11-23T18:05:00Z", "2026-11-23T17:00:00Z")
            .replace("[{\"kind\": \"PAYMENT_BEFORE_TAX\", \"points\": \"5\", \"value\": \"5.00\"}]", "[]");
        publisher.publish(transactions, JsonRecords.parse(withoutRedemption, TransactionEvent.getClassSchema())).get();
        publisher.publish(transactions, JsonRecords.parse(purchase, TransactionEvent.getClassSchema())).get();
        publisher.sendRaw(topics.transactions(), "greenleaf:c-1001".getBytes(StandardCharsets.UTF_8),
            "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)).get();
      }

      try (LoyaltyApp app = new LoyaltyApp(config).start()) {
        app.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "purchase-pipeline-it", List.of(topics.transactions()),
            Duration.ofSeconds(60));
      }

      SerdeFactory serdes = SerdeFactory.of(config.registry());
      List<LedgerEntry> ledger = RecordReader.readAll(config.kafkaProperties(), topics.ledger(), Duration.ofSeconds(2)).stream()
          .map(record -> serdes.codec(LedgerEntry.class).decode(record.value()))
          .toList();
      assertEquals(3, ledger.size(), ledger.toString());
      assertEquals("greenleaf/pos-evt-90210/0", ledger.get(0).getEntryId());
      assertEquals(new BigDecimal("9.0000"), ledger.get(0).getDelta());
      assertEquals(3L, ledger.get(0).getProgramVersion());
      assertEquals(LedgerEntryType.REDEEM, ledger.get(1).getType());
      assertEquals(new BigDecimal("-5.0000"), ledger.get(1).getDelta());
      assertEquals(new BigDecimal("4.0000"), ledger.get(1).getBalanceAfter());
      assertEquals("greenleaf/pos-evt-90211/1", ledger.get(2).getEntryId());
      assertEquals(new BigDecimal("8.5000"), ledger.get(2).getDelta());
      assertEquals(new BigDecimal("12.5000"), ledger.get(2).getBalanceAfter());
      assertEquals(new BigDecimal("175.00"), ledger.get(2).getLifetimeSpend());

      List<ConsumerRecord<byte[], byte[]>> rejections =
          RecordReader.readAll(config.kafkaProperties(), topics.rejections(), Duration.ofSeconds(2));
      assertEquals(1, rejections.size());
      Rejection rejection = serdes.codec(Rejection.class).decode(rejections.get(0).value());
      assertEquals(RejectionReason.UNDECODABLE, rejection.getReasonCode());
      assertEquals(topics.transactions(), rejection.getSourceTopic());
      assertEquals("greenleaf:c-1001", new String(rejections.get(0).key(), StandardCharsets.UTF_8));
    }
  }
}
