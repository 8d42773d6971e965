package io.loyalty.chaos;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.audit.InvariantChecker;
import io.loyalty.avro.AdjustPoints;
import io.loyalty.avro.AdjustmentReason;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.PointsRounding;
import io.loyalty.avro.PointsRoundingMode;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.ReleaseHold;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.programs.ProgramKey;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker, a sloppy or hostile integrator and operator: generated bad inputs of every kind (raw bytes,
 * truncated and unknown-schema records, schema-valid nonsense, amounts beyond the contract, times far ahead
 * and behind, invalid programs), each followed by a good purchase of a sentinel customer. Every bad input must
 * end in a rejection with the reason its kind calls for (none silent, none applied), the sentinel must earn
 * after every one (no crash), and the invariant checker must hold. The counts are printed for the README.
 */
class HostileInputIT {
  private static final int ROUNDS = 150;
  private static final String SENTINEL = "sentinel";

  /** One bad input as sent: where it landed and the reason its kind must be rejected with. */
  private record Sent(String kind, String id, String topic, int partition, long offset, RejectionReason expected) {}

  @Test
  void everyBadInputIsRejectedWithItsReasonAndTheEngineKeepsEarning(@TempDir Path stateDir) throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = BrokerConfig.of(kafka, "hostile-input-it", stateDir).with(Map.of("reversal.grace.minutes", "1"));
      Topics topics = config.topics();
      SerdeFactory serdes = SerdeFactory.singleObject();
      List<Sent> sent = new ArrayList<>();
      int sentinelPurchases = 0;
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        // Before the engine starts: its global store loads every program before any input is applied.
        publisher.publish(TopicContract.of(topics, topics.programs()), program()).get();
      }
      try (LoyaltyApp app = new LoyaltyApp(config).start();
          RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), serdes)) {
        app.awaitRunning(Duration.ofSeconds(60));
        Attacks attacks = new Attacks(publisher, topics, serdes, base);
        List<Supplier<Sent>> kinds = attacks.all();
        for (int round = 0; round < ROUNDS; round++) {
          attacks.at = base.plusSeconds(10L * round);
          sent.add(kinds.get(round < kinds.size() ? round : random.nextInt(kinds.size())).get());
          publisher.publish(TopicContract.of(topics, topics.transactions()),
              Records.purchase("sentinel-" + round, SENTINEL, "10.00", attacks.at.plusSeconds(5)).build()).get();
          sentinelPurchases++;
        }
        // Past the grace period of every parked return, from the broker's present.
        publisher.publish(TopicContract.of(topics, topics.clock()), new ClockTick(Instant.now().plus(Duration.ofMinutes(5)), "hostile-it")).get();
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "hostile-input-it",
            List.of(topics.transactions(), topics.commands(), topics.clock()), Duration.ofSeconds(90));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "hostile-input-it-program-checks", List.of(topics.programs()),
            Duration.ofSeconds(90));
      }

      // The engine is closed: everything it wrote is committed, each topic is read to its end without idling.
      Map<String, Rejection> rejections = new HashMap<>();
      AvroCodec<Rejection> rejectionCodec = serdes.codec(Rejection.class);
      for (ConsumerRecord<byte[], byte[]> record : RecordReader.readAll(config.kafkaProperties(), topics.rejections(), Duration.ZERO)) {
        Rejection rejection = rejectionCodec.decode(record.value());
        rejections.put(rejection.getSourceTopic() + "-" + rejection.getSourcePartition() + "@" + rejection.getSourceOffset(), rejection);
      }
      AvroCodec<LedgerEntry> ledgerCodec = serdes.codec(LedgerEntry.class);
      List<LedgerEntry> ledger = RecordReader.readAll(config.kafkaProperties(), topics.ledger(), Duration.ZERO).stream()
          .map(record -> ledgerCodec.decode(record.value())).toList();
      long sentinelEarned = ledger.stream()
          .filter(entry -> entry.getCustomerId().equals(SENTINEL) && entry.getDelta().signum() > 0).count();
      AvroCodec<CommandResult> resultCodec = serdes.codec(CommandResult.class);
      Set<String> appliedIds = new HashSet<>();
      ledger.forEach(entry -> appliedIds.add(entry.getSourceEventId()));
      Set<String> answered = new HashSet<>();
      RecordReader.readAll(config.kafkaProperties(), topics.commandResults(), Duration.ZERO).stream()
          .map(record -> resultCodec.decode(record.value())).forEach(result -> {
            answered.add(result.getCommandId());
            if (result.getStatus() == CommandStatus.APPLIED) {
              appliedIds.add(result.getCommandId());
            }
          });
      List<String> unanswered = sent.stream().filter(input -> input.topic().equals(topics.commands()) && input.id() != null
          && !answered.contains(input.id())).map(input -> input.kind() + " " + input.id()).toList();
      // A retried sentinel purchase carries the id its first copy applied under: its DUPLICATE rejection is checked instead.
      List<String> applied = sent.stream().filter(input -> input.id() != null && !input.kind().startsWith("retried")
          && appliedIds.contains(input.id())).map(input -> input.kind() + " " + input.id()).toList();

      Map<String, Integer> byReason = new TreeMap<>();
      List<String> wrong = new ArrayList<>();
      int silent = 0;
      for (Sent input : sent) {
        Rejection rejection = rejections.get(input.topic() + "-" + input.partition() + "@" + input.offset());
        if (rejection == null) {
          silent++;
          wrong.add(input.kind() + ": no trace");
        } else {
          byReason.merge(rejection.getReasonCode().name(), 1, Integer::sum);
          if (rejection.getReasonCode() != input.expected()) {
            wrong.add(input.kind() + ": " + rejection.getReasonCode() + " " + rejection.getMessage());
          }
        }
      }
      InvariantChecker.Report report = InvariantChecker.check(config.kafkaProperties(), topics, serdes, Duration.ZERO);
      System.out.printf("hostile inputs (seed %d): %d sent, %d rejected with a reason %s, %d with another reason than "
          + "expected, %d applied, %d silent; sentinel earned %d of %d (crashes: %d); invariant check: %s%n", seed, sent.size(),
          sent.size() - silent, byReason, wrong.size() - silent, applied.size(), silent, sentinelEarned, sentinelPurchases,
          sentinelPurchases - sentinelEarned, report.line());
      assertEquals(List.of(), wrong, "seed " + seed);
      assertEquals(List.of(), applied, "seed " + seed + ": no bad input is applied");
      assertEquals(List.of(), unanswered, "seed " + seed + ": every command that decodes gets a result, refused here");
      assertEquals(sentinelPurchases, sentinelEarned, "seed " + seed + ": the sentinel earns after every bad input");
      assertTrue(report.holds(), report.line() + " " + report.examples());
    }
  }

  private static ProgramConfig program() {
    return Records.program("1").setAdjustmentReasons(List.of(new AdjustmentReason("correction", null)))
        .setRewards(List.of(RewardDefinition.newBuilder().setRewardId("ten-off").setName("$10 off").setCost(d("100.0000"))
            .setValue(d("10.00")).build()))
        .build();
  }

  /** The kinds of bad input, each sent once in turn and then at random. */
  private static final class Attacks {
    final RecordPublisher publisher;
    final Topics topics;
    final SerdeFactory serdes;
    final Instant base;
    Instant at;
    int sequence;

    Attacks(RecordPublisher publisher, Topics topics, SerdeFactory serdes, Instant base) {
      this.publisher = publisher;
      this.topics = topics;
      this.serdes = serdes;
      this.base = base;
    }

    List<Supplier<Sent>> all() {
      return List.of(
          () -> raw("garbage bytes", topics.transactions(), "greenleaf:x", bytes(37), RejectionReason.UNDECODABLE),
          () -> raw("truncated purchase", topics.transactions(), "greenleaf:x", truncated(), RejectionReason.UNDECODABLE),
          () -> raw("unknown schema fingerprint", topics.transactions(), "greenleaf:x", unknownFingerprint(), RejectionReason.UNKNOWN_SCHEMA),
          () -> raw("empty value", topics.transactions(), "greenleaf:x", new byte[0], RejectionReason.MISSING_FIELD),
          () -> raw("tombstone", topics.commands(), "greenleaf:x", null, RejectionReason.MISSING_FIELD),
          () -> raw("key not UTF-8", topics.transactions(), new byte[] {(byte) 0xFF, (byte) 0xFE},
              serdes.codec(TransactionEvent.class).encode(topics.transactions(), purchase("c1", "10.00").build()),
              RejectionReason.INVALID_FIELD),
          () -> purchaseOf("negative subtotal", purchase("c1", "-10.00"), RejectionReason.NEGATIVE_AMOUNT),
          () -> purchaseOf("absurd subtotal", purchase("c1", "10000000.00"), RejectionReason.ABSURD_AMOUNT),
          () -> purchaseOf("lines that do not add up", purchase("c1", "10.00").setSubtotal(d("99.00")).setTotal(d("99.00")),
              RejectionReason.LINES_DO_NOT_ADD_UP),
          () -> purchaseOf("quantity 0", purchase("c1", "10.00").setLines(List.of(Records.line("L1", "0", "10.00", "0"))),
              RejectionReason.INVALID_FIELD),
          () -> purchaseOf("unknown organization", purchase("c1", "10.00").setOrganizationId("nobody"),
              RejectionReason.UNKNOWN_ORGANIZATION),
          () -> purchaseOf("organization id with ':'", purchase("c1", "10.00").setOrganizationId("abs:colon"),
              RejectionReason.INVALID_FIELD),
          () -> purchaseOf("dated 9999", purchase("c1", "10.00").setOccurredAt(Instant.parse("9999-12-31T00:00:00Z")),
              RejectionReason.TIME_OUT_OF_RANGE),
          () -> purchaseOf("before the first program", purchase("c1", "10.00").setOccurredAt(Instant.parse("2025-06-01T00:00:00Z")),
              RejectionReason.NO_PROGRAM_IN_FORCE),
          () -> purchaseOf("bitcoin", purchase("c1", "10.00").setCurrency("BTC"), RejectionReason.CURRENCY_MISMATCH),
          () -> purchaseOf("ticket of 2,000 lines", manyLines(purchase("c1", "20.00"), 2_000), RejectionReason.LIMIT_EXCEEDED),
          () -> purchaseOf("sku of 5,000 characters", purchase("c1", "10.00").setLines(List.of(TransactionLine.newBuilder(
              Records.line("L1", "1", "10.00", "0")).setSku("x".repeat(5_000)).build())), RejectionReason.LIMIT_EXCEEDED),
          () -> command("name of 100,000 characters", SENTINEL, UpdateProfile.newBuilder().setFirstName("n".repeat(100_000)).build(),
              RejectionReason.LIMIT_EXCEEDED),
          () -> purchaseOf("return of a sale never seen", Records.returnOf("r" + (++sequence), "never-" + sequence, "c1", at,
              "L1", "1"), RejectionReason.UNKNOWN_TRANSACTION),
          () -> purchaseOf("retried sentinel purchase", Records.purchase("sentinel-0", SENTINEL, "10.00", base.plusSeconds(5)),
              RejectionReason.DUPLICATE),
          () -> raw("garbage command", topics.commands(), "greenleaf:x", bytes(12), RejectionReason.UNDECODABLE),
          () -> command("adjustment beyond 18 digits", SENTINEL, AdjustPoints.newBuilder().setDelta(d("99999999999999.9999"))
              .setReason("correction").setApprovedBy("manager-1").setNote(null).build(), RejectionReason.AMOUNT_OUT_OF_RANGE),
          () -> command("email and phone swapped", "c" + (++sequence), Enroll.newBuilder().setEmail("+13035550100")
              .setPhone("victim@example.com").build(), RejectionReason.INVALID_FIELD),
          () -> command("hold with points and a reward", SENTINEL, HoldPoints.newBuilder().setHoldId("h" + (++sequence))
              .setPoints(d("5.0000")).setRewardId("ten-off").setExpiresAt(at.plusSeconds(3600)).build(), RejectionReason.INVALID_FIELD),
          () -> command("release for a customer never seen", "ghost-" + (++sequence), new ReleaseHold("h0"),
              RejectionReason.UNKNOWN_CUSTOMER),
          () -> tick("tick dated 9999", Instant.parse("9999-12-31T00:00:00Z"), RejectionReason.TIME_OUT_OF_RANGE),
          () -> tick("tick dated 1970", Instant.EPOCH, RejectionReason.STALE_TICK),
          () -> invalidProgram("program with accrual 1e9", ProgramConfig.newBuilder(HostileInputIT.program()).setVersion(2 + ++sequence)
              .setAccrualRate(d("1000000000.0000")).build()),
          () -> invalidProgram("program with quiet hours 25:99", ProgramConfig.newBuilder(HostileInputIT.program()).setVersion(2 + ++sequence)
              .setQuietHoursStart("25:99").build()),
          () -> invalidProgram("program with rounding scale 9", ProgramConfig.newBuilder(HostileInputIT.program()).setVersion(2 + ++sequence)
              .setRounding(new PointsRounding(9, PointsRoundingMode.HALF_UP)).build()),
          () -> invalidProgram("program in Mars/Olympus", ProgramConfig.newBuilder(HostileInputIT.program()).setVersion(2 + ++sequence).setTimeZone("Mars/Olympus").build()),
          () -> raw("garbage program", topics.programs(), "greenleaf/77", bytes(20), RejectionReason.UNDECODABLE));
    }

    /** The ticket's amount spread over n lines of one cent's multiples that add up: schema-valid, only too long. */
    private static TransactionEvent.Builder manyLines(TransactionEvent.Builder ticket, int lines) {
      List<TransactionLine> items = new ArrayList<>();
      for (int i = 1; i <= lines; i++) {
        items.add(Records.line("L" + i, "1", "0.01", "0"));
      }
      String subtotal = new java.math.BigDecimal(lines).movePointLeft(2).toPlainString();
      return ticket.setLines(items).setSubtotal(d(subtotal)).setTotal(d(subtotal));
    }

    private TransactionEvent.Builder purchase(String customer, String subtotal) {
      return Records.purchase("h" + (++sequence), customer, subtotal, at);
    }

    private Sent purchaseOf(String kind, TransactionEvent.Builder event, RejectionReason expected) {
      TransactionEvent built = event.build();
      return sent(kind, built.getEventId(), topics.transactions(),
          publisher.publish(TopicContract.of(topics, topics.transactions()), built), expected);
    }

    private Sent command(String kind, String customer, Object body, RejectionReason expected) {
      LoyaltyCommand command = Records.command("k" + (++sequence), customer, at, body);
      return sent(kind, command.getCommandId(), topics.commands(), publisher.publish(TopicContract.of(topics, topics.commands()), command),
          expected);
    }

    /** To partition 0 only, after a tick of the present there: a tick is per partition, and so is its clock. */
    private Sent tick(String kind, Instant time, RejectionReason expected) {
      AvroCodec<ClockTick> codec = serdes.codec(ClockTick.class);
      publisher.copy(topics.clock(), 0, System.currentTimeMillis(), null, codec.encode(topics.clock(), new ClockTick(Instant.now(), "hostile-it")));
      byte[] value = codec.encode(topics.clock(), new ClockTick(time, "hostile-it"));
      return sent(kind, null, topics.clock(), publisher.copy(topics.clock(), 0, System.currentTimeMillis(), null, value), expected);
    }

    private Sent invalidProgram(String kind, ProgramConfig program) {
      return raw(kind, topics.programs(), ProgramKey.of(program), serdes.codec(ProgramConfig.class).encode(topics.programs(), program),
          RejectionReason.INVALID_PROGRAM);
    }

    private Sent raw(String kind, String topic, String key, byte[] value, RejectionReason expected) {
      return raw(kind, topic, key.getBytes(StandardCharsets.UTF_8), value, expected);
    }

    private Sent raw(String kind, String topic, byte[] key, byte[] value, RejectionReason expected) {
      return sent(kind, null, topic, publisher.sendRaw(topic, key, value), expected);
    }

    private static Sent sent(String kind, String id, String topic, java.util.concurrent.Future<RecordMetadata> future,
        RejectionReason expected) {
      try {
        RecordMetadata metadata = future.get();
        return new Sent(kind, id, topic, metadata.partition(), metadata.offset(), expected);
      } catch (Exception e) {
        throw new IllegalStateException(kind + " was not sent", e);
      }
    }

    private byte[] bytes(int length) {
      byte[] bytes = new byte[length];
      new Random(sequence++).nextBytes(bytes);
      bytes[0] = 0x7F;
      return bytes;
    }

    private byte[] truncated() {
      byte[] whole = serdes.codec(TransactionEvent.class).encode(topics.transactions(), purchase("c1", "10.00").build());
      return Arrays.copyOf(whole, whole.length / 2);
    }

    private byte[] unknownFingerprint() {
      byte[] whole = serdes.codec(TransactionEvent.class).encode(topics.transactions(), purchase("c1", "10.00").build());
      whole[2] ^= 0x5A;
      return whole;
    }
  }
}
