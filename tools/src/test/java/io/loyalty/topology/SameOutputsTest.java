package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.SegmentChange;
import io.loyalty.bench.LoadGenerator;
import io.loyalty.demo.SampleSegments;
import io.loyalty.demo.SampleStream;
import io.loyalty.demo.SampleStream.Item;
import io.loyalty.demo.SampleWorkflows;
import io.loyalty.testing.TopologyHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/**
 * The engine's behaviour, pinned while its insides are rebuilt for cost: the demo's input and the first 8,000 items
 * of the default bench's (fixed seeds and the programs each runs with, clock ticks every business day, then ticks that settle every timer) go through the
 * topology, and what comes out must equal, record for record with their ids, what the engine wrote before the
 * redesign (the digests in {@code src/test/resources/same-outputs/}, written by the commit that added this test, whose
 * behaviour is that of the release before it): the ledger, reward events, notification requests, offers, segment
 * changes, command results and rejections (each sorted: only their order within a topic may change), the last
 * profile of every customer (their number may change, not the final content) and the last KPI row of every period.
 *
 * <p>To see what differs: run this test with {@code -Dsame-outputs.dump=DIR} here and at the commit that wrote the
 * digests (a {@code git worktree}), then diff the two directories. {@code -Dsame-outputs.record=true} rewrites the
 * digests, for a change of behaviour that is meant.
 */
class SameOutputsTest {
  private static final Path DIGESTS = Path.of("src/test/resources/same-outputs");
  /** Where the bench's business time starts (BenchCommand). */
  private static final Instant BENCH_START = Instant.parse("2026-09-01T16:00:00Z");

  @Test
  void theDemosInputGivesTheSameOutputs() throws Exception {
    try (TopologyHarness harness = new TopologyHarness()) {
      run(harness, SampleStream.programs(SampleSegments.standard(), SampleWorkflows.demo()),
          new SampleStream(42, 300).generate(1500).iterator());
      check("demo", outputs(harness));
    }
  }

  @Test
  void theBenchsInputGivesTheSameOutputs() throws Exception {
    try (TopologyHarness harness = new TopologyHarness()) {
      LoadGenerator load = new LoadGenerator(42, 5_000, 0.8, BENCH_START);
      Iterator<Item> items = new Iterator<>() {
        private int left = 8_000;

        @Override
        public boolean hasNext() {
          return left > 0;
        }

        @Override
        public Item next() {
          left--;
          return load.next();
        }
      };
      run(harness, SampleStream.programs(), items);
      check("bench", outputs(harness));
    }
  }

  /** The programs and catalog, the items with a tick at each new business day, then a tick a day for 400 days. */
  private static void run(TopologyHarness harness, List<ProgramConfig> programs, Iterator<Item> items) {
    programs.forEach(harness::program);
    SampleStream.catalog().forEach(harness::product);
    Instant latest = Instant.EPOCH;
    while (items.hasNext()) {
      Item item = items.next();
      Instant at = item.event() != null ? item.event().getOccurredAt()
          : item.command() != null ? item.command().getIssuedAt() : latest;
      if (at.isAfter(latest)) {
        if (!latest.equals(Instant.EPOCH) && at.getEpochSecond() / 86_400 != latest.getEpochSecond() / 86_400) {
          harness.tick(at);
        }
        latest = at;
      }
      if (item.event() != null) {
        harness.transaction(item.event());
      } else if (item.command() != null) {
        harness.command(item.command());
      } else {
        harness.raw(item.rawTopicKey() == null ? null : item.rawTopicKey().getBytes(StandardCharsets.UTF_8), item.rawValue(), latest);
      }
    }
    for (int day = 1; day <= 400; day++) {
      harness.tick(latest.plus(Duration.ofDays(day)));
    }
  }

  private static Map<String, List<String>> outputs(TopologyHarness harness) {
    Map<String, List<String>> outputs = new LinkedHashMap<>();
    outputs.put("ledger", sorted(harness.ledger(), LedgerEntry::toString));
    outputs.put("rewards", sorted(harness.rewards(), RewardEvent::toString));
    outputs.put("notifications", sorted(harness.notifications(), NotificationRequest::toString));
    TestOutputTopic<String, OfferEvent> offers = harness.driver().createOutputTopic(harness.topics.offers(), new StringDeserializer(),
        harness.serdes.serde(OfferEvent.class).deserializer());
    outputs.put("offers", sorted(offers.readValuesToList(), OfferEvent::toString));
    outputs.put("segment-changes", sorted(harness.segmentChanges(), SegmentChange::toString));
    outputs.put("command-results", sorted(harness.results(), CommandResult::toString));
    outputs.put("rejections", sorted(harness.rejections(), rejection -> rejection.value().toString()));
    Map<String, CustomerProfile> lastProfiles = new LinkedHashMap<>();
    harness.profiles().forEach(profile -> lastProfiles.put(profile.getAccountKey(), profile));
    outputs.put("last-profiles", sorted(new ArrayList<>(lastProfiles.values()), CustomerProfile::toString));
    outputs.put("last-kpi-rows", sorted(new ArrayList<>(harness.kpis().values()), Object::toString));
    return outputs;
  }

  private static <T> List<String> sorted(List<T> records, Function<T, String> text) {
    return records.stream().map(text).sorted().toList();
  }

  /** Compares the digest of each output with the one recorded (or records it), and dumps the outputs when asked. */
  private static void check(String input, Map<String, List<String>> outputs) throws IOException {
    String dump = System.getProperty("same-outputs.dump");
    if (dump != null) {
      Path dir = Path.of(dump, input);
      Files.createDirectories(dir);
      for (Map.Entry<String, List<String>> output : outputs.entrySet()) {
        Files.write(dir.resolve(output.getKey() + ".txt"), output.getValue());
      }
    }
    StringBuilder digests = new StringBuilder();
    outputs.forEach((name, lines) -> digests.append(name).append(' ').append(lines.size()).append(' ').append(sha256(lines)).append('\n'));
    Path recorded = DIGESTS.resolve(input + ".txt");
    if (Boolean.getBoolean("same-outputs.record")) {
      Files.createDirectories(DIGESTS);
      Files.writeString(recorded, digests);
    }
    assertEquals(Files.readString(recorded), digests.toString(), "outputs of the " + input + "'s input (name, records, SHA-256)");
  }

  private static String sha256(List<String> lines) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      lines.forEach(line -> digest.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
