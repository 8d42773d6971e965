package io.loyalty.demo;

import io.loyalty.api.RecordReader;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.Rejection;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the engine wrote, read back from the output topics: ledger by type, top balances, rejections by reason. */
final class DemoSummary {
  private DemoSummary() {}

  static void print(PrintStream out, AppConfig config, int inputRecords) {
    SerdeFactory serdes = SerdeFactory.of(config.registry());
    Duration idle = Duration.ofSeconds(2);
    AvroCodec<LedgerEntry> ledgerCodec = serdes.codec(LedgerEntry.class);
    Map<String, long[]> countByType = new TreeMap<>();
    Map<String, BigDecimal> pointsByType = new TreeMap<>();
    int[] ledgerEntries = {0};
    RecordReader.read(config.kafkaProperties(), config.topics().ledger(), idle, Long.MAX_VALUE, record -> {
      LedgerEntry entry = ledgerCodec.decode(record.value());
      countByType.computeIfAbsent(entry.getType().name(), type -> new long[1])[0]++;
      pointsByType.merge(entry.getType().name(), entry.getDelta(), BigDecimal::add);
      ledgerEntries[0]++;
    });
    AvroCodec<CustomerProfile> profileCodec = serdes.codec(CustomerProfile.class);
    Map<String, CustomerProfile> profiles = new LinkedHashMap<>();
    RecordReader.read(config.kafkaProperties(), config.topics().profiles(), idle, Long.MAX_VALUE,
        record -> profiles.put(new String(record.key()), profileCodec.decode(record.value())));
    AvroCodec<Rejection> rejectionCodec = serdes.codec(Rejection.class);
    Map<String, long[]> rejectionsByReason = new TreeMap<>();
    int[] rejections = {0};
    RecordReader.read(config.kafkaProperties(), config.topics().rejections(), idle, Long.MAX_VALUE,
        (ConsumerRecord<byte[], byte[]> record) -> {
          rejectionsByReason.computeIfAbsent(rejectionCodec.decode(record.value()).getReasonCode().name(), r -> new long[1])[0]++;
          rejections[0]++;
        });

    AvroCodec<CommandResult> resultCodec = serdes.codec(CommandResult.class);
    Map<String, long[]> resultsByOutcome = new TreeMap<>();
    RecordReader.read(config.kafkaProperties(), config.topics().commandResults(), idle, Long.MAX_VALUE, record -> {
      CommandResult result = resultCodec.decode(record.value());
      String outcome = result.getStatus() + (result.getReasonCode() == null ? "" : " " + result.getReasonCode());
      resultsByOutcome.computeIfAbsent(outcome, o -> new long[1])[0]++;
    });

    out.println();
    out.println("=== Loyalty engine demo: what came out ===");
    out.printf("Records published (POS events and commands): %d%n", inputRecords);
    out.printf("Ledger entries (%s): %d%n", config.topics().ledger(), ledgerEntries[0]);
    countByType.forEach((type, count) ->
        out.printf("  %-18s %6d entries %14s points%n", type, count[0], pointsByType.get(type).stripTrailingZeros().toPlainString()));
    out.printf("Customer profiles (%s): %d accounts%n", config.topics().profiles(), profiles.size());
    out.println("  Top balances:");
    profiles.values().stream()
        .sorted(Comparator.comparing(CustomerProfile::getBalance).reversed())
        .limit(5)
        .forEach(profile -> out.printf("    %-16s %10s points  lifetime spend %10s  visits %d%n", profile.getAccountKey(),
            profile.getBalance().stripTrailingZeros().toPlainString(), profile.getLifetimeSpend().toPlainString(),
            profile.getVisits()));
    out.printf("Command results (%s):%n", config.topics().commandResults());
    resultsByOutcome.forEach((outcome, count) -> out.printf("  %-24s %6d%n", outcome, count[0]));
    out.printf("Rejections (%s): %d%n", config.topics().rejections(), rejections[0]);
    rejectionsByReason.forEach((reason, count) -> out.printf("  %-24s %6d%n", reason, count[0]));
    out.println();
  }
}
