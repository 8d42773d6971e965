package io.loyalty.bench;

import static io.loyalty.testing.Records.line;

import io.loyalty.avro.TransactionEvent;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import io.loyalty.topology.LoyaltyTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of one event on the account path against the account's history, on the topology itself
 * (TopologyTestDriver, real RocksDB stores, this JVM). Per history size, a customer is given that many past
 * purchases, each leaving a lot unspent; then rounds of three events are timed on it: a purchase, a purchase
 * paying one point (taken from the oldest lot), and a return of one unit of the round's first purchase. The
 * fresh case runs each round on a new customer. Reports the median and p90 of a round's time per event. Then the
 * state one customer leaves in the stores (keys and values, as RocksDB holds them before compression) after 5
 * and after 100 weekly visits, ticks included so that removal timers fire.
 *
 * <p>Run: {@code mvn -q -pl tools test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.loyalty.bench.AccountCostBenchmark -Dexec.args="2000 0 100 10000"} (rounds, then history
 * sizes). Times are measured, never asserted.
 */
public final class AccountCostBenchmark {
  private static final Instant START = Instant.parse("2026-01-05T16:00:00Z");

  /** Median and p90 nanoseconds per event of the timed rounds, and the account's unspent lots before them. */
  public record Result(int history, int lotsBefore, long medianNanos, long p90Nanos) {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    List<Integer> histories = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      histories.add(Integer.parseInt(args[i]));
    }
    if (histories.isEmpty()) {
      histories = List.of(0, 100, 10_000);
    }
    // A first pass warms the JIT up on every path; the second is reported.
    measure(histories, Math.max(200, rounds / 5));
    Result fresh = null;
    System.out.printf("%-10s %12s %16s %14s %10s%n", "purchases", "unspent lots", "median us/event", "p90 us/event", "vs fresh");
    for (Result result : measure(histories, rounds)) {
      fresh = fresh == null ? result : fresh;
      System.out.printf("%-10d %12d %16.1f %14.1f %9.2fx%n", result.history(), result.lotsBefore(), result.medianNanos() / 1000.0, result.p90Nanos() / 1000.0,
          (double) result.medianNanos() / fresh.medianNanos());
    }
    System.out.printf("%nstate of one customer (bytes of keys and values per store) after weekly visits%n");
    for (int visits : List.of(5, 100)) {
      System.out.printf("%4d visits: %s%n", visits, stateAfterVisits(visits));
    }
  }

  /** Bytes per store one customer's state takes after that many weekly visits, every fourth paying with points. */
  public static Map<String, Long> stateAfterVisits(int visits) {
    try (TopologyHarness harness = new TopologyHarness()) {
      harness.program(Records.program("1").build());
      Instant time = START;
      for (int visit = 0; visit < visits; visit++) {
        time = time.plus(Duration.ofDays(7));
        TransactionEvent.Builder purchase = Records.purchase("v" + visit, "regular", "35.00", time)
            .setLines(List.of(line("L1", "2", "10.00", "0"), line("L2", "1", "15.00", "0")));
        if (visit % 4 == 3) {
          purchase.setRedemptions(List.of(Records.redemption("20", "20.00", null)));
        }
        harness.transaction(purchase.build());
        harness.tick(time.plusSeconds(60));
        drain(harness);
      }
      Map<String, Long> bytes = new TreeMap<>();
      for (String name : List.of(LoyaltyTopology.ACCOUNTS_STORE, LoyaltyTopology.LOTS_STORE, LoyaltyTopology.TRANSACTIONS_STORE,
          LoyaltyTopology.TIMERS_STORE)) {
        bytes.put(name, keyValueBytes(harness.driver().getKeyValueStore(name)));
      }
      bytes.put(LoyaltyTopology.SEEN_STORE, seenIdBytes(harness.driver().getWindowStore(LoyaltyTopology.SEEN_STORE)));
      bytes.put("total", bytes.values().stream().mapToLong(Long::longValue).sum());
      return bytes;
    }
  }

  private static long seenIdBytes(WindowStore<String, Long> store) {
    long total = 0;
    try (KeyValueIterator<Windowed<String>, Long> all = store.all()) {
      while (all.hasNext()) {
        total += all.next().key.key().getBytes(StandardCharsets.UTF_8).length + 2 * Long.BYTES;
      }
    }
    return total;
  }

  private static long keyValueBytes(KeyValueStore<String, byte[]> store) {
    long total = 0;
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        total += entry.key.getBytes(StandardCharsets.UTF_8).length + entry.value.length;
      }
    }
    return total;
  }

  public static List<Result> measure(List<Integer> histories, int rounds) {
    List<Result> results = new ArrayList<>();
    for (int history : histories) {
      try (TopologyHarness harness = new TopologyHarness()) {
        harness.program(Records.program("1").build());
        Instant time = START;
        for (int i = 0; i < history; i++) {
          time = time.plusSeconds(60);
          harness.transaction(purchase("old" + i, "regular", time));
        }
        drain(harness);
        int lotsBefore = harness.lots().getOrDefault("greenleaf:regular", List.of()).size();
        long[] perEvent = new long[rounds];
        for (int round = 0; round < rounds; round++) {
          String customer = history == 0 ? "new" + round : "regular";
          time = time.plusSeconds(60);
          List<TransactionEvent> events = List.of(
              purchase("p" + round, customer, time),
              Records.purchase("q" + round, customer, "10.00", time.plusSeconds(1))
                  .setRedemptions(List.of(Records.redemption("1", "1.00", null))).build(),
              Records.returnOf("r" + round, "p" + round, customer, time.plusSeconds(2), "L1", "1").build());
          long started = System.nanoTime();
          events.forEach(harness::transaction);
          perEvent[round] = (System.nanoTime() - started) / events.size();
          if (round % 100 == 99) {
            drain(harness);
          }
        }
        Arrays.sort(perEvent);
        results.add(new Result(history, lotsBefore, perEvent[rounds / 2], perEvent[(int) (rounds * 0.9)]));
      }
    }
    return results;
  }

  private static TransactionEvent purchase(String transactionId, String customer, Instant time) {
    return Records.purchase(transactionId, customer, "20.00", time).setLines(List.of(line("L1", "2", "10.00", "0"))).build();
  }

  /** Outputs pile up in the driver's queues: reading them keeps memory flat and out of the timings. */
  private static void drain(TopologyHarness harness) {
    harness.ledger();
    harness.profiles();
    harness.rejections();
  }

  private AccountCostBenchmark() {}
}
