package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NegativeBalancePolicy;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.testing.TopologyHarness;
import io.loyalty.topology.GeneratedHistoryTest.Input;
import io.loyalty.topology.StepProbe.Step;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Processing of one input is all or nothing. Over a generated history (purchases, returns, voids, holds,
 * membership and consent commands, retries, late arrivals and ticks), a failure is injected at each step of the
 * account path for several inputs that reach it; each time the failed input leaves exactly one rejection (and,
 * for a command, one refused result), no other output and no change in any store, and the rest of the history
 * still conserves points: every balance is the sum of its ledger.
 * Seed 42 always runs; one more seed changes every run and is printed in any failure message.
 */
class AtomicInputsTest {
  private static final int INPUTS_PER_STEP = 4;
  private static final int INPUTS_AFTER = 40;
  /** Looks like a phone number: the rejection must not echo what a failure's message carries. */
  private static final String FAILURE_MESSAGE = "injected failure near +13035550123";

  static Stream<Long> seeds() {
    return Stream.of(42L, new Random().nextLong());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aFailureAtAnyStepLeavesOnlyItsRejection(long seed) {
    List<Input> inputs = GeneratedHistoryTest.generate(seed, true);
    NegativeBalancePolicy policy = NegativeBalancePolicy.values()[(int) Math.floorMod(seed, 3L)];
    Map<Step, TreeSet<Integer>> reachedBy = new EnumMap<>(Step.class);
    int[] current = {-1};
    try (TopologyHarness harness = new TopologyHarness(step -> {
      if (current[0] >= 0) {
        reachedBy.computeIfAbsent(step, s -> new TreeSet<>()).add(current[0]);
      }
    })) {
      harness.program(GeneratedHistoryTest.program(policy));
      for (int i = 0; i < inputs.size(); i++) {
        current[0] = i;
        GeneratedHistoryTest.send(harness, inputs.get(i));
      }
    }
    Random random = new Random(seed);
    for (Step step : Step.values()) {
      List<Integer> candidates = new ArrayList<>(reachedBy.getOrDefault(step, new TreeSet<>()));
      assertFalse(candidates.isEmpty(), "seed " + seed + ": no input reaches step " + step);
      for (int k = 0; k < INPUTS_PER_STEP; k++) {
        int target = candidates.get(random.nextInt(candidates.size()));
        failAt(inputs, policy, target, step, "seed " + seed + ", failure at " + step + " of input " + target
            + " (" + describe(inputs.get(target)) + ")");
      }
    }
  }

  private static void failAt(List<Input> inputs, NegativeBalancePolicy policy, int target, Step failing, String context) {
    int[] current = {-1};
    boolean[] failed = {false};
    List<LedgerEntry> ledger = new ArrayList<>();
    List<CommandResult> results = new ArrayList<>();
    int commands = 0;
    try (TopologyHarness harness = new TopologyHarness(step -> {
      if (current[0] == target && step == failing && !failed[0]) {
        failed[0] = true;
        throw new IllegalStateException(FAILURE_MESSAGE);
      }
    })) {
      harness.program(GeneratedHistoryTest.program(policy));
      int end = Math.min(inputs.size(), target + INPUTS_AFTER);
      for (int i = 0; i < end; i++) {
        Input input = inputs.get(i);
        commands += input.command() != null ? 1 : 0;
        if (i != target) {
          current[0] = i;
          GeneratedHistoryTest.send(harness, input);
          ledger.addAll(harness.ledger());
          results.addAll(harness.results());
          harness.rejections();
          harness.profiles();
          harness.rewards();
          harness.notifications();
          continue;
        }
        Map<String, String> before = stores(harness);
        current[0] = i;
        GeneratedHistoryTest.send(harness, input);
        assertTrue(failed[0], context + ": the failure was not injected");
        // A tick may also end parked returns whose grace period it passes: only the failure's rejection counts.
        List<Rejection> rejections = harness.rejections().stream().map(TestRecord::value)
            .filter(r -> input.tick() == null || r.getReasonCode() == RejectionReason.PROCESSING_ERROR).toList();
        List<LedgerEntry> entries = harness.ledger();
        List<CommandResult> inputResults = harness.results();
        ledger.addAll(entries);
        results.addAll(inputResults);
        assertEquals(1, rejections.size(), context + ": one rejection, got " + rejections.stream()
            .map(r -> r.getReasonCode() + " " + r.getMessage()).toList());
        Rejection rejection = rejections.get(0);
        assertEquals(RejectionReason.PROCESSING_ERROR, rejection.getReasonCode(), context);
        assertFalse(rejection.getMessage().contains("Exception") || rejection.getMessage().contains("+1303"),
            context + ": the rejection names no Java class and echoes no value: " + rejection.getMessage());
        if (input.tick() != null) {
          assertTrue(rejection.getMessage().contains("timer"), context + ": a tick's rejection names the timer dropped");
          continue;
        }
        assertEquals(input.event() != null ? input.event().getEventId() : input.command().getCommandId(), rejection.getEventId(), context);
        assertEquals("greenleaf", rejection.getOrganizationId(), context);
        assertEquals(0, entries.size(), context + ": no ledger entry of a failed input");
        assertEquals(0, harness.profiles().size(), context + ": no profile of a failed input");
        assertEquals(0, harness.rewards().size(), context + ": no reward event of a failed input");
        assertEquals(0, harness.notifications().size(), context + ": no notification of a failed input");
        if (input.command() != null) {
          assertEquals(1, inputResults.size(), context + ": a failed command gets one result");
          assertEquals(CommandStatus.REFUSED, inputResults.get(0).getStatus(), context);
          assertEquals(RejectionReason.PROCESSING_ERROR.name(), inputResults.get(0).getReasonCode(), context);
        } else {
          assertEquals(List.of(), inputResults, context);
        }
        assertEquals(before, stores(harness), context + ": a failed input changes no store");
      }
      assertEquals(commands, results.size(), context + ": every command gets one result");
      GeneratedHistoryTest.checkConservation(ledger, harness.accounts(), harness.lots(), context);
    }
  }

  /** Every entry of the account path's stores, as bytes. */
  private static Map<String, String> stores(TopologyHarness harness) {
    Map<String, String> entries = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    for (String name : List.of(LoyaltyTopology.ACCOUNTS_STORE, LoyaltyTopology.TRANSACTIONS_STORE, LoyaltyTopology.TIMERS_STORE,
        LoyaltyTopology.PARKED_STORE, LoyaltyTopology.CLOCK_STORE)) {
      KeyValueStore<String, byte[]> store = harness.driver().getKeyValueStore(name);
      try (KeyValueIterator<String, byte[]> all = store.all()) {
        all.forEachRemaining(entry -> entries.put(name + "/" + entry.key, hex.formatHex(entry.value)));
      }
    }
    try (var seen = harness.driver().<String, Long>getWindowStore(LoyaltyTopology.SEEN_STORE).all()) {
      seen.forEachRemaining(entry -> entries.put(LoyaltyTopology.SEEN_STORE + "/" + entry.key, String.valueOf(entry.value)));
    }
    return entries;
  }

  private static String describe(Input input) {
    return input.event() != null ? input.event().getType() + " " + input.event().getEventId()
        : input.command() != null ? input.command().getCommand().getClass().getSimpleName() + " " + input.command().getCommandId()
        : "tick at " + input.tick();
  }
}
