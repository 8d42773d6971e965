package io.loyalty.topology;

import io.loyalty.avro.ProgramConfig;
import io.loyalty.programs.ProgramHistory;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramKey;
import io.loyalty.intake.ProgramValidator;
import io.loyalty.programs.ProgramRules;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
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
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Program versions of the global programs store, as raw bytes: the store may be restored straight from the
 * topic, bypassing the loader, so versions are decoded and checked (once, then cached per task) when read, and
 * any that do not decode or break a limit are skipped with a warning.
 */
final class ProgramStore {
  private static final Logger LOG = LoggerFactory.getLogger(ProgramStore.class);

  private final ReadOnlyKeyValueStore<String, byte[]> store;
  private final AvroCodec<ProgramConfig> codec;
  private final Map<String, CachedVersion> decoded = new HashMap<>();

  private record CachedVersion(byte[] raw, Optional<ProgramRules> rules) {}

  ProgramStore(ReadOnlyKeyValueStore<String, byte[]> store, AvroCodec<ProgramConfig> codec) {
    this.store = store;
    this.codec = codec;
  }

  /** Every organization with a program version in the store, in key order. */
  java.util.SortedSet<String> organizations() {
    java.util.SortedSet<String> organizations = new java.util.TreeSet<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(entry -> organizations.add(entry.key.substring(0, entry.key.indexOf('/'))));
    }
    return organizations;
  }

  /** Whether the organization has any valid version, in force or not yet. */
  boolean hasAny(String organizationId) {
    return !validVersions(organizationId).isEmpty();
  }

  Optional<ProgramRules> inForceAt(String organizationId, Instant time) {
    return ProgramHistory.inForceAt(validVersions(organizationId).stream(), time);
  }

  /** One version of the organization's program, if it is valid: a workflow run finishes on the version it entered with. */
  Optional<ProgramRules> version(String organizationId, long version) {
    String key = ProgramKey.prefix(organizationId) + version;
    byte[] raw = store.get(key);
    return raw == null ? Optional.empty() : decode(key, raw);
  }

  /** The organization's versions that pass the checks, in key order. */
  List<ProgramRules> validVersions(String organizationId) {
    List<ProgramRules> versions = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> range = store.prefixScan(ProgramKey.prefix(organizationId), new StringSerializer())) {
      while (range.hasNext()) {
        KeyValue<String, byte[]> entry = range.next();
        decode(entry.key, entry.value).ifPresent(versions::add);
      }
    }
    return versions;
  }

  /** A refused version is cached too (as empty), so it is checked and logged once, not on every event. */
  private Optional<ProgramRules> decode(String key, byte[] raw) {
    CachedVersion cached = decoded.get(key);
    if (cached != null && (cached.raw() == raw || Arrays.equals(cached.raw(), raw))) {
      return cached.rules();
    }
    Optional<ProgramRules> rules = Optional.empty();
    try {
      ProgramConfig program = codec.decode(raw);
      Optional<Violation> violation = ProgramValidator.validate(key, program);
      if (violation.isPresent()) {
        LOG.warn("{}: {}", violation.get().reason(), violation.get().message());
      } else {
        rules = Optional.of(new ProgramRules(program));
      }
    } catch (DecodeException e) {
      LOG.warn("program version under key {} does not decode ({}); ignored", key, e.getMessage());
    }
    decoded.put(key, new CachedVersion(raw, rules));
    return rules;
  }
}
