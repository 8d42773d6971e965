package io.loyalty.topology;

import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMark;
import io.loyalty.avro.state.KpiRow;
import io.loyalty.metrics.KpiMarksRules;
import io.loyalty.metrics.KpiPeriods;
import io.loyalty.metrics.KpiSums;
import io.loyalty.serde.AvroCodec;
import java.time.Duration;
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
      List<KeyValue<String, KpiRow>> run = rows.from(key);
      for (int index = 0; index < run.size(); index++) {
        if (published.add(run.get(index).key)) {
          rows.view(run, index, programs).ifPresent(kpis -> metrics.send(context(), kpis.getOrganizationId(), kpis,
              Math.max(0, context().currentStreamTimeMs())));
        }
      }
    }
  }
}
