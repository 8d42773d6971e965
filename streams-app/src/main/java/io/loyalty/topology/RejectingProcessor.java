package io.loyalty.topology;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.intake.Rejections;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Base of the processors that may refuse their input: sends the refusal, keyed by the raw source key, to the rejections sink. */
abstract class RejectingProcessor<KIn, VIn> extends ContextualProcessor<KIn, VIn, Object, Object> {

  protected final void reject(Record<?, ?> record, byte[] rawKey, byte[] rawValue, RejectionReason reason,
      String message, String eventId, String organizationId) {
    RecordMetadata source = context().recordMetadata().orElseThrow();
    Rejection rejection = Rejections.of(source.topic(), source.partition(), source.offset(), record.timestamp(),
        rawKey, rawValue, reason, message, eventId, organizationId);
    context().forward(new Record<Object, Object>(rawKey, rejection, record.timestamp()), LoyaltyTopology.REJECTIONS_SINK);
  }
}
