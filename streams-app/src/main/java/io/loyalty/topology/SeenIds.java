package io.loyalty.topology;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.TransactionEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** The event and command ids applied within the retention window, with the marks of the current input held until it commits. */
final class SeenIds {
  private final WindowStore<String, Long> store;
  private final Map<String, Long> pending = new HashMap<>();

  SeenIds(WindowStore<String, Long> store) {
    this.store = store;
  }

  /** An applied POS event's id: a later copy is a duplicate. */
  static String transactionKey(TransactionEvent event) {
    return transactionKey(event.getOrganizationId(), event.getEventId());
  }

  static String transactionKey(String organizationId, String eventId) {
    return "T|" + organizationId + "|" + eventId;
  }

  /** An applied activity report's id: a later copy is a duplicate. */
  static String activityKey(ActivityEvent event) {
    return "A|" + event.getOrganizationId() + "|" + event.getEventId();
  }

  /** A return's or void's own transaction id, so that a reversal naming it as its original is refused for what it is. */
  static String reversalKey(String organizationId, String transactionId) {
    return "R|" + organizationId + "|" + transactionId;
  }

  boolean contains(String key) {
    if (pending.containsKey(key)) {
      return true;
    }
    // The long-based fetch: the Instant one formats a validation message on every call.
    try (WindowStoreIterator<Long> found = store.fetch(key, 0L, Long.MAX_VALUE / 2)) {
      return found.hasNext();
    }
  }

  void mark(String key, long timestamp) {
    pending.put(key, timestamp);
  }

  void commit() {
    pending.forEach((key, timestamp) -> store.put(key, timestamp, timestamp));
    pending.clear();
  }

  void discard() {
    pending.clear();
  }
}
