package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.accounts.Lots;
import io.loyalty.api.JsonRecords;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.NegativeBalancePolicy;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.OptOut;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.ReleaseHold;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Lot;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random histories of purchases, partial returns, voids, holds and their commits, releases and expiries,
 * membership changes, out-of-order and late arrivals (a purchase after the tick that ended its return's grace
 * period), retries and ticks over many customers, checked against the invariants of DESIGN.md: conservation,
 * idempotence, nothing lost, unique output ids, and identical output on replay. The replay reads the recorded
 * inputs the way Kafka Streams reads its topics again: each in log order, the next record taken from the topic
 * whose head has the smallest timestamp.
 * Seed 42 always runs; three more seeds change every run and are printed in any failure message.
 */
class GeneratedHistoryTest {
  private static final Instant START = Instant.parse("2026-02-01T16:00:00Z");

  static Stream<Long> seeds() {
    Random random = new Random();
    return Stream.concat(Stream.of(42L), LongStream.generate(random::nextLong).limit(3).boxed());
  }

  /** One input: a POS event, a command or a tick, and whether it is an injected retry of the one before. */
  record Input(TransactionEvent event, LoyaltyCommand command, Instant tick, boolean retry) {}

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void invariantsHoldOverARandomHistory(long seed) {
    NegativeBalancePolicy policy = NegativeBalancePolicy.values()[(int) Math.floorMod(seed, 3L)];
    List<Input> withRetries = generate(seed, true);
    List<Input> withoutRetries = withRetries.stream().filter(input -> !input.retry()).toList();
    String context = "seed " + seed + ", policy " + policy + ", " + withRetries.size() + " inputs";

    Run run = Run.of(withRetries, policy);
    Run replay = Run.replay(run.arrivals, policy);
    Run once = Run.of(withoutRetries, policy);

    assertTrue(run.ledger.size() > 50, context + ": a history that does nothing proves nothing, got " + run.ledger.size());
    assertSameLines(run.ledger, replay.ledger, context + ": replay must rebuild the same ledger");
    assertSameLines(run.rejections, replay.rejections, context + ": replay must reject the same records");
    assertSameLines(run.notifications, replay.notifications, context + ": replay must request the same notifications");
    assertSameLines(once.ledger, run.ledger, context + ": retried inputs must change nothing");
    assertSameLines(once.notifications, run.notifications, context + ": retried inputs must notify nothing");
    assertTrue(run.notifications.size() > 20, context + ": consent must let some notifications through, got " + run.notifications.size());

    checkConservation(run.entries, run.finalStates, run.finalLots, context);
    checkNothingLost(withRetries, run, context);
    checkUniqueIds(run, context);
  }

  /**
   * A house account: thousands of purchases of one customer, a third of them paying partly with points, with
   * returns and voids of purchases long past and ticks between. Its lots are spread over the store; the record
   * stays the size of a new customer's.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void oneAccountOfThousandsOfPurchasesKeepsEveryInvariant(long seed) {
    Random random = new Random(seed);
    Map<String, List<TransactionEvent>> purchases = new HashMap<>();
    List<Input> inputs = new ArrayList<>();
    Instant time = START;
    int id = 0;
    for (int step = 0; step < 3000; step++) {
      time = time.plusSeconds(60 + random.nextInt(3600));
      double roll = random.nextDouble();
      if (roll < 0.08 && purchases.containsKey("house")) {
        TransactionEvent original = pick(purchases.get("house"), random);
        inputs.add(event(Records.returnOf("t" + (++id), original.getTransactionId(), "house", time,
            pick(original.getLines(), random).getLineId(), "1").build()));
      } else if (roll < 0.10 && purchases.containsKey("house")) {
        inputs.add(event(Records.voidOf("t" + (++id), pick(purchases.get("house"), random).getTransactionId(), "house", time).build()));
      } else if (roll < 0.12) {
        inputs.add(new Input(null, null, time, false));
      } else {
        TransactionEvent purchase = purchase("t" + (++id), "house", time, random, null, purchases);
        if (random.nextInt(3) == 0) {
          int points = 1 + random.nextInt(60);
          purchase.setRedemptions(List.of(Records.redemption(String.valueOf(points), points + ".00", null)));
        }
        inputs.add(event(purchase));
      }
    }
    NegativeBalancePolicy policy = NegativeBalancePolicy.values()[(int) Math.floorMod(seed, 3L)];
    String context = "seed " + seed + ", policy " + policy + ", house account";
    Run run = Run.of(inputs, policy);
    Run replay = Run.replay(run.arrivals, policy);
    assertSameLines(run.ledger, replay.ledger, context + ": replay must rebuild the same ledger");
    assertTrue(run.entries.stream().filter(entry -> entry.getType() == LedgerEntryType.REDEEM).count() > 500,
        context + ": partial redemptions");
    assertTrue(run.finalLots.get("greenleaf:house").size() > 1000, context + ": lots stay unspent, got "
        + run.finalLots.get("greenleaf:house").size());
    assertTrue(run.finalStates.get("greenleaf:house").getLots().size() <= Lots.PLAIN_LOTS_IN_RECORD + 1,
        context + ": the record keeps a few lots: " + run.finalStates.get("greenleaf:house").getLots().size());
    checkConservation(run.entries, run.finalStates, run.finalLots, context);
    assertUnique(run.entries.stream().map(LedgerEntry::getEntryId).toList(), context + ": ledger entry ids");
  }

  /** A sink that upserts by id keeps every record: ids are unique across accounts, causes and timers. */
  private static void checkUniqueIds(Run run, String context) {
    assertUnique(run.entries.stream().map(LedgerEntry::getEntryId).toList(), context + ": ledger entry ids");
    assertUnique(run.rewards.stream().map(RewardEvent::getEventId).toList(), context + ": reward event ids");
    assertUnique(run.notificationRecords.stream().map(NotificationRequest::getRequestId).toList(), context + ": notification request ids");
    assertTrue(run.rewards.size() > 5, context + ": a history without reward events proves nothing, got " + run.rewards.size());
  }

  private static void assertUnique(List<String> ids, String message) {
    Set<String> seen = new HashSet<>();
    List<String> repeated = ids.stream().filter(id -> !seen.add(id)).limit(5).toList();
    assertTrue(repeated.isEmpty(), message + " repeat: " + repeated);
  }

  /** Kafka Streams' order when it reads the topics again: per topic in log order, smallest head timestamp first. */
  private static List<TopologyHarness.Arrival> readAgain(List<TopologyHarness.Arrival> arrivals) {
    Map<String, ArrayDeque<TopologyHarness.Arrival>> logs = new LinkedHashMap<>();
    arrivals.forEach(arrival -> logs.computeIfAbsent(arrival.topic(), topic -> new ArrayDeque<>()).add(arrival));
    List<TopologyHarness.Arrival> order = new ArrayList<>();
    while (order.size() < arrivals.size()) {
      ArrayDeque<TopologyHarness.Arrival> next = logs.values().stream().filter(log -> !log.isEmpty())
          .min(Comparator.comparing(log -> log.peek().timestamp())).orElseThrow();
      order.add(next.poll());
    }
    return order;
  }

  /** Equal lists, reported by their first difference rather than whole. */
  private static void assertSameLines(List<String> expected, List<String> actual, String message) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), message + " (first difference at line " + i + ")");
    }
    assertEquals(expected.size(), actual.size(), message + " (line counts)");
  }

  static void checkConservation(List<LedgerEntry> ledger, Map<String, AccountState> finalStates, Map<String, List<Lot>> finalLots,
      String context) {
    Map<String, BigDecimal> balances = new HashMap<>();
    for (LedgerEntry entry : ledger) {
      BigDecimal previous = balances.getOrDefault(entry.getAccountKey(), BigDecimal.ZERO);
      assertEquals(0, previous.add(entry.getDelta()).compareTo(entry.getBalanceAfter()),
          context + ": balance-after of " + entry.getEntryId() + " is not the previous one plus its delta");
      balances.put(entry.getAccountKey(), entry.getBalanceAfter());
    }
    for (Map.Entry<String, AccountState> account : finalStates.entrySet()) {
      AccountState state = account.getValue();
      BigDecimal ledgerBalance = balances.getOrDefault(account.getKey(), BigDecimal.ZERO);
      assertEquals(0, ledgerBalance.compareTo(state.getBalance()), context + ": " + account.getKey()
          + " balance " + state.getBalance() + " is not the sum of its ledger deltas " + ledgerBalance);
      List<Lot> accountLots = finalLots.getOrDefault(account.getKey(), List.of());
      BigDecimal lots = accountLots.stream().map(Lot::getRemaining).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertEquals(0, lots.compareTo(state.getBalance().max(BigDecimal.ZERO)),
          context + ": " + account.getKey() + " lots " + lots + " do not hold its balance " + state.getBalance());
      assertTrue(accountLots.stream().allMatch(lot -> lot.getRemaining().signum() > 0), context + ": empty or negative lot");
    }
  }

  /** Every input ends in a ledger entry or profile (applied), a rejection, a command result, or is a documented no-op. */
  private static void checkNothingLost(List<Input> inputs, Run run, String context) {
    Set<String> applied = new HashSet<>();
    run.entries.forEach(entry -> applied.add(entry.getSourceEventId()));
    run.profiles.forEach(profile -> applied.add(profile.getLastEventId()));
    Set<Long> rejectedOffsets = new HashSet<>();
    run.rejectionRecords.stream().filter(r -> r.getSourceTopic().equals("pos.transactions"))
        .forEach(r -> rejectedOffsets.add(r.getSourceOffset()));
    long offset = 0;
    int commands = 0;
    for (Input input : inputs) {
      if (input.event() != null) {
        boolean anonymous = input.event().getCustomerId() == null;
        assertTrue(anonymous || applied.contains(input.event().getEventId()) || rejectedOffsets.contains(offset),
            context + ": " + input.event().getEventId() + " at offset " + offset + " left no trace");
        offset++;
      } else if (input.command() != null) {
        commands++;
      }
    }
    assertEquals(commands, run.results.size(), context + ": every command gets one result");
    long retriedCommands = inputs.stream().filter(i -> i.retry() && i.command() != null).count();
    assertTrue(run.results.stream().filter(r -> r.getStatus() == CommandStatus.DUPLICATE).count() <= retriedCommands, context);
  }

  /** The outputs of one run of the inputs through a fresh topology. */
  private static final class Run {
    final List<String> ledger = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();
    final List<LedgerEntry> entries = new ArrayList<>();
    final List<Rejection> rejectionRecords = new ArrayList<>();
    final List<CustomerProfile> profiles = new ArrayList<>();
    final List<CommandResult> results = new ArrayList<>();
    final List<String> notifications = new ArrayList<>();
    final List<NotificationRequest> notificationRecords = new ArrayList<>();
    final List<RewardEvent> rewards = new ArrayList<>();
    final List<TopologyHarness.Arrival> arrivals = new ArrayList<>();
    final Map<String, AccountState> finalStates = new HashMap<>();
    final Map<String, List<Lot>> finalLots = new HashMap<>();

    /** A live run: the inputs in the order they arrive. */
    static Run of(List<Input> inputs, NegativeBalancePolicy policy) {
      return run(policy, harness -> inputs.forEach(input -> send(harness, input)));
    }

    /** A fresh application reading the recorded inputs again from their topics. */
    static Run replay(List<TopologyHarness.Arrival> recorded, NegativeBalancePolicy policy) {
      // The first arrival is the program, which run() publishes itself.
      return run(policy, harness -> readAgain(recorded.subList(1, recorded.size())).forEach(harness::replay));
    }

    private static Run run(NegativeBalancePolicy policy, Consumer<TopologyHarness> inputs) {
      Run run = new Run();
      try (TopologyHarness harness = new TopologyHarness()) {
        harness.program(program(policy));
        inputs.accept(harness);
        run.arrivals.addAll(harness.arrivals());
        run.rewards.addAll(harness.rewards());
        run.entries.addAll(harness.ledger());
        run.entries.forEach(entry -> run.ledger.add(JsonRecords.toJson(entry)));
        for (TestRecord<byte[], Rejection> record : harness.rejections()) {
          run.rejectionRecords.add(record.value());
          run.rejections.add(JsonRecords.toJson(record.value()));
        }
        run.notificationRecords.addAll(harness.notifications());
        run.notificationRecords.forEach(request -> run.notifications.add(JsonRecords.toJson(request)));
        run.profiles.addAll(harness.profiles());
        run.results.addAll(harness.results());
        run.finalStates.putAll(harness.accounts());
        run.finalLots.putAll(harness.lots());
      }
      return run;
    }
  }

  static ProgramConfig program(NegativeBalancePolicy policy) {
    return Records.program("1").setNegativeBalancePolicy(policy).setMinimumRedemption(d("1.0000"))
        .setTiers(List.of(
            TierDefinition.newBuilder().setTierId("member").setName("Member").setThreshold(d("0.00")).build(),
            TierDefinition.newBuilder().setTierId("silver").setName("Silver").setThreshold(d("300.00")).build(),
            TierDefinition.newBuilder().setTierId("gold").setName("Gold").setThreshold(d("900.00"))
                .setAccrualRate(d("2.0000")).build()))
        .build();
  }

  static void send(TopologyHarness harness, Input input) {
    if (input.event() != null) {
      harness.transaction(input.event());
    } else if (input.command() != null) {
      harness.command(input.command());
    } else {
      harness.tick(input.tick());
    }
  }

  static List<Input> generate(long seed, boolean withRetries) {
    Random random = new Random(seed);
    List<Input> inputs = new ArrayList<>();
    Map<String, List<TransactionEvent>> purchases = new HashMap<>();
    Map<String, List<String>> holds = new HashMap<>();
    Instant time = START;
    int id = 0;
    // Some customers with addresses and email consent from the start, so every seed sends notifications.
    for (int c = 1; c <= 10; c++) {
      String customer = "c" + c;
      time = time.plusSeconds(1);
      inputs.add(command(Records.command("k" + (++id), customer, time,
          Enroll.newBuilder().setEmail(customer + "@example.com").setPhone("+1303555" + c).build())));
      inputs.add(command(Records.command("k" + (++id), customer, time, new ChangeConsent(Channel.EMAIL, ConsentAction.GRANT, null))));
    }
    for (int step = 0; step < 500; step++) {
      time = time.plusSeconds(1 + random.nextInt(900));
      String customer = "c" + (1 + random.nextInt(25));
      double roll = random.nextDouble();
      List<Input> next = new ArrayList<>();
      if (roll < 0.40) {
        next.add(event(purchase("t" + (++id), customer, time, random, null, purchases)));
      } else if (roll < 0.50 && purchases.containsKey(customer)) {
        TransactionEvent original = pick(purchases.get(customer), random);
        TransactionLine line = pick(original.getLines(), random);
        next.add(event(Records.returnOf("t" + (++id), original.getTransactionId(), customer, time, line.getLineId(),
            String.valueOf(1 + random.nextInt(2))).build()));
      } else if (roll < 0.54 && purchases.containsKey(customer)) {
        next.add(event(Records.voidOf("t" + (++id), pick(purchases.get(customer), random).getTransactionId(), customer, time).build()));
      } else if (roll < 0.59) {
        TransactionEvent purchase = purchase("t" + (++id), customer, time, random, null, purchases);
        TransactionEvent early = Records.returnOf("t" + (++id), purchase.getTransactionId(), customer, time.minusSeconds(1),
            purchase.getLines().get(0).getLineId(), "1").build();
        next.add(event(early));
        next.add(event(purchase));
      } else if (roll < 0.69) {
        String holdId = "h" + (++id);
        holds.computeIfAbsent(customer, c -> new ArrayList<>()).add(holdId);
        next.add(command(Records.command("k" + id, customer, time,
            Records.hold(holdId, String.valueOf(1 + random.nextInt(40)), time.plusSeconds(600 + random.nextInt(7200))))));
      } else if (roll < 0.73 && holds.containsKey(customer)) {
        next.add(command(Records.command("k" + (++id), customer, time, new ReleaseHold(pick(holds.get(customer), random)))));
      } else if (roll < 0.78 && holds.containsKey(customer)) {
        next.add(event(purchase("t" + (++id), customer, time, random, pick(holds.get(customer), random), purchases)));
      } else if (roll < 0.83) {
        Object body = switch (random.nextInt(5)) {
          case 0 -> Enroll.newBuilder().setEmail(customer + "@example.com").setPhone("+1303555" + customer.substring(1)).build();
          case 1 -> new OptOut(null);
          case 2 -> new OptIn(null);
          default -> new ChangeConsent(pick(List.of(Channel.values()), random), pick(List.of(ConsentAction.values()), random), null);
        };
        next.add(command(Records.command("k" + (++id), customer, time, body)));
      } else if (roll < 0.88) {
        next.add(new Input(null, null, time, false));
      } else if (roll < 0.90) {
        next.add(event(Records.returnOf("t" + (++id), "never-sold-" + id, customer, time, "L1", "1").build()));
      } else if (roll < 0.93) {
        next.add(event(purchase("t" + (++id), null, time, random, null, purchases)));
      } else if (roll < 0.95) {
        // A return, a tick past its grace period (60 minutes here), then its purchase, late.
        TransactionEvent purchase = purchase("t" + (++id), customer, time, random, null, purchases);
        next.add(event(Records.returnOf("t" + (++id), purchase.getTransactionId(), customer, time.plusSeconds(1),
            purchase.getLines().get(0).getLineId(), "1").build()));
        time = time.plus(Duration.ofMinutes(61 + random.nextInt(120)));
        next.add(new Input(null, null, time, false));
        next.add(event(purchase));
      } else if (roll < 0.97) {
        // Arrives late: its business time is before ticks and events already read.
        Instant earlier = time.minusSeconds(random.nextInt(3 * 24 * 3600));
        String holdId = holds.containsKey(customer) && random.nextBoolean() ? pick(holds.get(customer), random) : null;
        next.add(event(purchase("t" + (++id), customer, earlier, random, holdId, purchases)));
      } else {
        next.add(event(purchase("t" + (++id), customer, time, random, null, purchases)));
      }
      for (Input input : next) {
        inputs.add(input);
        if (withRetries && input.tick() == null && random.nextDouble() < 0.05) {
          inputs.add(new Input(input.event(), input.command(), null, true));
        }
      }
    }
    inputs.add(new Input(null, null, time.plus(Duration.ofDays(3)), false));
    // Past two year ends at once: downgrade warnings and tier changes of every account, from one tick.
    inputs.add(new Input(null, null, Instant.parse("2028-01-02T00:00:00Z"), false));
    return inputs;
  }

  private static TransactionEvent purchase(String id, String customer, Instant time, Random random, String holdId,
      Map<String, List<TransactionEvent>> purchases) {
    List<TransactionLine> lines = new ArrayList<>();
    BigDecimal subtotal = BigDecimal.ZERO;
    BigDecimal discounts = BigDecimal.ZERO;
    int count = 1 + random.nextInt(3);
    for (int i = 1; i <= count; i++) {
      int quantity = 1 + random.nextInt(3);
      BigDecimal price = BigDecimal.valueOf(100 + random.nextInt(5900), 2);
      BigDecimal discount = random.nextInt(4) == 0 ? BigDecimal.valueOf(random.nextInt(100), 2) : BigDecimal.ZERO;
      lines.add(line("L" + i, String.valueOf(quantity), price.toPlainString(), discount.toPlainString()));
      subtotal = subtotal.add(price.multiply(BigDecimal.valueOf(quantity)));
      discounts = discounts.add(discount);
    }
    if (random.nextInt(5) == 0) {
      discounts = discounts.add(new BigDecimal("1.00"));
    }
    TransactionEvent.Builder builder = Records.purchase(id, customer, subtotal.toPlainString(), time)
        .setLines(lines).setDiscounts(discounts.setScale(2)).setTotal(subtotal.subtract(discounts).setScale(2));
    if (holdId != null || random.nextInt(6) == 0) {
      int points = 1 + random.nextInt(30);
      builder.setRedemptions(List.of(Records.redemption(String.valueOf(points), points + ".00", holdId)));
    }
    TransactionEvent event = builder.build();
    if (customer != null) {
      purchases.computeIfAbsent(customer, c -> new ArrayList<>()).add(event);
    }
    return event;
  }

  private static Input event(TransactionEvent event) {
    return new Input(event, null, null, false);
  }

  private static Input command(LoyaltyCommand command) {
    return new Input(null, command, null, false);
  }

  private static <T> T pick(List<T> items, Random random) {
    return items.get(random.nextInt(items.size()));
  }
}
