package io.loyalty.topology;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ParkedEvent;
import io.loyalty.avro.state.ParkedEvents;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.intake.Rejections;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import io.loyalty.timers.Timers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Returns and voids that arrived before their purchase: kept as they arrived (raw, with their source
 * coordinates, so a rejection can name them) until the purchase comes or their grace period ends.
 */
final class ParkedReversals {
  /** One waiting return or void, decoded, with what its rejection needs. */
  record Waiting(ParkedEvent parked, TransactionEvent event) {
    long timestamp() {
      return parked.getRecordTimestamp().toEpochMilli();
    }

    byte[] key() {
      return bytes(parked.getKey());
    }

    Rejection rejection(RejectionReason reason, String message) {
      return Rejections.of(parked.getSourceTopic(), parked.getSourcePartition(), parked.getSourceOffset(), timestamp(), key(),
          bytes(parked.getValue()), reason, message, event.getEventId(), event.getOrganizationId());
    }
  }

  private final StagedStore<ParkedEvents> store;
  private final AvroCodec<TransactionEvent> codec;
  private final Duration grace;

  ParkedReversals(StagedStore<ParkedEvents> store, AvroCodec<TransactionEvent> codec, Duration grace) {
    this.store = store;
    this.codec = codec;
    this.grace = grace;
  }

  /** Keeps the event until its purchase arrives, and starts its purchase's grace timer unless one runs. */
  void park(String accountKey, AccountState state, RecordMetadata source, long timestamp, Decoded<?> input, TransactionEvent event) {
    String key = Staging.transactionKey(accountKey, event.getOriginalTransactionId());
    List<ParkedEvent> events = new ArrayList<>(Optional.ofNullable(store.get(key)).map(ParkedEvents::getEvents).orElse(List.of()));
    events.add(new ParkedEvent(source.topic(), source.partition(), source.offset(), Instant.ofEpochMilli(timestamp),
        ByteBuffer.wrap(input.rawKey() == null ? new byte[0] : input.rawKey()), ByteBuffer.wrap(input.rawValue())));
    store.put(key, new ParkedEvents(events));
    if (Timers.find(state, Timers.id(TimerKind.REVERSAL_GRACE, event.getOriginalTransactionId())).isEmpty()) {
      Timers.schedule(state, TimerKind.REVERSAL_GRACE, event.getOriginalTransactionId(), event.getOccurredAt().plus(grace));
    }
  }

  /** The purchase arrived: the events that waited for it, in arrival order, taken out with their grace timer. */
  List<Waiting> release(String accountKey, AccountState state, String transactionId) {
    List<ParkedEvent> waiting = takeOut(accountKey, transactionId);
    if (waiting.isEmpty()) {
      return List.of();
    }
    Timers.cancel(state, TimerKind.REVERSAL_GRACE, transactionId);
    return waiting.stream().map(parked -> new Waiting(parked, codec.decode(bytes(parked.getValue())))).toList();
  }

  /** The grace period ended: the events that waited in vain, taken out (one that no longer decodes is dropped). */
  List<Waiting> expire(String accountKey, String transactionId) {
    List<Waiting> expired = new ArrayList<>();
    for (ParkedEvent parked : takeOut(accountKey, transactionId)) {
      try {
        expired.add(new Waiting(parked, codec.decode(bytes(parked.getValue()))));
      } catch (DecodeException e) {
        // Decoded when it was parked; only a schema removed since can make it fail now.
      }
    }
    return expired;
  }

  String expiredMessage(String transactionId) {
    return "original transaction " + transactionId + " was not seen within the grace period of " + grace;
  }

  private List<ParkedEvent> takeOut(String accountKey, String transactionId) {
    String key = Staging.transactionKey(accountKey, transactionId);
    ParkedEvents waiting = store.get(key);
    if (waiting == null) {
      return List.of();
    }
    store.delete(key);
    return waiting.getEvents();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
