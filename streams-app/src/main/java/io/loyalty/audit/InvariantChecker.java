package io.loyalty.audit;

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
import java.util.function.Predicate;

/**
 * Checks DESIGN.md's invariants on what a running engine wrote, from the topics alone (read_committed): every
 * input record is accounted for (a ledger entry, a rejection pointing at its offset, a command result, an
 * applied change in a profile snapshot, or the documented no-op of an anonymous sale), no ledger entry is
 * written twice, and every account's ledger chains (each balance-after is the previous one plus the delta)
 * to the balance of its last profile snapshot. Reusable after a benchmark, a chaos run or in production.
 */
public final class InvariantChecker {
  private InvariantChecker() {}

  /** What the check found; ledgers holds each account's entries, for comparing two runs. */
  public record Report(long recordsIn, long accountedFor, long missing, long duplicated, long balanceMismatches,
      Map<String, List<String>> ledgers, List<String> examples) {
    public String line() {
      return String.format("records in %d, accounted for %d, missing %d, duplicated %d, balance mismatches %d",
          recordsIn, accountedFor, missing, duplicated, balanceMismatches);
    }

    public boolean holds() {
      return missing == 0 && duplicated == 0 && balanceMismatches == 0 && accountedFor == recordsIn;
    }
  }

  /** The check, without keeping each account's ledger (Report.ledgers is empty): memory stays small. */
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
    AvroCodec<LedgerEntry> ledgerCodec = serdes.codec(LedgerEntry.class);
    Set<String> sources = new HashSet<>();
    Set<String> entryIds = new HashSet<>();
    long[] duplicated = {0};
    Map<String, Tally> byAccount = new HashMap<>();
    RecordReader.read(clientProperties, topics.ledger(), idle, Long.MAX_VALUE, record -> {
      LedgerEntry entry = ledgerCodec.decode(record.value());
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
    AvroCodec<Rejection> rejectionCodec = serdes.codec(Rejection.class);
    Set<String> rejectedOffsets = new HashSet<>();
    RecordReader.read(clientProperties, topics.rejections(), idle, Long.MAX_VALUE, record -> {
      Rejection rejection = rejectionCodec.decode(record.value());
      rejectedOffsets.add(offsetKey(rejection.getSourceTopic(), rejection.getSourcePartition(), rejection.getSourceOffset()));
    });
    AvroCodec<CommandResult> resultCodec = serdes.codec(CommandResult.class);
    Set<String> answered = new HashSet<>();
    RecordReader.read(clientProperties, topics.commandResults(), idle, Long.MAX_VALUE,
        record -> answered.add(resultCodec.decode(record.value()).getCommandId()));
    AvroCodec<CustomerProfile> profileCodec = serdes.codec(CustomerProfile.class);
    Map<String, BigDecimal> lastBalances = new HashMap<>();
    RecordReader.read(clientProperties, topics.profiles(), idle, Long.MAX_VALUE, record -> {
      CustomerProfile profile = profileCodec.decode(record.value());
      sources.add(profile.getLastEventId());
      lastBalances.put(profile.getAccountKey(), profile.getBalance());
    });

    List<String> examples = new ArrayList<>();
    long[] in = {0};
    long[] accounted = {0};
    AvroCodec<TransactionEvent> eventCodec = serdes.codec(TransactionEvent.class);
    countInputs(clientProperties, topics.transactions(), idle, rejectedOffsets, in, accounted, examples, value -> {
      TransactionEvent event = eventCodec.decode(value);
      return event.getCustomerId() == null || sources.contains(event.getEventId());
    });
    AvroCodec<LoyaltyCommand> commandCodec = serdes.codec(LoyaltyCommand.class);
    countInputs(clientProperties, topics.commands(), idle, rejectedOffsets, in, accounted, examples,
        value -> answered.contains(commandCodec.decode(value).getCommandId()));

    long mismatches = 0;
    Map<String, List<String>> ledgers = new HashMap<>();
    for (Map.Entry<String, Tally> account : byAccount.entrySet()) {
      Tally tally = account.getValue();
      BigDecimal profileBalance = lastBalances.get(account.getKey());
      if (!tally.chained || profileBalance == null || profileBalance.compareTo(tally.balance) != 0) {
        mismatches++;
        if (examples.size() < 10) {
          examples.add("balance of " + account.getKey() + ": ledger sums to " + tally.balance.toPlainString()
              + (tally.chained ? "" : " (broken balance-after chain)") + ", profile says "
              + (profileBalance == null ? "nothing" : profileBalance.toPlainString()));
        }
      }
      if (tally.lines != null) {
        ledgers.put(account.getKey(), tally.lines);
      }
    }
    return new Report(in[0], accounted[0], in[0] - accounted[0], duplicated[0], mismatches, ledgers, examples);
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

  /** Counts a topic's records, and those a rejection points at or the test recognizes as applied. */
  private static void countInputs(Properties clientProperties, String topic, Duration idle, Set<String> rejectedOffsets,
      long[] in, long[] accounted, List<String> examples, Predicate<byte[]> applied) {
    RecordReader.read(clientProperties, topic, idle, Long.MAX_VALUE, record -> {
      in[0]++;
      String offset = offsetKey(record.topic(), record.partition(), record.offset());
      boolean ok;
      try {
        ok = rejectedOffsets.contains(offset) || applied.test(record.value());
      } catch (DecodeException e) {
        ok = false;
      }
      if (ok) {
        accounted[0]++;
      } else if (examples.size() < 10) {
        examples.add("not accounted for: " + offset);
      }
    });
  }

  private static String offsetKey(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }
}
