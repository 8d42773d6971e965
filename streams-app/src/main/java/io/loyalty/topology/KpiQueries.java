package io.loyalty.topology;

import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.state.KpiRow;
import io.loyalty.serde.SerdeFactory;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;

/** Reads of an organization's KPIs from the instance whose KPI task holds its rows (kpi-store, keyed by organization). */
public final class KpiQueries {
  private final LocalStores stores;

  public KpiQueries(KafkaStreams streams, SerdeFactory serdes) {
    this.stores = new LocalStores(streams, serdes);
  }

  public Optional<Placement> placement(String organizationId) {
    return stores.placement(LoyaltyTopology.KPI_STORE, organizationId);
  }

  /** The latest {@code periods} periods of a grain with figures, oldest first, as loyalty.metrics publishes them. */
  public List<ProgramKpis> latest(String organizationId, String locationId, KpiGrain grain, int periods) {
    KpiRows rows = new KpiRows(stores.store(LoyaltyTopology.KPI_STORE));
    List<KeyValue<String, KpiRow>> all = rows.all(organizationId, locationId, grain);
    return java.util.stream.IntStream.range(Math.max(0, all.size() - periods), all.size())
        .mapToObj(index -> rows.view(all, index, stores.programs())).flatMap(Optional::stream).toList();
  }
}
