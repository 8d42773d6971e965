package io.loyalty.intake;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the rejection record of a source record, wherever in the topology it was refused. */
public final class Rejections {
  private Rejections() {}

  public static Rejection of(String topic, int partition, long offset, long timestamp, byte[] rawKey, byte[] rawValue,
      RejectionReason reason, String message, String eventId, String organizationId) {
    return Rejection.newBuilder()
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setReasonCode(reason)
        .setMessage(message)
        .setEventId(eventId)
        .setOrganizationId(organizationId)
        .setRecordTimestamp(Instant.ofEpochMilli(timestamp))
        .setKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
        .setValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
        .build();
  }
}
