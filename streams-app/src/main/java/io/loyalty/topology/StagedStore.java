package io.loyalty.topology;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A key-value store whose writes wait for the end of their input. Values are encoded when written, so a value
 * that cannot be encoded fails its input before anything is stored; reads see the input's own writes; {@link
 * #commit} applies them, {@link #discard} forgets them.
 */
final class StagedStore<V> implements Stored<V> {
  private static final StringSerializer KEYS = new StringSerializer();
  /** Pending in place of the encoded value of a {@link #putLater}: encoded when the input is sealed. */
  private static final byte[] ENCODED_AT_SEAL = new byte[0];
  private final ReadOnlyKeyValueStore<String, byte[]> store;
  /** Null for a read-only view (the API's): nothing can be committed to it. */
  private final KeyValueStore<String, byte[]> writes;
  private final Function<V, byte[]> encoder;
  private final Function<byte[], V> decoder;
  /** Encoded value by key; null marks a delete. Insertion order is the order the input wrote them. */
  private final Map<String, byte[]> pending = new LinkedHashMap<>();

  /** Decoded committed values by key, least recently used first; null when the store is not cached. */
  private final Map<String, V> cache;
  private final Map<String, V> pendingValues = new HashMap<>();
  /** Cached keys this input read: a failed input may have changed their values in place, so they are evicted. */
  private final Set<String> read = new HashSet<>();

  StagedStore(KeyValueStore<String, byte[]> store, Function<V, byte[]> encoder, Function<byte[], V> decoder) {
    this(store, encoder, decoder, 0);
  }

  /**
   * @param cachedValues decoded values kept between inputs, for small stores read much more often than they change
   *     (a value read from a cached store must be put back or left unchanged)
   */
  StagedStore(KeyValueStore<String, byte[]> store, Function<V, byte[]> encoder, Function<byte[], V> decoder, int cachedValues) {
    this(store, store, encoder, decoder, cachedValues);
  }

  private StagedStore(ReadOnlyKeyValueStore<String, byte[]> store, KeyValueStore<String, byte[]> writes, Function<V, byte[]> encoder,
      Function<byte[], V> decoder, int cachedValues) {
    this.store = store;
    this.writes = writes;
    this.encoder = encoder;
    this.decoder = decoder;
    this.cache = cachedValues <= 0 ? null : new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > cachedValues;
      }
    };
  }

  /**
   * A view that reads a store another thread writes (interactive queries); it refuses to commit.
   *
   * @param cachedValues as for the task's store: a view stages writes like it (to describe an account as the account
   *     path would), and a store written with {@link #putLater} needs its decoded values
   */
  static <V> StagedStore<V> readOnly(ReadOnlyKeyValueStore<String, byte[]> store, Function<V, byte[]> encoder, Function<byte[], V> decoder,
      int cachedValues) {
    return new StagedStore<>(store, null, encoder, decoder, cachedValues);
  }

  @Override
  public V get(String key) {
    if (cache == null) {
      byte[] bytes = pending.containsKey(key) ? pending.get(key) : store.get(key);
      return bytes == null ? null : decoder.apply(bytes);
    }
    if (pending.containsKey(key)) {
      return pendingValues.get(key);
    }
    read.add(key);
    V value = cache.get(key);
    if (value == null) {
      byte[] bytes = store.get(key);
      value = bytes == null ? null : decoder.apply(bytes);
      if (value != null) {
        cache.put(key, value);
      }
    }
    return value;
  }

  @Override
  public void put(String key, V value) {
    pending.put(key, encoder.apply(value));
    if (cache != null) {
      pendingValues.put(key, value);
    }
  }

  /**
   * Stages a value of a cached store to be encoded once, when the input is sealed ({@link #seal}): for a record that
   * an input changes many times (the customer record, once per capability), whose changes until then are its own.
   */
  void putLater(String key, V value) {
    if (cache == null) {
      throw new IllegalStateException("only a cached store holds decoded values until the input is sealed");
    }
    pending.put(key, ENCODED_AT_SEAL);
    pendingValues.put(key, value);
  }

  /** Drops a value read but not written by this input from the cache: the next input decodes it again. */
  void forget(String key) {
    if (cache != null && !pending.containsKey(key)) {
      cache.remove(key);
      read.remove(key);
    }
  }

  /** Encodes what {@link #putLater} staged: before the input's writes are measured or committed. */
  void seal() {
    for (Map.Entry<String, byte[]> entry : pending.entrySet()) {
      if (entry.getValue() == ENCODED_AT_SEAL) {
        entry.setValue(encoder.apply(pendingValues.get(entry.getKey())));
      }
    }
  }

  @Override
  public void delete(String key) {
    pending.put(key, null);
    if (cache != null) {
      pendingValues.put(key, null);
    }
  }

  /**
   * Visits the entries whose key starts with the prefix in key order, this input's writes included, until the
   * visitor returns false. Only the visited entries are read and decoded, so a visit that stops early costs what
   * it visited, not what the prefix holds.
   */
  void scan(String prefix, BiPredicate<String, V> visitor) {
    List<Map.Entry<byte[], byte[]>> staged = new ArrayList<>();
    pending.forEach((key, bytes) -> {
      if (key.startsWith(prefix)) {
        staged.add(new AbstractMap.SimpleImmutableEntry<>(key.getBytes(StandardCharsets.UTF_8), bytes));
      }
    });
    staged.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    int next = 0;
    try (KeyValueIterator<String, byte[]> stored = store.prefixScan(prefix, KEYS)) {
      while (stored.hasNext()) {
        KeyValue<String, byte[]> entry = stored.next();
        byte[] storedKey = entry.key.getBytes(StandardCharsets.UTF_8);
        for (; next < staged.size() && Arrays.compareUnsigned(staged.get(next).getKey(), storedKey) <= 0; next++) {
          if (!visitStaged(staged.get(next), visitor)) {
            return;
          }
        }
        // A key this input wrote or deleted was visited in its staged form.
        if (!pending.containsKey(entry.key) && !visitor.test(entry.key, decoder.apply(entry.value))) {
          return;
        }
      }
    }
    for (; next < staged.size(); next++) {
      if (!visitStaged(staged.get(next), visitor)) {
        return;
      }
    }
  }

  private boolean visitStaged(Map.Entry<byte[], byte[]> staged, BiPredicate<String, V> visitor) {
    return staged.getValue() == null || visitor.test(new String(staged.getKey(), StandardCharsets.UTF_8), decoder.apply(staged.getValue()));
  }

  /** Committed entries only: ranges are read between inputs, when nothing is pending. */
  KeyValueIterator<String, byte[]> committedRange(String from, String to) {
    if (!pending.isEmpty()) {
      throw new IllegalStateException("range read with writes pending");
    }
    return store.range(from, to);
  }

  /** Every committed entry, in key order: read between inputs, like {@link #committedRange}. */
  KeyValueIterator<String, byte[]> committedAll() {
    if (!pending.isEmpty()) {
      throw new IllegalStateException("read of all entries with writes pending");
    }
    return store.all();
  }

  V decode(byte[] bytes) {
    return decoder.apply(bytes);
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Each pending write, as its changelog record will have it (null value: a delete), in the order they were made. */
  void forEachPending(java.util.function.BiConsumer<String, byte[]> writes) {
    pending.forEach(writes);
  }

  void commit() {
    if (writes == null && !pending.isEmpty()) {
      throw new IllegalStateException("a read-only view of a store has nothing to commit");
    }
    pending.forEach((key, bytes) -> {
      if (bytes == ENCODED_AT_SEAL) {
        throw new IllegalStateException("committed before it was sealed: " + key);
      }
      if (bytes == null) {
        writes.delete(key);
      } else {
        writes.put(key, bytes);
      }
    });
    if (cache != null) {
      pendingValues.forEach((key, value) -> {
        if (value == null) {
          cache.remove(key);
        } else {
          cache.put(key, value);
        }
      });
      pendingValues.clear();
      read.clear();
    }
    pending.clear();
  }

  void discard() {
    if (cache != null) {
      read.forEach(cache::remove);
      pendingValues.keySet().forEach(cache::remove);
      pendingValues.clear();
      read.clear();
    }
    pending.clear();
  }
}
