package io.loyalty.topology;

import io.loyalty.avro.state.KpiDelta;
import io.loyalty.metrics.KpiDeltas;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * What the task's inputs add to their organizations' KPIs, summed per organization, location and day
 * (kpi-pending-store) and sent to the KPI aggregation once per commit interval: one record per key and commit rather
 * than one per input, and a dozen KPI rows updated per sum rather than per input. The store is cached, so its
 * changelog gets a key's sum once per commit, and a sum committed but not yet sent survives a crash.
 */
final class KpiPending {
  private final StagedStore<KpiDelta> sums;

  KpiPending(StagedStore<KpiDelta> sums) {
    this.sums = sums;
  }

  void add(KpiDelta delta) {
    String key = KpiDeltas.key(delta);
    KpiDelta sum = sums.get(key);
    if (sum == null) {
      sums.put(key, delta);
    } else {
      KpiDeltas.add(sum, delta);
      sums.put(key, sum);
    }
  }

  /** Stages every sum for the aggregation and empties the store; the caller commits. */
  void send(Outbox outbox, Output<KpiDelta> deltas, long timestamp) {
    List<KeyValue<String, byte[]>> due = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = sums.committedAll()) {
      all.forEachRemaining(due::add);
    }
    for (KeyValue<String, byte[]> entry : due) {
      KpiDelta sum = sums.decode(entry.value);
      outbox.add(deltas, sum.getOrganizationId(), sum, timestamp);
      sums.delete(entry.key);
    }
  }
}
