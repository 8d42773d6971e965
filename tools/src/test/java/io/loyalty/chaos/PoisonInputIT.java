package io.loyalty.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker, inputs whose writes the broker would refuse, each followed by an ordinary purchase of another
 * customer on the same partition: the first is rejected whole with its reason, the purchase earns, and the stream
 * thread dies never (a ticket too large to write, refused by the write budget) or at most twice (an output the
 * broker refuses because its topic's limits were lowered while the engine ran).
 */
class PoisonInputIT {
  private static final int PARTITIONS = 3;
  private static final int MAX_TICKET_LINES = 45_000;
  private static final Duration EARNS_WITHIN = Duration.ofSeconds(90);

  @Test
  void aTicketTooLargeToWriteIsRejectedAndTheNextPurchaseOfItsPartitionEarns(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      // The line limit raised, so that the ticket reaches the account path: the write budget has to refuse it.
      AppConfig config = BrokerConfig.of(kafka, "poison-ticket-it", stateDir).with(Map.of("limits.ticket.lines", "100000"));
      Topics topics = config.topics();
      SerdeFactory serdes = SerdeFactory.singleObject();
      Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
      List<String> customers = customersOfOnePartition(2);
      TransactionEvent huge = largestTicketThatFits(serdes, topics, customers.get(0), at);
      System.out.printf("huge ticket: %d lines of 1 x $0.01, %d bytes%n", huge.getLines().size(), size(serdes, topics, huge));
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").build()).get();
      }
      try (LoyaltyApp app = new LoyaltyApp(config).start();
          RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        app.awaitRunning(Duration.ofSeconds(60));
        publisher.publish(TopicContract.of(topics, topics.transactions()), huge).get();
        long sent = System.nanoTime();
        publisher.publish(TopicContract.of(topics, topics.transactions()),
            Records.purchase("after-huge", customers.get(1), "10.00", at.plusSeconds(1)).build()).get();
        LedgerEntry earned = awaitEarn(config, serdes, customers.get(1));
        System.out.printf("the purchase after the huge ticket earned %s points %d ms after it was sent; threads replaced: %d%n",
            earned.getDelta().toPlainString(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent), app.threadsReplaced());
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "poison-ticket-it", List.of(topics.transactions()), Duration.ofSeconds(60));
        assertEquals(0, app.threadsReplaced(), "the stream thread never dies");
      }
      Rejection rejection = rejectionOf(config, serdes, huge.getEventId()).orElseThrow();
      assertEquals(RejectionReason.LIMIT_EXCEEDED, rejection.getReasonCode());
      assertTrue(rejection.getMessage().contains("(limits."), rejection.getMessage());
      assertEquals("greenleaf", rejection.getOrganizationId());
      assertNull(rejection.getValue(), "a ticket of a megabyte is not copied into its rejection");
      assertEquals(List.of(customers.get(1)), ledger(config, serdes).stream().map(LedgerEntry::getCustomerId).distinct().toList(),
          "nothing of the huge ticket was written");
      assertEquals(List.of(customers.get(1)), profiles(config, serdes).stream().map(CustomerProfile::getCustomerId).distinct().toList());
    }
  }

  /**
   * Writes the engine could not foresee: limits of the results topic changed while it runs. A result too large for
   * the lowered max.message.bytes teaches the write budget the limit (one retry); a result older than a lowered
   * message.timestamp.before.max.ms is traced to its command by the suspect task's journal (two retries).
   */
  @Test
  void anOutputTheBrokerRefusesAfterProcessingRejectsItsInputAndThePartitionMovesOn(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      // Each retry costs a rebalance, which waits for the failed thread's session to time out: 2 s here.
      AppConfig config = BrokerConfig.of(kafka, "poison-output-it", stateDir).with(Map.of("kafka.session.timeout.ms", "2000",
          "kafka.heartbeat.interval.ms", "500"));
      Topics topics = config.topics();
      SerdeFactory serdes = SerdeFactory.singleObject();
      Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
      List<String> customers = customersOfOnePartition(5);
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").build()).get();
      }
      try (LoyaltyApp app = new LoyaltyApp(config).start();
          RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        app.awaitRunning(Duration.ofSeconds(60));
        publisher.publish(TopicContract.of(topics, topics.commands()),
            Records.command("ordinary", customers.get(0), at, Records.enroll())).get();
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "poison-output-it", List.of(topics.commands()), Duration.ofSeconds(60));
        int ordinaryResult = RecordReader.readAll(config.kafkaProperties(), topics.commandResults(), Duration.ZERO).get(0).value().length;
        // Ordinary results still fit; one that echoes a correlation id of 1,000 characters no longer does.
        assertTrue(ordinaryResult < 600, "an ordinary result has " + ordinaryResult + " bytes");
        alterConfig(config, topics.commandResults(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1000");

        publisher.publish(TopicContract.of(topics, topics.commands()), LoyaltyCommand.newBuilder(Records.command("too-large",
            customers.get(1), at.plusSeconds(1), UpdateProfile.newBuilder().setHomeState("MA").build())).setCorrelationId("c".repeat(1_000))
            .build()).get();
        purchaseEarns(config, serdes, publisher, customers.get(2), at.plusSeconds(2), app);
        assertEquals(1, app.threadsReplaced(), "one retry, after which the write budget knows the topic's limit");
      }
      Rejection tooLarge = rejectionOf(config, serdes, "too-large").orElseThrow();
      assertEquals(RejectionReason.LIMIT_EXCEEDED, tooLarge.getReasonCode());
      assertTrue(tooLarge.getMessage().matches("too large to apply: it would write a record of (\\d+) bytes to topic "
          + topics.commandResults() + ", and the broker refused a record of \\1 bytes of " + topics.commandResults()
          + " \\(its max.message.bytes was lowered since the engine started\\); nothing of it was applied; a command gets no result: it "
          + "would be too large too"), tooLarge.getMessage());

      // A command waits while the engine is down; meanwhile the results topic keeps its producers' timestamps and stops
      // taking records older than a second (the result carries its command's).
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("too-old", customers.get(3), at.plusSeconds(3),
            UpdateProfile.newBuilder().setHomeState("MA").build())).get();
      }
      Thread.sleep(2_000);
      alterConfig(config, topics.commandResults(), TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
      alterConfig(config, topics.commandResults(), TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, "1000");
      try (LoyaltyApp app = new LoyaltyApp(config).start();
          RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        app.awaitRunning(Duration.ofSeconds(60));
        purchaseEarns(config, serdes, publisher, customers.get(4), at.plusSeconds(4), app);
        assertEquals(2, app.threadsReplaced(), "one retry to suspect the task, one to name the input");
      }
      Rejection tooOld = rejectionOf(config, serdes, "too-old").orElseThrow();
      assertEquals(RejectionReason.PRODUCTION_ERROR, tooOld.getReasonCode());
      assertTrue(tooOld.getMessage().startsWith("the broker refused what it wrote (InvalidTimestampException on " + topics.commandResults()
          + "); nothing of it was applied"), tooOld.getMessage());
      assertNull(tooOld.getValue());
      List<String> answered = RecordReader.readAll(config.kafkaProperties(), topics.commandResults(), Duration.ZERO).stream()
          .map(record -> serdes.codec(CommandResult.class).decode(record.value()).getCommandId()).toList();
      assertEquals(List.of("ordinary"), answered, "a refused command's result is what the broker refused: it gets none");
    }
  }

  private static void purchaseEarns(AppConfig config, SerdeFactory serdes, RecordPublisher publisher, String customer, Instant at,
      LoyaltyApp app) throws Exception {
    long sent = System.nanoTime();
    publisher.publish(TopicContract.of(config.topics(), config.topics().transactions()),
        Records.purchase("after-" + customer, customer, "10.00", at).build()).get();
    LedgerEntry earned = awaitEarn(config, serdes, customer);
    System.out.printf("the purchase after the refused output earned %s points %d ms after it was sent; threads replaced: %d%n",
        earned.getDelta().toPlainString(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent), app.threadsReplaced());
    ConsumerLag.awaitCaughtUp(config.kafkaProperties(), config.get("kafka.application.id"),
        List.of(config.topics().commands(), config.topics().transactions()), Duration.ofSeconds(60));
  }

  /** Customer ids whose account keys go to one partition of the inputs. */
  private static List<String> customersOfOnePartition(int count) {
    List<String> customers = new ArrayList<>();
    int partition = -1;
    for (int i = 0; customers.size() < count; i++) {
      byte[] key = ("greenleaf:p" + i).getBytes(StandardCharsets.UTF_8);
      int of = Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
      if (partition < 0) {
        partition = of;
      }
      if (of == partition) {
        customers.add("p" + i);
      }
    }
    return customers;
  }

  /** The most lines of 1 x $0.01 (up to 45,000) whose ticket the producer and broker still take (1 MiB). */
  private static TransactionEvent largestTicketThatFits(SerdeFactory serdes, Topics topics, String customer, Instant at) {
    int lines = MAX_TICKET_LINES;
    TransactionEvent ticket = ticket(customer, at, lines);
    while (size(serdes, topics, ticket) > 1_000_000) {
      lines = lines * 1_000_000 / size(serdes, topics, ticket) - 100;
      ticket = ticket(customer, at, lines);
    }
    return ticket;
  }

  private static TransactionEvent ticket(String customer, Instant at, int lines) {
    List<TransactionLine> items = new ArrayList<>(lines);
    for (int i = 1; i <= lines; i++) {
      items.add(TransactionLine.newBuilder().setLineId(Integer.toString(i, 36)).setSku("S").setQuantity(new BigDecimal("1.000"))
          .setUnitPrice(new BigDecimal("0.01")).setDiscount(new BigDecimal("0.00")).build());
    }
    String subtotal = new BigDecimal(lines).movePointLeft(2).toPlainString();
    return Records.purchase("huge", customer, subtotal, at).setLines(items).build();
  }

  private static int size(SerdeFactory serdes, Topics topics, TransactionEvent ticket) {
    return serdes.codec(TransactionEvent.class).encode(topics.transactions(), ticket).length;
  }

  private static void alterConfig(AppConfig config, String topic, String name, String value) throws Exception {
    try (Admin admin = Admin.create(config.kafkaProperties())) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Collection<AlterConfigOp> change = List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
      admin.incrementalAlterConfigs(Map.of(resource, change)).all().get();
    }
  }

  private static LedgerEntry awaitEarn(AppConfig config, SerdeFactory serdes, String customer) throws InterruptedException {
    long deadline = System.nanoTime() + EARNS_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<LedgerEntry> earned = ledger(config, serdes).stream().filter(entry -> entry.getCustomerId().equals(customer)).findFirst();
      if (earned.isPresent()) {
        return earned.get();
      }
      Thread.sleep(250);
    }
    throw new AssertionError(customer + " did not earn within " + EARNS_WITHIN);
  }

  private static List<LedgerEntry> ledger(AppConfig config, SerdeFactory serdes) {
    return RecordReader.readAll(config.kafkaProperties(), config.topics().ledger(), Duration.ZERO).stream()
        .map(record -> serdes.codec(LedgerEntry.class).decode(record.value())).toList();
  }

  private static List<CustomerProfile> profiles(AppConfig config, SerdeFactory serdes) {
    return RecordReader.readAll(config.kafkaProperties(), config.topics().profiles(), Duration.ZERO).stream()
        .map(record -> serdes.codec(CustomerProfile.class).decode(record.value())).toList();
  }

  private static Optional<Rejection> rejectionOf(AppConfig config, SerdeFactory serdes, String eventId) {
    return RecordReader.readAll(config.kafkaProperties(), config.topics().rejections(), Duration.ZERO).stream()
        .map(record -> serdes.codec(Rejection.class).decode(record.value()))
        .filter(rejection -> rejection.getEventId() != null && rejection.getEventId().endsWith(eventId)).findFirst();
  }
}
