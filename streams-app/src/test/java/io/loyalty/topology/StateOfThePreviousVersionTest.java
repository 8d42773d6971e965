package io.loyalty.topology;

import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.accounts.Lots;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.contract.SchemaHistory;
import io.loyalty.serde.AvroCodec;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Changelogs outlive releases: an engine of this version starts on the state the previous one wrote (every lot
 * in the account record, purchase records without lot ages or return windows, in the previous schemas' bytes)
 * and goes on exactly as if it had always run this version.
 */
class StateOfThePreviousVersionTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");

  private static List<TransactionEvent> before() {
    List<TransactionEvent> events = new ArrayList<>();
    for (int i = 1; i <= 14; i++) {
      events.add(Records.purchase("t" + i, "c1", "20.00", AT.plus(Duration.ofDays(i)))
          .setLines(List.of(line("L1", "2", "10.00", "0"))).build());
    }
    events.add(Records.purchase("t15", "c1", "10.00", AT.plus(Duration.ofDays(15)))
        .setRedemptions(List.of(Records.redemption("25", "5.00", null))).build());
    events.add(Records.purchase("t16", "c1", "30.00", AT.plus(Duration.ofDays(16)).plusSeconds(1)).build());
    return events;
  }

  private static List<TransactionEvent> after() {
    Instant later = AT.plus(Duration.ofDays(40));
    return List.of(
        Records.returnOf("r1", "t2", "c1", later, "L1", "1").build(),
        Records.voidOf("v1", "t15", "c1", later.plusSeconds(1)).build(),
        Records.purchase("t9", "c1", "10.00", later.plusSeconds(2))
            .setRedemptions(List.of(Records.redemption("50", "10.00", null))).build(),
        Records.voidOf("v2", "t16", "c1", later.plusSeconds(3)).build());
  }

  private record Outputs(List<LedgerEntry> ledger, List<CustomerProfile> profiles) {}

  private static Outputs afterwards(TopologyHarness harness) {
    after().forEach(harness::transaction);
    return new Outputs(harness.ledger(), harness.profiles());
  }

  @Test
  void anEngineOfThisVersionGoesOnFromTheStateThePreviousOneWrote() {
    Outputs expected;
    try (TopologyHarness always = new TopologyHarness()) {
      always.program(Records.program("1").setPendingDays(10).build());
      before().forEach(always::transaction);
      always.ledger();
      always.profiles();
      expected = afterwards(always);
    }
    try (TopologyHarness upgraded = new TopologyHarness()) {
      upgraded.program(Records.program("1").setPendingDays(10).build());
      before().forEach(upgraded::transaction);
      upgraded.ledger();
      upgraded.profiles();
      int lotsBefore = upgraded.lots().get("greenleaf:c1").size();
      rewriteAsThePreviousVersion(upgraded);
      assertEquals(lotsBefore, upgraded.accounts().get("greenleaf:c1").getLots().size(), "every lot is in the old record");

      Outputs actual = afterwards(upgraded);
      assertEquals(expected.ledger(), actual.ledger(), "the same ledger, lot references included");
      assertEquals(expected.profiles(), actual.profiles());
      AccountState state = upgraded.accounts().get("greenleaf:c1");
      assertTrue(state.getLots().stream().filter(lot -> lot.getAvailableAt() == null || !lot.getAvailableAt().isAfter(state.getClock()))
          .count() <= Lots.PLAIN_LOTS_IN_RECORD, "the record keeps its pending lots and a few others: " + state.getLots());
      assertTrue(upgraded.lots().get("greenleaf:c1").size() > state.getLots().size(), "the others moved to the lots store");
    }
  }

  /** Puts the stores back the way the previous version kept them, in its schemas' bytes. */
  private static void rewriteAsThePreviousVersion(TopologyHarness harness) {
    Map<String, List<Lot>> lots = harness.lots();
    KeyValueStore<String, byte[]> accounts = harness.driver().getKeyValueStore(LoyaltyTopology.ACCOUNTS_STORE);
    for (Map.Entry<String, AccountState> account : harness.accounts().entrySet()) {
      AccountState state = account.getValue();
      state.setLots(lots.get(account.getKey()));
      accounts.put(account.getKey(), previousBytes(state, AccountState.getClassSchema()));
    }
    clear(harness.driver().getKeyValueStore(LoyaltyTopology.LOTS_STORE), key -> true);
    KeyValueStore<String, byte[]> transactions = harness.driver().getKeyValueStore(LoyaltyTopology.TRANSACTIONS_STORE);
    AvroCodec<TransactionRecord> records = LoyaltyTopology.STATE_SERDES.codec(TransactionRecord.class);
    List<KeyValue<String, byte[]>> all = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> iterator = transactions.all()) {
      iterator.forEachRemaining(all::add);
    }
    all.forEach(entry -> transactions.put(entry.key, previousBytes(records.decode(entry.value), TransactionRecord.getClassSchema())));
    clear(harness.driver().getKeyValueStore(LoyaltyTopology.TIMERS_STORE), key -> key.contains("|PURCHASE_RETENTION:"));
  }

  private static void clear(KeyValueStore<String, byte[]> store, java.util.function.Predicate<String> which) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> iterator = store.all()) {
      iterator.forEachRemaining(entry -> {
        if (which.test(entry.key)) {
          keys.add(entry.key);
        }
      });
    }
    keys.forEach(store::delete);
  }

  /** The record in the last released version before this one, single-object encoded as the engine writes state. */
  private static byte[] previousBytes(SpecificRecord record, Schema current) {
    List<Schema> versions = SchemaHistory.versionsOf(current.getFullName());
    Schema previous = versions.get(versions.size() - 2);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      var encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(current).write(record, encoder);
      encoder.flush();
      GenericRecord old = new GenericDatumReader<GenericRecord>(current, previous)
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), previous).encode(old).array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
