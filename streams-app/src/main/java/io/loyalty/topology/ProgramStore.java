package io.loyalty.topology;

import io.loyalty.avro.ProgramConfig;
import io.loyalty.programs.ProgramHistory;
import io.loyalty.programs.ProgramKey;
import io.loyalty.programs.ProgramRules;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Program versions of the global programs store, as raw bytes: the store is restored straight from the topic,
 * bypassing the loader, so versions are decoded (once, then cached per task) when read, and any that do not
 * decode are skipped with a warning.
 */
final class ProgramStore {
  private static final Logger LOG = LoggerFactory.getLogger(ProgramStore.class);

  private final KeyValueStore<String, byte[]> store;
  private final AvroCodec<ProgramConfig> codec;
  private final Map<String, CachedVersion> decoded = new HashMap<>();

  private record CachedVersion(byte[] raw, ProgramRules rules) {}

  ProgramStore(KeyValueStore<String, byte[]> store, AvroCodec<ProgramConfig> codec) {
    this.store = store;
    this.codec = codec;
  }

  Optional<ProgramRules> inForceAt(String organizationId, Instant time) {
    List<ProgramRules> versions = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> range = store.prefixScan(ProgramKey.prefix(organizationId), new StringSerializer())) {
      while (range.hasNext()) {
        KeyValue<String, byte[]> entry = range.next();
        decode(entry.key, entry.value).ifPresent(versions::add);
      }
    }
    return ProgramHistory.inForceAt(versions.stream(), time);
  }

  private Optional<ProgramRules> decode(String key, byte[] raw) {
    CachedVersion cached = decoded.get(key);
    if (cached != null && (cached.raw() == raw || Arrays.equals(cached.raw(), raw))) {
      return Optional.of(cached.rules());
    }
    try {
      ProgramConfig program = codec.decode(raw);
      if (!ProgramKey.of(program).equals(key)) {
        LOG.warn("program version under key {} is for {}; ignored", key, ProgramKey.of(program));
        return Optional.empty();
      }
      ProgramRules rules = new ProgramRules(program);
      decoded.put(key, new CachedVersion(raw, rules));
      return Optional.of(rules);
    } catch (DecodeException | DateTimeException e) {
      LOG.warn("program version under key {} does not decode or has no valid time zone ({}); ignored", key, e.getMessage());
      return Optional.empty();
    }
  }
}
