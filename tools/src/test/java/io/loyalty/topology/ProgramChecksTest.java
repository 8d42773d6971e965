package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static io.loyalty.testing.WorkflowSteps.boost;
import static io.loyalty.testing.WorkflowSteps.end;
import static io.loyalty.testing.WorkflowSteps.on;
import static io.loyalty.testing.WorkflowSteps.onSegment;
import static io.loyalty.testing.WorkflowSteps.purchasedSinceEntry;
import static io.loyalty.testing.WorkflowSteps.until;
import static io.loyalty.testing.WorkflowSteps.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.runtime.EngineMeters;
import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.GroupMultiplier;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.PersonalizationSettings;
import io.loyalty.avro.PointsRounding;
import io.loyalty.avro.PointsRoundingMode;
import io.loyalty.avro.Product;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TierDefinition;
import io.loyalty.demo.SampleCatalog;
import io.loyalty.programs.ProgramKey;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.StreamsSettings;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * Program versions are checked when they arrive: an invalid one is rejected with every field at fault, counted
 * in a metric, and never put in force, so the version before it keeps applying.
 */
class ProgramChecksTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final SerdeFactory serdes = SerdeFactory.singleObject();

  private static ProgramConfig.Builder valid() {
    return Records.program("1").setVersion(2).setEffectiveFrom(AT.minusSeconds(3600));
  }

  @Test
  void everyLimitIsCheckedAndNamedWithoutEchoingFreeText() throws Exception {
    Map<String, UnaryOperator<ProgramConfig.Builder>> cases = new java.util.LinkedHashMap<>();
    cases.put("accrualRate -1 must be between 0 and 1000", b -> b.setAccrualRate(d("-1.0000")));
    cases.put("accrualRate 1000000000 must be between 0 and 1000", b -> b.setAccrualRate(d("1000000000.0000")));
    cases.put("rounding.scale -3 must be 0 to 4", b -> b.setRounding(new PointsRounding(-3, PointsRoundingMode.HALF_UP)));
    cases.put("rounding.scale 9 must be 0 to 4", b -> b.setRounding(new PointsRounding(9, PointsRoundingMode.HALF_UP)));
    cases.put("groupMultipliers[vip] -3 must be between 0 and 100",
        b -> b.setGroupMultipliers(List.of(new GroupMultiplier("vip", d("-3.0000")))));
    cases.put("tiers[gold].bonusMultiplier -100 must be between 0 and 100", b -> b.setTiers(List.of(
        tier("gold", "100.00").setBonusMultiplier(d("-100.0000")).build())));
    cases.put("tiers[gold].threshold 100.00 must be above the previous tier's", b -> b.setTiers(List.of(
        tier("silver", "100.00").build(), tier("gold", "100.00").build())));
    cases.put("inactivityExpiryDays -5 must be between 1 and 3650", b -> b.setInactivityExpiryDays(-5));
    cases.put("version -5 must be 1 or more", b -> b.setVersion(-5));
    cases.put("organizationId must be non-empty, without ':', '/' or spaces", b -> b.setOrganizationId("abs:colon"));
    cases.put("timeZone 'Mars/Olympus' is not an IANA time zone", b -> b.setTimeZone("Mars/Olympus"));
    cases.put("currency 'BTCX' is not an ISO 4217 code", b -> b.setCurrency("BTCX"));
    cases.put("quietHoursStart must be a time of day as HH:mm (00:00 to 23:59)", b -> b.setQuietHoursStart("25:99"));
    cases.put("quietHoursEnd must be a time of day as HH:mm", b -> b.setQuietHoursEnd("+13035550100"));
    cases.put("channelCaps: SMS is capped twice", b -> b.setChannelCaps(List.of(
        io.loyalty.avro.ChannelCap.newBuilder().setChannel(io.loyalty.avro.Channel.SMS).setPerDay(1).build(),
        io.loyalty.avro.ChannelCap.newBuilder().setChannel(io.loyalty.avro.Channel.SMS).setPerWeek(2).build())));
    cases.put("channelCaps[EMAIL]: perDay and perWeek must be 0 to 100 (0: none)", b -> b.setChannelCaps(List.of(
        io.loyalty.avro.ChannelCap.newBuilder().setChannel(io.loyalty.avro.Channel.EMAIL).setPerWeek(101).build())));
    cases.put("personalization.halfLifeDays 0 must be between 1 and 3650", b -> b.setPersonalization(new PersonalizationSettings(0, 10, 0)));
    cases.put("personalization.recommendations 51 must be between 0 and 50",
        b -> b.setPersonalization(new PersonalizationSettings(90, 51, 0)));
    cases.put("personalization.exploreSlots 51 must be between 0 and 50", b -> b.setPersonalization(new PersonalizationSettings(90, 10, 51)));
    cases.put("offers.maxPerWeek 8 must be between 0 and 7", b -> b.setOffers(OfferSettings.newBuilder().setMaxPerWeek(8).build()));
    cases.put("offers.holdoutPercent 51 must be between 0 and 50", b -> b.setOffers(OfferSettings.newBuilder().setHoldoutPercent(51).build()));
    cases.put("offers.value 150 must be between 0 and 100", b -> b.setOffers(OfferSettings.newBuilder()
        .setKind(OfferKind.PRODUCT_DISCOUNT).setValue(d("150.0000")).build()));
    cases.put("compliance.maximumDiscountPercent -1 must be between 0 and 100",
        b -> b.setCompliance(CompliancePolicy.newBuilder().setMaximumDiscountPercent(d("-1.0000")).build()));
    cases.put("compliance.minimumPaidAmount -0.01 must be between 0 and 1000000",
        b -> b.setCompliance(CompliancePolicy.newBuilder().setMinimumPaidAmount(d("-0.01")).build()));
    cases.put("compliance.smsOptOutText must not be blank", b -> b.setCompliance(CompliancePolicy.newBuilder().setSmsOptOutText(" ").build()));
    cases.put("workflows: workflow winback: trigger SEGMENT_ENTERED names no segment the program defines ('nope')",
        b -> b.setWorkflows(List.of(workflow("winback", onSegment("nope"), end("done")).build())));
    cases.put("workflows: workflow id 'Bad Id' is not 1 to 40 lowercase letters, digits, - or _",
        b -> b.setWorkflows(List.of(workflow("Bad Id", on(WorkflowTriggerType.PURCHASE).build(), end("done")).build())));
    cases.put("workflows: workflow w: 0 steps; 1 to 20", b -> b.setWorkflows(List.of(workflow("w", on(WorkflowTriggerType.PURCHASE).build())
        .build())));
    cases.put("workflows: workflow w: step back: elseStep 'first' is not a later step", b -> b.setWorkflows(List.of(workflow("w",
        on(WorkflowTriggerType.PURCHASE).build(), end("first"), purchasedSinceEntry("back", true, "first")).build())));
    cases.put("workflows: workflow w: step boost: BOOST_POINTS needs points above 0", b -> b.setWorkflows(List.of(workflow("w",
        on(WorkflowTriggerType.PURCHASE).build(), boost("boost", "-5")).build())));
    cases.put("workflows: workflow w: step wait: untilLocalTime '25:00' is not HH:mm", b -> b.setWorkflows(List.of(workflow("w",
        on(WorkflowTriggerType.PURCHASE).build(), until("wait", "25:00")).build())));
    cases.put("workflows: workflow w: exitOnSegmentExit needs a SEGMENT_ENTERED trigger", b -> b.setWorkflows(List.of(workflow("w",
        on(WorkflowTriggerType.PURCHASE).build(), end("done")).setExitOnSegmentExit(true).build())));
    cases.put("segments: segment frequent: PURCHASES_IN_WINDOW needs windowDays", b -> b.setSegments(List.of(new io.loyalty.avro.SegmentDefinition(
        "frequent", "frequent", io.loyalty.testing.SegmentConditions.test(io.loyalty.avro.SegmentOperator.AT_LEAST,
            io.loyalty.avro.SegmentAttribute.PURCHASES_IN_WINDOW, "2")))));
    cases.put("workflows: workflow sale: trigger BROADCAST needs a time (at) and a segment the program defines ('null')",
        b -> b.setWorkflows(List.of(workflow("sale", on(WorkflowTriggerType.BROADCAST).setAt(Instant.parse("2026-04-01T15:00:00Z")).build(),
            end("done")).build())));
    cases.put("workflows: workflow w: step message: SEND_MESSAGE needs a channel (or channels in order, each once) and a template",
        b -> b.setWorkflows(List.of(workflow("w", on(WorkflowTriggerType.PURCHASE).build(), io.loyalty.avro.WorkflowStep.newBuilder()
            .setId("message").setType(io.loyalty.avro.WorkflowStepType.SEND_MESSAGE).setTemplate("hello")
            .setChannels(List.of(io.loyalty.avro.Channel.SMS, io.loyalty.avro.Channel.SMS)).build()).build())));
    cases.put("workflows: workflow w: holdoutPercent 60 must be between 0 and 50", b -> b.setWorkflows(List.of(workflow("w",
        on(WorkflowTriggerType.PURCHASE).build(), end("done")).setHoldoutPercent(60).build())));
    cases.put("workflows: workflow w: trigger VISIT needs visit numbers from 1 to 10000", b -> b.setWorkflows(List.of(workflow("w",
        on(WorkflowTriggerType.VISIT).build(), end("done")).build())));

    try (Checks checks = new Checks()) {
      for (Map.Entry<String, UnaryOperator<ProgramConfig.Builder>> entry : cases.entrySet()) {
        ProgramConfig program = entry.getValue().apply(valid()).build();
        checks.send(ProgramKey.of(program), serdes.codec(ProgramConfig.class).encode("loyalty.programs", program));
        List<Rejection> rejections = checks.rejections.readValuesToList();
        assertEquals(1, rejections.size(), entry.getKey());
        Rejection rejection = rejections.get(0);
        assertEquals(RejectionReason.INVALID_PROGRAM, rejection.getReasonCode(), entry.getKey());
        assertTrue(rejection.getMessage().contains(entry.getKey()), rejection.getMessage());
        assertFalse(rejection.getMessage().contains("+1303"), "a program's free text is never echoed: " + rejection.getMessage());
        assertEquals(program.getOrganizationId(), rejection.getOrganizationId());
      }
      checks.send("greenleaf/9", serdes.codec(ProgramConfig.class).encode("loyalty.programs", valid().build()));
      checks.send("greenleaf/3", "not avro".getBytes(StandardCharsets.UTF_8));
      ProgramConfig fine = valid().build();
      checks.send(ProgramKey.of(fine), serdes.codec(ProgramConfig.class).encode("loyalty.programs", fine));
      checks.send(ProgramKey.of(fine), null);
      assertEquals(List.of(RejectionReason.KEY_MISMATCH, RejectionReason.UNDECODABLE),
          checks.rejections.readValuesToList().stream().map(Rejection::getReasonCode).toList(),
          "a wrong key and bad bytes are rejected; a valid version and a tombstone are not");
      assertEquals(cases.size() + 2.0, checks.invalidVersions(), "the operator's metric counts every refused version");
    }
  }

  @Test
  void anInvalidVersionNeverReplacesTheVersionInForce() {
    try (TopologyHarness harness = new TopologyHarness()) {
      harness.program(Records.program("1").build());
      harness.program(valid().setAccrualRate(d("1000000000.0000")).build());
      harness.program(valid().setVersion(3).setQuietHoursStart("25:99").build());
      harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
      List<LedgerEntry> ledger = harness.ledger();
      assertEquals(1, ledger.size());
      assertEquals(d("10.0000"), ledger.get(0).getDelta(), "earned under version 1, the last valid one");
      assertEquals(1L, ledger.get(0).getProgramVersion());
      assertEquals(List.of(), harness.rejections());
    }
  }

  private static TierDefinition.Builder tier(String id, String threshold) {
    return TierDefinition.newBuilder().setTierId(id).setName(id).setThreshold(d(threshold));
  }

  /** The program-checks topology on its own test driver. */
  @Test
  void catalogRecordsTheStoreRefusesAreRejectedWithTheirReason() throws Exception {
    Product valid = SampleCatalog.products(Records.ORG, AT).get(0);
    try (Checks checks = new Checks()) {
      checks.products.pipeInput(bytes("greenleaf/FL-BD-35"), serdes.codec(Product.class).encode("loyalty.products", valid));
      checks.products.pipeInput(bytes("greenleaf/OTHER"), serdes.codec(Product.class).encode("loyalty.products", valid));
      Product negative = Product.newBuilder(valid).setPrice(d("-1.00")).build();
      checks.products.pipeInput(bytes("greenleaf/FL-BD-35"), serdes.codec(Product.class).encode("loyalty.products", negative));
      checks.products.pipeInput(bytes("greenleaf/X"), new byte[] {1, 2, 3});
      checks.products.pipeInput(bytes("greenleaf/X"), (byte[]) null);
      assertEquals(List.of("KEY_MISMATCH catalog record key does not match organizationId/sku of the product",
          "INVALID_FIELD catalog record: price must be between 0 and 1000000"),
          checks.rejections.readValuesToList().stream().limit(2).map(r -> r.getReasonCode() + " " + r.getMessage()).toList());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static final class Checks implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> programs;
    final TestInputTopic<byte[], byte[]> products;
    final TestOutputTopic<byte[], Rejection> rejections;
    final Path stateDir;

    Checks() throws Exception {
      stateDir = Files.createTempDirectory("loyalty-program-checks-");
      AppConfig config = AppConfig.defaults().with(Map.of("kafka.state.dir", stateDir.toString(),
          "kafka.application.id", "loyalty-test", "kafka.bootstrap.servers", "unused:9092"));
      Topics topics = config.topics();
      driver = new TopologyTestDriver(LoyaltyTopology.programChecks(topics, SerdeFactory.singleObject(), EngineMeters.inMemory()),
          StreamsSettings.forProgramChecks(config));
      programs = driver.createInputTopic(topics.programs(), new ByteArraySerializer(), new ByteArraySerializer());
      products = driver.createInputTopic(topics.products(), new ByteArraySerializer(), new ByteArraySerializer());
      rejections = driver.createOutputTopic(topics.rejections(), new ByteArrayDeserializer(),
          SerdeFactory.singleObject().serde(Rejection.class).deserializer());
    }

    void send(String key, byte[] value) {
      programs.pipeInput(key.getBytes(StandardCharsets.UTF_8), value);
    }

    double invalidVersions() {
      return driver.metrics().entrySet().stream()
          .filter(metric -> metric.getKey().name().equals("invalid-program-versions-total"))
          .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue()).sum();
    }

    @Override
    public void close() {
      driver.close();
      io.loyalty.runtime.Directories.deleteRecursively(stateDir);
    }
  }
}
