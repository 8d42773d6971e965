package io.loyalty.bench;

import io.loyalty.demo.SampleStream;
import io.loyalty.demo.SampleStream.Item;
import io.loyalty.testing.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * The stream thread's cost of an event of the bench's load, without a broker: the `bench` command's generated
 * stream (same seed, accounts and Zipf exponent, both sample programs and their catalogs) through the topology in
 * TopologyTestDriver with real RocksDB stores, in one thread of this JVM. A first part warms the JIT up; the
 * second is timed, in batches, with the outputs drained between batches and not timed. This isolates what the
 * account path costs from what the broker, the JIT's warm-up and the other threads of a real run take, so a change
 * to the path can be compared in a minute instead of a full bench. Times are measured, never asserted.
 *
 * <p>Run: {@code mvn -q -pl tools test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.loyalty.bench.StreamCostBenchmark -Dexec.args="100000 100000"} (warm-up, then timed events).
 */
public final class StreamCostBenchmark {
  private static final Instant BUSINESS_START = Instant.parse("2026-09-01T16:00:00Z");
  private static final int BATCH = 1_000;

  public static void main(String[] args) {
    int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    try (TopologyHarness harness = new TopologyHarness()) {
      SampleStream.programs().forEach(harness::program);
      SampleStream.catalog().forEach(harness::product);
      LoadGenerator generator = new LoadGenerator(42, 1_000_000, 0.8, BUSINESS_START);
      run(harness, generator, warmUp);
      long nanos = run(harness, generator, timed);
      System.out.printf("%d events timed after %d of warm-up: %.1f us per event, %.0f events/s on one thread%n", timed, warmUp,
          nanos / 1000.0 / timed, timed * 1e9 / nanos);
    }
  }

  /** Pipes {@code events} items; returns the nanoseconds spent piping them, drains excluded. */
  private static long run(TopologyHarness harness, LoadGenerator generator, int events) {
    long nanos = 0;
    for (int done = 0; done < events; done += BATCH) {
      Item[] batch = new Item[Math.min(BATCH, events - done)];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = generator.next();
      }
      long start = System.nanoTime();
      for (Item item : batch) {
        if (item.event() != null) {
          harness.transaction(item.event());
        } else if (item.command() != null) {
          harness.command(item.command());
        } else {
          harness.raw(item.rawTopicKey(), item.rawValue());
        }
      }
      nanos += System.nanoTime() - start;
      drain(harness);
    }
    return nanos;
  }

  private static void drain(TopologyHarness harness) {
    for (String topic : harness.driver().producedTopicNames()) {
      TestOutputTopic<byte[], byte[]> output = harness.driver().createOutputTopic(topic, new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
      output.readRecordsToList();
    }
  }

  private StreamCostBenchmark() {}
}
