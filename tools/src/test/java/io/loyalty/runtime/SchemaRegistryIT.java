package io.loyalty.runtime;

import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.JsonRecords;
import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.cli.Main;
import io.loyalty.contract.SchemaHistory;
import io.loyalty.serde.PublishedSchema;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Samples;
import io.loyalty.testing.SchemaRegistryServer;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine in registry mode against a real Schema Registry (Apicurio's app) and a real broker, as a Kafka team
 * runs it: the subjects registered by a pipeline from the files {@code schemas} writes, auto-registration off;
 * a POS still producing with the previous TransactionEvent version; every output record readable by a generic
 * consumer that knows nothing but the registry.
 */
class SchemaRegistryIT {

  @Test
  void theEngineReadsAndWritesThroughARegistryWithSubjectsRegisteredByAPipeline(@TempDir Path stateDir, @TempDir Path schemaDir)
      throws Exception {
    SchemaRegistryServer registry = SchemaRegistryServer.shared();
    String prefix = SchemaRegistryServer.uniqueTopic("sr") + ".";
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = BrokerConfig.of(kafka, "schema-registry-it", stateDir).with(Map.of(
          "topic.prefix", prefix,
          "schema.registry.url", registry.url(),
          "schema.registry.auto.register", "false",
          "metrics.emit.interval.ms", "300"));
      TopicAdmin.createMissing(config.kafkaProperties(), config.topics(), 3, (short) 1);
      Topics topics = config.topics();

      // The pipeline: the POS's older TransactionEvent was registered first; the subject is BACKWARD compatible,
      // so the current version is accepted only because it reads what v1 wrote.
      String transactionsSubject = topics.transactions() + "-value";
      Schema transactionV1 = SchemaHistory.versionsOf(TransactionEvent.getClassSchema().getFullName()).get(0);
      int v1Id = registry.register(transactionsSubject, PublishedSchema.of(transactionV1));
      registry.compatibility(transactionsSubject, "BACKWARD");
      Path properties = schemaDir.resolve("engine.properties");
      Files.writeString(properties, "topic.prefix=" + prefix + "\n");
      Main.main(new String[] {"--config", properties.toString(), "schemas", "--out", schemaDir.toString()});
      Map<String, Integer> latestIds = new TreeMap<>();
      for (TopicContract<?> contract : TopicContract.all(topics)) {
        String subject = contract.topic() + "-value";
        latestIds.put(subject, registry.register(subject, Files.readString(schemaDir.resolve(subject + ".avsc"))));
      }
      assertTrue(latestIds.get(transactionsSubject) > v1Id, "v2 registered after v1 under the same subject");

      String purchase = Samples.json(TransactionEvent.getClassSchema());
      String withoutRedemption = purchase.replace("pos-evt-90211", "pos-evt-90210").replace("T-90211", "T-90210")
          .replace("2026-11-23T18:05:00Z", "2026-11-23T17:00:00Z")
          .replace("[{\"kind\": \"PAYMENT_BEFORE_TAX\", \"points\": \"5\", \"value\": \"5.00\"}]", "[]");
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.of(config.registry()))) {
        publisher.publish(TopicContract.of(topics, topics.programs()),
            JsonRecords.parse(Samples.json(ProgramConfig.getClassSchema()), ProgramConfig.getClassSchema())).get();
        publisher.publish(TopicContract.of(topics, topics.transactions()),
            JsonRecords.parse(withoutRedemption, TransactionEvent.getClassSchema())).get();
        byte[] key = "greenleaf:c-1001".getBytes(StandardCharsets.UTF_8);
        publisher.sendRaw(topics.transactions(), key,
            framed(v1Id, transactionV1, JsonRecords.parse(purchase, TransactionEvent.getClassSchema()))).get();
        publisher.sendRaw(topics.transactions(), key, new byte[] {0, 0x7F, 0, 0, 1, 2}).get();
      }

      try (LoyaltyApp app = new LoyaltyApp(config).start()) {
        app.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "schema-registry-it", List.of(topics.transactions()),
            Duration.ofSeconds(60));
        Thread.sleep(1_500); // one KPI publication (every 300 ms)
      }

      SerdeFactory serdes = SerdeFactory.of(config.registry());
      Map<String, Integer> recordsByTopic = new TreeMap<>();
      for (TopicContract<?> contract : TopicContract.all(topics)) {
        for (ConsumerRecord<byte[], byte[]> record : RecordReader.readAll(config.kafkaProperties(), contract.topic(), Duration.ofSeconds(1))) {
          byte[] value = record.value();
          assertEquals(0, value[0], contract.topic() + " carries the registry framing");
          int id = ByteBuffer.wrap(value, 1, 4).getInt();
          if (!contract.topic().equals(topics.transactions())) {
            assertEquals(latestIds.get(contract.topic() + "-value"), id, contract.topic() + " written with the subject's registered schema");
          }
          if (id == 0x7F000001) {
            continue; // the record with an id no registry knows, rejected below
          }
          String writerSchema = registry.schemaText(id);
          assertFalse(writerSchema.contains("avro.java.string"));
          GenericRecord generic = genericRead(new Schema.Parser().parse(writerSchema), value);
          assertEquals(contract.type().getName(), generic.getSchema().getFullName());
          assertEquals(contract.type(), serdes.codec(contract.type()).decode(value).getClass(), "the engine's reader agrees");
          recordsByTopic.merge(contract.topic().substring(prefix.length()), 1, Integer::sum);
        }
      }
      assertEquals(2, recordsByTopic.get("pos.transactions"));
      assertEquals(3, recordsByTopic.get("loyalty.ledger"), recordsByTopic.toString());
      assertEquals(1, recordsByTopic.get("loyalty.rejections"), recordsByTopic.toString());
      assertTrue(recordsByTopic.getOrDefault("loyalty.profiles", 0) >= 1, recordsByTopic.toString());
      assertTrue(recordsByTopic.getOrDefault("loyalty.metrics", 0) >= 1, recordsByTopic.toString());

      List<LedgerEntry> ledger = RecordReader.readAll(config.kafkaProperties(), topics.ledger(), Duration.ofSeconds(1)).stream()
          .map(record -> serdes.codec(LedgerEntry.class).decode(record.value())).toList();
      assertEquals(new BigDecimal("9.0000"), ledger.get(0).getDelta());
      assertEquals("greenleaf/pos-evt-90211/1", ledger.get(2).getEntryId(), "the v1 record applied like the current one");
      assertEquals(new BigDecimal("8.5000"), ledger.get(2).getDelta());
      assertEquals(new BigDecimal("12.5000"), ledger.get(2).getBalanceAfter());

      Rejection rejection = serdes.codec(Rejection.class).decode(
          RecordReader.readAll(config.kafkaProperties(), topics.rejections(), Duration.ofSeconds(1)).get(0).value());
      assertEquals(RejectionReason.UNKNOWN_SCHEMA, rejection.getReasonCode());
      assertTrue(rejection.getMessage().startsWith("unknown schema id 2130706433: schema registry GET /schemas/ids/2130706433 answered 404"),
          rejection.getMessage());
    }
  }

  /** What a POS on the older schema writes: the record as v1 sees it, framed with v1's id. */
  private static byte[] framed(int schemaId, Schema older, TransactionEvent current) throws Exception {
    ByteArrayOutputStream currentBytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(currentBytes, null);
    new SpecificDatumWriter<TransactionEvent>(TransactionEvent.getClassSchema()).write(current, encoder);
    encoder.flush();
    GenericRecord asOlder = new GenericDatumReader<GenericRecord>(TransactionEvent.getClassSchema(), older)
        .read(null, DecoderFactory.get().binaryDecoder(currentBytes.toByteArray(), null));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(older).write(asOlder, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** How a consumer with only the registry reads a record (Confluent's generic deserializer does this). */
  private static GenericRecord genericRead(Schema writer, byte[] framed) throws Exception {
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null);
    GenericRecord record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
    assertTrue(decoder.isEnd(), "the writer's schema reads the whole record");
    return record;
  }
}
