package io.loyalty.topology;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.intake.Rejections;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Base of the processors that may refuse their input: a refusal is keyed by the raw source key and goes to the rejections sink. */
abstract class RejectingProcessor<KIn, VIn> extends ContextualProcessor<KIn, VIn, Object, Object> {
  private final Output<Rejection> rejections;

  RejectingProcessor(Output<Rejection> rejections) {
    this.rejections = rejections;
  }

  protected final Rejection rejection(Record<?, ?> record, byte[] rawKey, byte[] rawValue, RejectionReason reason,
      String message, String eventId, String organizationId) {
    RecordMetadata source = context().recordMetadata().orElseThrow();
    return Rejections.of(source.topic(), source.partition(), source.offset(), record.timestamp(), rawKey, rawValue,
        reason, message, eventId, organizationId);
  }

  /** Sends the refusal at once: for processors whose only output for a refused input is its rejection. */
  protected final void reject(Record<?, ?> record, byte[] rawKey, byte[] rawValue, RejectionReason reason,
      String message, String eventId, String organizationId) {
    rejections.send(context(), rawKey, rejection(record, rawKey, rawValue, reason, message, eventId, organizationId),
        record.timestamp());
  }

  /** The same, keyed by the raw key but without a copy of the input in the rejection. */
  protected final void rejectWithoutCopy(Record<byte[], byte[]> record, RejectionReason reason, String message, String eventId,
      String organizationId) {
    rejections.send(context(), record.key(), rejection(record, null, null, reason, message, eventId, organizationId), record.timestamp());
  }
}
