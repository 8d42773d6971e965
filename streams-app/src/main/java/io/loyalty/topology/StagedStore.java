package io.loyalty.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store whose writes wait for the end of their input. Values are encoded when written, so a value
 * that cannot be encoded fails its input before anything is stored; reads see the input's own writes; {@link
 * #commit} applies them, {@link #discard} forgets them.
 */
final class StagedStore<V> {
  private final KeyValueStore<String, byte[]> store;
  private final Function<V, byte[]> encoder;
  private final Function<byte[], V> decoder;
  /** Encoded value by key; null marks a delete. Insertion order is the order the input wrote them. */
  private final Map<String, byte[]> pending = new LinkedHashMap<>();

  StagedStore(KeyValueStore<String, byte[]> store, Function<V, byte[]> encoder, Function<byte[], V> decoder) {
    this.store = store;
    this.encoder = encoder;
    this.decoder = decoder;
  }

  V get(String key) {
    byte[] bytes = pending.containsKey(key) ? pending.get(key) : store.get(key);
    return bytes == null ? null : decoder.apply(bytes);
  }

  void put(String key, V value) {
    pending.put(key, encoder.apply(value));
  }

  void delete(String key) {
    pending.put(key, null);
  }

  /** Committed entries only: ranges are read between inputs, when nothing is pending. */
  KeyValueIterator<String, byte[]> committedRange(String from, String to) {
    if (!pending.isEmpty()) {
      throw new IllegalStateException("range read with writes pending");
    }
    return store.range(from, to);
  }

  V decode(byte[] bytes) {
    return decoder.apply(bytes);
  }

  void commit() {
    pending.forEach((key, bytes) -> {
      if (bytes == null) {
        store.delete(key);
      } else {
        store.put(key, bytes);
      }
    });
    pending.clear();
  }

  void discard() {
    pending.clear();
  }
}
