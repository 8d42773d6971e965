package io.loyalty.topology;

import io.loyalty.serde.SerdeFactory;
import java.time.Instant;
import java.util.OptionalLong;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * What an operator watches of this instance's state, read from its local stores by interactive query: timers
 * waiting, how far the partitions' business clocks are behind the wall clock, whether the programs are loaded.
 * Read when /metrics or /health/ready is asked, never on the event path.
 */
public final class OperationsView {
  private final KafkaStreams streams;
  private final LocalStores stores;

  public OperationsView(KafkaStreams streams, SerdeFactory serdes) {
    this.streams = streams;
    this.stores = new LocalStores(streams, serdes);
  }

  private boolean running() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** Timers scheduled in this instance's active partitions (RocksDB's estimate); 0 while not running. */
  public long timersPending() {
    return running() ? stores.store(LoyaltyTopology.TIMERS_STORE).approximateNumEntries() : 0;
  }

  /**
   * How far the most lagging partition clock of this instance is behind {@code now}: clock ticks that stopped
   * arriving show here first, since expiry, warnings and workflow delays fire only as the clock moves.
   */
  public OptionalLong clockBehindMillis(Instant now) {
    if (!running()) {
      return OptionalLong.empty();
    }
    long oldest = Long.MAX_VALUE;
    try (LongDeserializer longs = new LongDeserializer();
        KeyValueIterator<String, byte[]> clocks = stores.store(LoyaltyTopology.CLOCK_STORE).all()) {
      while (clocks.hasNext()) {
        KeyValue<String, byte[]> clock = clocks.next();
        if (PartitionTime.CLOCK_KEY.equals(clock.key) && clock.value != null) {
          oldest = Math.min(oldest, longs.deserialize(null, clock.value));
        }
      }
    }
    return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(Math.max(0, now.toEpochMilli() - oldest));
  }

  /** Program versions in the global store: none means every input would be refused for want of a program. */
  public long programVersions() {
    return running() ? stores.store(LoyaltyTopology.PROGRAMS_STORE).approximateNumEntries() : 0;
  }
}
