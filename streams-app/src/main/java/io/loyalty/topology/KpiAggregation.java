package io.loyalty.topology;

import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMark;
import io.loyalty.avro.state.KpiRow;
import io.loyalty.metrics.KpiMarksRules;
import io.loyalty.metrics.KpiPeriods;
import io.loyalty.metrics.KpiSums;
import io.loyalty.programs.ProgramRules;
import io.loyalty.serde.AvroCodec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Sums the account path's KPI deltas per organization (the kpi-deltas topic is keyed by organization, so one
 * task holds all of an organization's rows) and publishes the rows a delta changed on loyalty.metrics. Rows are
 * published at most once per emit interval: the interval paces the output only; the figures are sums of the
 * deltas, the same whatever order the account partitions' deltas arrive in and however they are paced, and a
 * replay ends in the same last snapshot of every period.
 */
final class KpiAggregation extends ContextualProcessor<String, byte[], Object, Object> {
  private final AvroCodec<KpiDelta> deltas = LoyaltyTopology.STATE_SERDES.codec(KpiDelta.class);
  private final Output<ProgramKpis> metrics;
  private final Duration emitInterval;
  private final Function<ProcessorContext<?, ?>, ProgramStore> programsOf;
  private KpiRows rows;
  private KeyValueStore<String, byte[]> dirty;
  private ProgramStore programs;

  KpiAggregation(Output<ProgramKpis> metrics, Duration emitInterval, Function<ProcessorContext<?, ?>, ProgramStore> programs) {
    this.metrics = metrics;
    this.emitInterval = emitInterval;
    this.programsOf = programs;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    rows = new KpiRows(context.getStateStore(LoyaltyTopology.KPI_STORE));
    dirty = context.getStateStore(LoyaltyTopology.KPI_DIRTY_STORE);
    programs = programsOf.apply(context);
    context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emit());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    KpiDelta delta = deltas.decode(record.value());
    String organization = delta.getOrganizationId();
    for (KpiGrain grain : KpiMarksRules.GRAINS) {
      int period = KpiPeriods.index(grain, delta.getDay());
      add(KpiSums.key(organization, null, grain, period), delta);
      if (delta.getLocationId() != null) {
        add(KpiSums.key(organization, delta.getLocationId(), grain, period), delta);
      }
    }
    for (KpiMark mark : delta.getMarks()) {
      String key = KpiSums.key(organization, mark.getLocationId(), mark.getGrain(), mark.getPeriod());
      KpiRow row = rows.period(key);
      KpiSums.count(row, mark);
      changed(key, row);
    }
    String totals = KpiSums.totalsKey(organization);
    KpiRow row = Optional.ofNullable(rows.get(totals)).orElseGet(KpiSums::empty);
    KpiSums.add(row, delta);
    rows.put(totals, row);
  }

  private void add(String key, KpiDelta delta) {
    KpiRow row = rows.period(key);
    KpiSums.add(row, delta);
    changed(key, row);
  }

  private void changed(String key, KpiRow row) {
    rows.put(key, row);
    dirty.put(key, new byte[0]);
  }

  /**
   * Publishes the changed rows, each with the rows after it of its organization, location and grain: their
   * retention reads the row before, and their closing figures are the totals less what came after.
   */
  private void emit() {
    Set<String> keys = new LinkedHashSet<>();
    try (KeyValueIterator<String, byte[]> changed = dirty.all()) {
      changed.forEachRemaining(entry -> keys.add(entry.key));
    }
    Set<String> published = new LinkedHashSet<>();
    for (String key : keys) {
      dirty.delete(key);
      for (KeyValue<String, KpiRow> row : rows.from(key)) {
        if (published.add(row.key)) {
          publish(row.key, row.value);
        }
      }
    }
  }

  private void publish(String key, KpiRow row) {
    String[] parts = key.split("\\|");
    String organization = parts[0];
    String location = KpiSums.ALL_LOCATIONS.equals(parts[1]) ? null : parts[1];
    KpiGrain grain = KpiGrain.valueOf(parts[2]);
    int period = KpiSums.period(key);
    Optional<ProgramRules> program = programAt(organization, grain, period);
    if (program.isEmpty()) {
      return;
    }
    KpiRow totals = rows.get(KpiSums.totalsKey(organization));
    List<KpiRow> later = new ArrayList<>();
    rows.from(key).stream().skip(1).forEach(after -> later.add(after.value));
    ProgramKpis kpis = KpiSums.view(organization, location, grain, period, row,
        rows.get(KpiSums.key(organization, location, grain, period - 1)), location == null ? totals : null, later,
        totals == null ? row.getInputs() : totals.getInputs(), program.get());
    long timestamp = Math.max(0, context().currentStreamTimeMs());
    context().forward(metrics.record(organization, kpis, timestamp), metrics.sink());
  }

  /** The program in force at the period's end, or its latest version (for its zone, currency and point value). */
  private Optional<ProgramRules> programAt(String organization, KpiGrain grain, int period) {
    Instant end = KpiPeriods.start(grain, period + 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return programs.inForceAt(organization, end).or(() -> programs.inForceAt(organization, Instant.parse("9999-12-31T00:00:00Z")));
  }

  /** The rows of kpi-store, decoded, and their purge: a grain keeps its last {@link KpiPeriods#kept} periods. */
  static final class KpiRows {
    private final AvroCodec<KpiRow> codec = LoyaltyTopology.STATE_SERDES.codec(KpiRow.class);
    private final ReadOnlyKeyValueStore<String, byte[]> reads;
    private final KeyValueStore<String, byte[]> store;

    KpiRows(KeyValueStore<String, byte[]> store) {
      this.reads = store;
      this.store = store;
    }

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
      String prefix = key.substring(0, key.lastIndexOf('|') + 1);
      return range(key, prefix + "~");
    }

    /** Rows of one organization, location and grain from one period to another, both included. */
    List<KeyValue<String, KpiRow>> between(String organization, String location, KpiGrain grain, int from, int to) {
      return range(KpiSums.key(organization, location, grain, from), KpiSums.key(organization, location, grain, to));
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
}
