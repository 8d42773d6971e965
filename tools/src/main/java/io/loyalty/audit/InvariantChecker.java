package io.loyalty.audit;

import io.loyalty.accounts.AccountKey;
import io.loyalty.api.RecordReader;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import io.loyalty.serde.SerdeFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks DESIGN.md's invariants on what a running engine wrote, from the topics alone (read_committed): every
 * input record is accounted for (a ledger entry, a rejection pointing at its offset, a command result, the
 * documented no-op of an anonymous sale, or, for POS events that moved no points, its account's count of
 * applied events in the latest profile snapshot, the one compaction keeps), no ledger entry is
 * written twice, and every account's ledger chains (each balance-after is the previous one plus the delta)
 * to the balance of its last profile snapshot. Reusable after a benchmark, a chaos run or in production.
 */
public final class InvariantChecker {
  private InvariantChecker() {}

  /** What the check found; ledgers holds each account's entries, for comparing two runs. */
  public record Report(long recordsIn, long accountedFor, long missing, long duplicated, long balanceMismatches,
      long unreadableOutputs, Map<String, List<String>> ledgers, List<String> examples) {
    /** The figures; unreadable outputs only when there are some, so a clean run's line stays as it always was. */
    public String line() {
      return String.format("records in %d, accounted for %d, missing %d, duplicated %d, balance mismatches %d",
          recordsIn, accountedFor, missing, duplicated, balanceMismatches)
          + (unreadableOutputs > 0 ? ", unreadable outputs " + unreadableOutputs : "");
    }

    public boolean holds() {
      return missing == 0 && duplicated == 0 && balanceMismatches == 0 && unreadableOutputs == 0 && accountedFor == recordsIn;
    }
  }

  /** The check, without keeping each account's ledger (Report.ledgers is empty): memory stays small. */
  /**
   * The idle time of a check made once every input was committed (the consumer group caught up, under
   * exactly-once): the outputs are final then, each committed in the transaction that committed its input, and a
   * second covers the commit markers still on their way to the output partitions. (Five seconds per topic read,
   * six topics, made up a third of the chaos test.)
   */
  public static final Duration AFTER_CATCH_UP = Duration.ofSeconds(1);

  public static Report check(Properties clientProperties, Topics topics, SerdeFactory serdes, Duration idle) {
    return check(clientProperties, topics, serdes, idle, false);
  }

  /** An account's ledger as read: its running balance, whether every balance-after chained, and its entries. */
  private static final class Tally {
    BigDecimal balance = BigDecimal.ZERO;
    boolean chained = true;
    final List<String> lines;

    Tally(boolean keepLines) {
      lines = keepLines ? new ArrayList<>() : null;
    }
  }

  public static Report check(Properties clientProperties, Topics topics, SerdeFactory serdes, Duration idle, boolean keepLedgers) {
    Set<String> rejectedOffsets = new HashSet<>();
    Inputs inputs = new Inputs(rejectedOffsets);
    Outputs outputs = new Outputs(clientProperties, idle, serdes, inputs);
    Set<String> sources = new HashSet<>();
    Set<String> entryIds = new HashSet<>();
    long[] duplicated = {0};
    Map<String, Tally> byAccount = new HashMap<>();
    outputs.read(topics.ledger(), LedgerEntry.class, entry -> {
      if (!entryIds.add(entry.getEntryId())) {
        duplicated[0]++;
      }
      sources.add(entry.getSourceEventId());
      Tally tally = byAccount.computeIfAbsent(entry.getAccountKey(), key -> new Tally(keepLedgers));
      tally.balance = tally.balance.add(entry.getDelta());
      tally.chained &= tally.balance.compareTo(entry.getBalanceAfter()) == 0;
      if (tally.lines != null) {
        tally.lines.add(entry.getEntryId() + " " + entry.getType() + " " + entry.getDelta().toPlainString() + " "
            + entry.getBalanceAfter().toPlainString());
      }
    });
    outputs.read(topics.rejections(), Rejection.class, rejection ->
        rejectedOffsets.add(offsetKey(rejection.getSourceTopic(), rejection.getSourcePartition(), rejection.getSourceOffset())));
    Set<String> answered = new HashSet<>();
    outputs.read(topics.commandResults(), CommandResult.class, result -> answered.add(result.getCommandId()));
    Map<String, BigDecimal> lastBalances = new HashMap<>();
    Map<String, Long> posEventsApplied = new HashMap<>();
    outputs.read(topics.profiles(), CustomerProfile.class, profile -> {
      lastBalances.put(profile.getAccountKey(), profile.getBalance());
      posEventsApplied.put(profile.getAccountKey(), profile.getPosEventsApplied());
    });

    AvroCodec<TransactionEvent> eventCodec = serdes.codec(TransactionEvent.class);
    inputs.count(clientProperties, topics.transactions(), idle, value -> {
      TransactionEvent event = eventCodec.decode(value);
      if (event.getCustomerId() == null) {
        return Trace.ANONYMOUS_SALE;
      }
      return new Trace(sources.contains(event.getEventId()), AccountKey.of(event.getOrganizationId(), event.getCustomerId()));
    });
    AvroCodec<LoyaltyCommand> commandCodec = serdes.codec(LoyaltyCommand.class);
    inputs.count(clientProperties, topics.commands(), idle,
        value -> new Trace(answered.contains(commandCodec.decode(value).getCommandId()), null));
    inputs.settleNoOps(posEventsApplied);

    long mismatches = 0;
    Map<String, List<String>> ledgers = new HashMap<>();
    for (Map.Entry<String, Tally> account : byAccount.entrySet()) {
      Tally tally = account.getValue();
      BigDecimal profileBalance = lastBalances.get(account.getKey());
      if (!tally.chained || profileBalance == null || profileBalance.compareTo(tally.balance) != 0) {
        mismatches++;
        inputs.example("balance of " + account.getKey() + ": ledger sums to " + tally.balance.toPlainString()
            + (tally.chained ? "" : " (broken balance-after chain)") + ", profile says "
            + (profileBalance == null ? "nothing" : profileBalance.toPlainString()));
      }
      if (tally.lines != null) {
        ledgers.put(account.getKey(), tally.lines);
      }
    }
    return new Report(inputs.in, inputs.accounted, inputs.in - inputs.accounted, duplicated[0], mismatches, outputs.unreadable,
        ledgers, inputs.examples);
  }

  /** Accounts whose ledgers differ between two runs, with the first few named. */
  public static List<String> differences(Map<String, List<String>> expected, Map<String, List<String>> actual) {
    Set<String> accounts = new HashSet<>(expected.keySet());
    accounts.addAll(actual.keySet());
    List<String> different = new ArrayList<>();
    for (String account : accounts) {
      if (!expected.getOrDefault(account, List.of()).equals(actual.getOrDefault(account, List.of()))) {
        different.add(account);
      }
    }
    return different;
  }

  /**
   * Reads the engine's outputs; a record that does not decode is counted and named among the examples (an
   * unreadable output is a defect to report, not a reason for the check to stop).
   */
  private static final class Outputs {
    final Properties clientProperties;
    final Duration idle;
    final SerdeFactory serdes;
    final Inputs examples;
    long unreadable;

    Outputs(Properties clientProperties, Duration idle, SerdeFactory serdes, Inputs examples) {
      this.clientProperties = clientProperties;
      this.idle = idle;
      this.serdes = serdes;
      this.examples = examples;
    }

    <T extends SpecificRecord> void read(String topic, Class<T> type, Consumer<T> use) {
      AvroCodec<T> codec = serdes.codec(type);
      RecordReader.read(clientProperties, topic, idle, Long.MAX_VALUE, record -> {
        T value;
        try {
          value = codec.decode(record.value());
        } catch (DecodeException e) {
          unreadable++;
          examples.example("unreadable output " + offsetKey(record.topic(), record.partition(), record.offset()) + ": " + e.getMessage());
          return;
        }
        use.accept(value);
      });
    }
  }

  /**
   * What an input record left behind, short of a rejection: traced when a ledger entry, a command result or
   * the anonymous-sale rule accounts for it; otherwise the POS event's account, whose latest profile snapshot
   * counts the events it applied.
   */
  private record Trace(boolean traced, String account) {
    static final Trace ANONYMOUS_SALE = new Trace(true, null);
  }

  /** Input records counted so far, POS events awaiting their account's count, first examples of failures. */
  private static final class Inputs {
    final Set<String> rejectedOffsets;
    final Map<String, Long> tracedPerAccount = new HashMap<>();
    final Map<String, List<String>> untracedPerAccount = new HashMap<>();
    final List<String> examples = new ArrayList<>();
    long in;
    long accounted;

    Inputs(Set<String> rejectedOffsets) {
      this.rejectedOffsets = rejectedOffsets;
    }

    void count(Properties clientProperties, String topic, Duration idle, Function<byte[], Trace> trace) {
      RecordReader.read(clientProperties, topic, idle, Long.MAX_VALUE, record -> {
        in++;
        String offset = offsetKey(record.topic(), record.partition(), record.offset());
        if (rejectedOffsets.contains(offset)) {
          accounted++;
          return;
        }
        Trace found;
        try {
          found = trace.apply(record.value());
        } catch (DecodeException e) {
          example("not accounted for (undecodable, not rejected): " + offset);
          return;
        }
        if (found.traced()) {
          accounted++;
          if (found.account() != null) {
            tracedPerAccount.merge(found.account(), 1L, Long::sum);
          }
        } else if (found.account() != null) {
          untracedPerAccount.computeIfAbsent(found.account(), account -> new ArrayList<>()).add(offset);
        } else {
          example("not accounted for: " + offset);
        }
      });
    }

    /**
     * POS events that moved no points leave only a profile snapshot, which compaction may remove once a later
     * one exists; the latest snapshot's count of applied events accounts for them instead.
     */
    void settleNoOps(Map<String, Long> posEventsApplied) {
      for (Map.Entry<String, List<String>> account : untracedPerAccount.entrySet()) {
        List<String> offsets = account.getValue();
        long applied = posEventsApplied.getOrDefault(account.getKey(), 0L);
        long traced = tracedPerAccount.getOrDefault(account.getKey(), 0L);
        long explained = Math.max(0, Math.min(offsets.size(), applied - traced));
        accounted += explained;
        if (explained < offsets.size()) {
          example("not accounted for: " + (offsets.size() - explained) + " of " + account.getKey() + "'s events without a ledger entry "
              + offsets + " (its profile counts " + applied + " applied, the ledger traces " + traced + ")");
        }
      }
    }

    void example(String text) {
      if (examples.size() < 10) {
        examples.add(text);
      }
    }
  }

  private static String offsetKey(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }
}
