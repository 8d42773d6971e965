package io.loyalty.topology;

import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.state.KpiRow;
import io.loyalty.metrics.KpiPeriods;
import io.loyalty.metrics.KpiSums;
import io.loyalty.programs.ProgramRules;
import io.loyalty.serde.AvroCodec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The rows of kpi-store, decoded: written by the KPI aggregation (which purges what a grain no longer keeps) and
 * read by it and by the API, which both see a row as {@link #view} makes it.
 */
final class KpiRows {
  private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
  private final AvroCodec<KpiRow> codec = LoyaltyTopology.STATE_SERDES.codec(KpiRow.class);
  private final ReadOnlyKeyValueStore<String, byte[]> reads;
  private final KeyValueStore<String, byte[]> store;

  KpiRows(KeyValueStore<String, byte[]> store) {
    this.reads = store;
    this.store = store;
  }

  /** Read only: the API's view of another thread's store. */
  KpiRows(ReadOnlyKeyValueStore<String, byte[]> reads) {
    this.reads = reads;
    this.store = null;
  }

  KpiRow get(String key) {
    byte[] bytes = reads.get(key);
    return bytes == null ? null : codec.decode(bytes);
  }

  /** A period's row; a new one (of a period not seen before) drops the rows its grain no longer keeps. */
  KpiRow period(String key) {
    KpiRow row = get(key);
    if (row != null) {
      return row;
    }
    purgeBefore(key);
    return KpiSums.empty();
  }

  void put(String key, KpiRow row) {
    store.put(key, codec.encode(LoyaltyTopology.KPI_STORE, row));
  }

  /** The row at key and the later rows of its organization, location and grain, in period order. */
  List<KeyValue<String, KpiRow>> from(String key) {
    return range(key, key.substring(0, key.lastIndexOf('|') + 1) + "~");
  }

  /** Every row of one organization, location and grain, in period order. */
  List<KeyValue<String, KpiRow>> all(String organizationId, String locationId, KpiGrain grain) {
    String prefix = KpiSums.prefix(organizationId, locationId, grain);
    return range(prefix, prefix + "~");
  }

  /**
   * The row at {@code index} of a run of one organization's, location's and grain's rows in period order, as
   * published: with the row before it (retention) and, for the organization, its closing figures (the totals less
   * what the rows after it in the run added; a run read from this row on holds every later row). Empty when the
   * organization has no program left to read its zone, currency and point value from.
   */
  Optional<ProgramKpis> view(List<KeyValue<String, KpiRow>> run, int index, ProgramStore programs) {
    String key = run.get(index).key;
    KpiRow row = run.get(index).value;
    String[] parts = key.split("\\|");
    String organization = parts[0];
    String location = KpiSums.ALL_LOCATIONS.equals(parts[1]) ? null : parts[1];
    KpiGrain grain = KpiGrain.valueOf(parts[2]);
    int period = KpiSums.period(key);
    Instant end = KpiPeriods.start(grain, period + 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Optional<ProgramRules> program = programs.inForceAt(organization, end).or(() -> programs.inForceAt(organization, LATEST));
    if (program.isEmpty()) {
      return Optional.empty();
    }
    KpiRow totals = get(KpiSums.totalsKey(organization));
    List<KpiRow> later = location == null ? run.subList(index + 1, run.size()).stream().map(after -> after.value).toList() : List.of();
    return Optional.of(KpiSums.view(organization, location, grain, period, row, get(KpiSums.key(organization, location, grain, period - 1)),
        location == null ? totals : null, later, totals == null ? row.getInputs() : totals.getInputs(), program.get()));
  }

  private List<KeyValue<String, KpiRow>> range(String from, String to) {
    List<KeyValue<String, KpiRow>> found = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> range = reads.range(from, to)) {
      range.forEachRemaining(entry -> found.add(KeyValue.pair(entry.key, codec.decode(entry.value))));
    }
    return found;
  }

  private void purgeBefore(String key) {
    String prefix = key.substring(0, key.lastIndexOf('|') + 1);
    KpiGrain grain = KpiGrain.valueOf(prefix.split("\\|")[2]);
    int oldestKept = KpiSums.period(key) - KpiPeriods.kept(grain) + 1;
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> range = store.range(prefix, prefix + String.format("%08d", oldestKept - 1))) {
      range.forEachRemaining(entry -> old.add(entry.key));
    }
    old.forEach(store::delete);
  }
}
