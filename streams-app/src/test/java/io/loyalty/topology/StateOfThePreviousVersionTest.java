package io.loyalty.topology;

import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.accounts.Lots;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CustomerRecord;
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
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.kstream.Windowed;
import java.util.function.BiFunction;
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
    CustomerRecord expectedCustomer;
    try (TopologyHarness always = new TopologyHarness()) {
      always.program(Records.program("1").setPendingDays(10).build());
      before().forEach(always::transaction);
      always.ledger();
      always.profiles();
      expected = afterwards(always);
      expectedCustomer = always.customers().get("greenleaf:c1");
    }
    try (TopologyHarness written = new TopologyHarness(); TopologyHarness upgraded = new TopologyHarness()) {
      written.program(Records.program("1").setPendingDays(10).build());
      before().forEach(written::transaction);
      upgraded.program(Records.program("1").setPendingDays(10).build());
      int lotsBefore = written.lots().get("greenleaf:c1").size();
      // A fresh engine on the state the previous version wrote, as after an upgrade: nothing of it decoded yet.
      copyAsThePreviousVersion(written, upgraded);
      assertEquals(lotsBefore, upgraded.accounts().get("greenleaf:c1").getLots().size(), "every lot is in the old record");
      assertTrue(upgraded.driver().<String, byte[]>getKeyValueStore(LoyaltyTopology.PREFERENCES_STORE).get("greenleaf:c1") != null);

      Outputs actual = afterwards(upgraded);
      assertEquals(expected.ledger(), actual.ledger(), "the same ledger, lot references included");
      assertEquals(expected.profiles(), actual.profiles());
      CustomerRecord moved = upgraded.customers().get("greenleaf:c1");
      assertEquals(expectedCustomer.getPreferences(), moved.getPreferences(), "the preferences moved into the customer's record");
      assertEquals(expectedCustomer.getKpiMarks(), moved.getKpiMarks(), "and the KPI marks");
      for (String previousStore : List.of(LoyaltyTopology.PREFERENCES_STORE, LoyaltyTopology.KPI_MARKS_STORE)) {
        assertEquals(null, upgraded.driver().<String, byte[]>getKeyValueStore(previousStore).get("greenleaf:c1"),
            "nothing is left in " + previousStore);
      }
      AccountState state = upgraded.accounts().get("greenleaf:c1");
      assertTrue(state.getLots().stream().filter(lot -> lot.getAvailableAt() == null || !lot.getAvailableAt().isAfter(state.getClock()))
          .count() <= Lots.PLAIN_LOTS_IN_RECORD, "the record keeps its pending lots and a few others: " + state.getLots());
      assertTrue(upgraded.lots().get("greenleaf:c1").size() > state.getLots().size(), "the others moved to the lots store");
    }
  }

  /**
   * Writes the account task's state into a fresh engine the way the previous versions kept it, in their schemas'
   * bytes: an AccountState (of the version before its last change, every lot in it) in accounts-store and each
   * capability's slice in a store of its own, transaction records of their previous version without their removal
   * timers; every other store as it is.
   */
  private static void copyAsThePreviousVersion(TopologyHarness from, TopologyHarness to) {
    Map<String, List<Lot>> lots = from.lots();
    KeyValueStore<String, byte[]> accounts = to.driver().getKeyValueStore(LoyaltyTopology.ACCOUNTS_STORE);
    for (Map.Entry<String, CustomerRecord> customer : from.customers().entrySet()) {
      String key = customer.getKey();
      CustomerRecord record = customer.getValue();
      AccountState state = record.getAccount();
      state.setLots(lots.get(key));
      accounts.put(key, previousBytes(state, AccountState.getClassSchema()));
      slice(to, LoyaltyTopology.PREFERENCES_STORE, key, record.getPreferences());
      slice(to, LoyaltyTopology.OFFERS_STORE, key, record.getOffers());
      slice(to, LoyaltyTopology.KPI_MARKS_STORE, key, record.getKpiMarks());
      slice(to, LoyaltyTopology.SEGMENTS_STORE, key, record.getSegments());
      slice(to, LoyaltyTopology.WORKFLOWS_STORE, key, record.getWorkflows());
      slice(to, LoyaltyTopology.ENGAGEMENT_STORE, key, record.getEngagement());
    }
    AvroCodec<TransactionRecord> records = LoyaltyTopology.STATE_SERDES.codec(TransactionRecord.class);
    copy(from, to, LoyaltyTopology.TRANSACTIONS_STORE, (key, value) -> previousBytes(records.decode(value), TransactionRecord.getClassSchema()));
    copy(from, to, LoyaltyTopology.TIMERS_STORE, (key, value) -> key.contains("|PURCHASE_RETENTION:") ? null : value);
    for (String store : List.of(LoyaltyTopology.PARKED_STORE, LoyaltyTopology.CLOCK_STORE, LoyaltyTopology.CO_PURCHASES_STORE,
        LoyaltyTopology.SEGMENT_SIZES_STORE, LoyaltyTopology.WORKFLOW_STATS_STORE, LoyaltyTopology.RECENT_ENTRIES_STORE)) {
      copy(from, to, store, (key, value) -> value);
    }
    WindowStore<String, Long> seen = to.driver().getWindowStore(LoyaltyTopology.SEEN_STORE);
    try (KeyValueIterator<Windowed<String>, Long> all = from.driver().<String, Long>getWindowStore(LoyaltyTopology.SEEN_STORE).all()) {
      all.forEachRemaining(entry -> seen.put(entry.key.key(), entry.value, entry.key.window().start()));
    }
  }

  /** Copies a store's entries, each value as {@code rewrite} gives it (null: left out). */
  private static void copy(TopologyHarness from, TopologyHarness to, String store, BiFunction<String, byte[], byte[]> rewrite) {
    KeyValueStore<String, byte[]> target = to.driver().getKeyValueStore(store);
    try (KeyValueIterator<String, byte[]> all = from.driver().<String, byte[]>getKeyValueStore(store).all()) {
      all.forEachRemaining(entry -> {
        byte[] value = rewrite.apply(entry.key, entry.value);
        if (value != null) {
          target.put(entry.key, value);
        }
      });
    }
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> void slice(TopologyHarness harness, String store, String key, V value) {
    if (value != null) {
      AvroCodec<V> codec = LoyaltyTopology.STATE_SERDES.codec((Class<V>) value.getClass());
      harness.driver().<String, byte[]>getKeyValueStore(store).put(key, codec.encode(store, value));
    }
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
