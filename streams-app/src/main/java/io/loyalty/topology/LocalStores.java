package io.loyalty.topology;

import io.loyalty.avro.ProgramConfig;
import io.loyalty.serde.SerdeFactory;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** This instance's stores as interactive queries see them, and where the key of a store lives. */
final class LocalStores {
  private final KafkaStreams streams;
  private final SerdeFactory serdes;
  /** Program versions, decoded once per version: the global store's handle stays valid across rebalances. */
  private ProgramStore programs;

  LocalStores(KafkaStreams streams, SerdeFactory serdes) {
    this.streams = streams;
    this.serdes = serdes;
  }

  /**
   * The instances that hold the key of the store: its active task's, and its standbys' (KIP-535). Empty while
   * the group has no assignment to tell (starting, or a rebalance with no metadata yet).
   */
  Optional<Placement> placement(String store, String key) {
    if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
      return Optional.empty();
    }
    KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, new StringSerializer());
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return Optional.empty();
    }
    return Optional.of(new Placement(streams.state() == KafkaStreams.State.RUNNING ? metadata.activeHost() : null,
        metadata.standbyHosts(), metadata.partition()));
  }

  /** @param stale whether a standby's (or a restoring) copy may answer */
  ReadOnlyKeyValueStore<String, byte[]> store(String name, boolean stale) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> parameters = StoreQueryParameters.fromNameAndType(name,
        QueryableStoreTypes.<String, byte[]>keyValueStore());
    return streams.store(stale ? parameters.enableStaleStores() : parameters);
  }

  ReadOnlyKeyValueStore<String, byte[]> store(String name) {
    return store(name, false);
  }

  /** How many records this instance's copy of a store's partition is behind its changelog, if it holds one. */
  OptionalLong lag(String store, int partition) {
    LagInfo lag = streams.allLocalStorePartitionLags().getOrDefault(store, java.util.Map.of()).get(partition);
    return lag == null ? OptionalLong.empty() : OptionalLong.of(lag.offsetLag());
  }

  java.util.List<org.apache.kafka.streams.state.HostInfo> instances() {
    return streams.metadataForAllStreamsClients().stream().map(org.apache.kafka.streams.StreamsMetadata::hostInfo).distinct().toList();
  }

  /** Requests come on several threads; the program cache is one map. */
  synchronized ProgramStore programs() {
    if (programs == null) {
      programs = new ProgramStore(store(LoyaltyTopology.PROGRAMS_STORE), serdes.codec(ProgramConfig.class));
    }
    return programs;
  }
}
