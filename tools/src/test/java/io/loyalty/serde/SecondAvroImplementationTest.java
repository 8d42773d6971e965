package io.loyalty.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.TopicContract;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.PersonalizationSettings;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.TransactionLine;
import io.loyalty.demo.SampleCatalog;
import io.loyalty.runtime.Topics;
import io.loyalty.testing.Records;
import io.loyalty.testing.Samples;
import io.loyalty.testing.SegmentConditions;
import io.loyalty.testing.TopologyHarness;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/**
 * The contract as another Avro implementation reads it: avsc (npm), the library under Confluent's Node.js
 * serializers. The current schema of every topic must parse there (nested defaults spelled out in full), and
 * records of every topic as the engine writes them must decode and encode back to the same bytes: the outputs of a
 * history through the topology, and for the inputs the samples encoded by the engine's codec, as `produce` does.
 * Needs Node.js and npm (.ci/run installs them); npm takes avsc from the registry by package-lock.json.
 */
class SecondAvroImplementationTest {
  private static final Instant T0 = Instant.parse("2026-03-02T18:00:00Z");
  private static final Path CHECKER = Path.of("src/test/avsc");
  private static final Path WORK = Path.of("target/avsc-check");

  @Test
  void avscParsesEveryTopicsSchemaAndReadsBackWhatTheEngineWrites() throws Exception {
    Map<String, List<byte[]>> written = new TreeMap<>();
    Topics topics;
    try (TopologyHarness harness = new TopologyHarness()) {
      topics = harness.topics;
      Map<String, TestOutputTopic<byte[], byte[]>> outputs = new TreeMap<>();
      for (TopicContract<?> contract : TopicContract.all(topics)) {
        outputs.put(contract.topic(), harness.driver().createOutputTopic(contract.topic(), new ByteArrayDeserializer(),
            new ByteArrayDeserializer()));
      }
      runHistory(harness);
      harness.driver().advanceWallClockTime(Duration.ofMinutes(1));
      outputs.forEach((topic, output) -> output.readValuesToList().forEach(value -> written.computeIfAbsent(topic, t -> new ArrayList<>())
          .add(value)));
      // The inputs, encoded by the engine's codec as `produce` and the demo publish them.
      for (TopicContract<?> contract : TopicContract.all(topics)) {
        if (!written.containsKey(contract.topic())) {
          written.put(contract.topic(), List.of(encode(harness, contract)));
        }
      }
    }

    Path data = WORK.resolve("records");
    deleteRecursively(data);
    for (TopicContract<?> contract : TopicContract.all(topics)) {
      Path dir = Files.createDirectories(data.resolve(contract.topic()));
      Files.writeString(dir.resolve("schema.avsc"), PublishedSchema.of(SpecificData.get().getSchema(contract.type())));
      List<byte[]> records = written.get(contract.topic());
      for (int i = 0; i < records.size(); i++) {
        Files.write(dir.resolve(i + ".bin"), withoutHeader(records.get(i)));
      }
    }
    for (String file : List.of("package.json", "package-lock.json", "check.js")) {
      Files.copy(CHECKER.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
    String report = run(List.of("node", "check.js", data.toAbsolutePath().toString()));
    System.out.print(report);
    assertEquals(TopicContract.all(topics).size(), report.lines().filter(line -> line.contains(": schema parsed, ")).count(), report);
    for (TopicContract<?> contract : TopicContract.all(topics)) {
      int count = written.get(contract.topic()).size();
      assertTrue(report.contains(contract.topic() + ": schema parsed, " + count + " of " + count + " records read back"), report);
    }
  }

  /** A member who consents to email, buys enough to reach a tier, an offer and a segment, and a record refused. */
  private static void runHistory(TopologyHarness harness) {
    harness.program(Records.program("1").setPersonalization(new PersonalizationSettings(90, 5, 0))
        .setTiers(List.of(TierDefinition.newBuilder().setTierId("elite").setName("Elite").setThreshold(new BigDecimal("50.00")).build()))
        .setOffers(OfferSettings.newBuilder().setEnabled(true).setKind(OfferKind.BONUS_POINTS).setValue(new BigDecimal("25.0000"))
            .setValidDays(14).setMaxPerWeek(1).setReplenishmentLeadDays(2).build())
        .setSegments(List.of(SegmentConditions.segment("spent-100",
            SegmentConditions.test(SegmentOperator.AT_LEAST, SegmentAttribute.SPEND, "100"))))
        .build());
    SampleCatalog.products(Records.ORG, Records.PROGRAM_START).forEach(harness::product);
    harness.command(Records.command("k1", "c1", T0, Enroll.newBuilder().setBirthDate(LocalDate.parse("1990-05-01"))
        .setEmail("c1@example.com").build()));
    harness.command(Records.command("e1", "c1", T0.plusSeconds(1), ChangeConsent.newBuilder().setChannel(Channel.EMAIL)
        .setAction(ConsentAction.GRANT).build()));
    harness.transaction(Records.purchase("p1", "c1", "105.00", T0.plusSeconds(10)).setLines(List.of(
        TransactionLine.newBuilder(Records.line("L1", "3", "35.00", "0")).setSku("FL-BD-35").build())).build());
    harness.raw("greenleaf:c2", new byte[] {1, 2, 3});
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encode(TopologyHarness harness, TopicContract<T> contract) {
    T sample = Samples.record(SpecificData.get().getSchema(contract.type()));
    return harness.serdes.codec((Class<T>) contract.type()).encode(contract.topic(), sample);
  }

  /** The Avro binary of a single-object encoded record: after its marker (C3 01) and 8-byte schema fingerprint. */
  private static byte[] withoutHeader(byte[] encoded) {
    assertTrue(encoded.length >= 10 && encoded[0] == (byte) 0xC3 && encoded[1] == 0x01, "single-object encoding");
    return Arrays.copyOfRange(encoded, 10, encoded.length);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(command.get(0) + " is needed by this test (Node.js and npm; .ci/run installs them)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
    assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    return output;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.exists(path)) {
      try (var walk = Files.walk(path)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }
}
