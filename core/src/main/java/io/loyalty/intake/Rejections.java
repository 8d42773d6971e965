package io.loyalty.intake;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the rejection record of a source record, wherever in the topology it was refused. */
public final class Rejections {
  /**
   * The largest raw key or value a rejection carries. A rejection must always fit where it goes, also for an input
   * refused for its size; a larger one is left out (the source topics are kept, and the rejection names its
   * offset).
   */
  public static final int MAX_RAW_BYTES = 64 * 1024;
  /** Ids longer than any real one (a refused input's may be anything) are left out of the rejection. */
  private static final int MAX_ID_CHARS = 1_000;

  private Rejections() {}

  public static Rejection of(String topic, int partition, long offset, long timestamp, byte[] rawKey, byte[] rawValue,
      RejectionReason reason, String message, String eventId, String organizationId) {
    String leftOut = leftOut("key", rawKey) + leftOut("value", rawValue);
    return Rejection.newBuilder()
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setReasonCode(reason)
        .setMessage(leftOut.isEmpty() ? message : message + leftOut + " (read it from " + topic + "-" + partition + " at offset "
            + offset + ")")
        .setEventId(bounded(eventId))
        .setOrganizationId(bounded(organizationId))
        .setRecordTimestamp(Instant.ofEpochMilli(timestamp))
        .setKey(raw(rawKey))
        .setValue(raw(rawValue))
        .build();
  }

  private static String leftOut(String what, byte[] raw) {
    return raw != null && raw.length > MAX_RAW_BYTES ? "; its " + what + " of " + raw.length + " bytes is left out" : "";
  }

  private static ByteBuffer raw(byte[] raw) {
    return raw == null || raw.length > MAX_RAW_BYTES ? null : ByteBuffer.wrap(raw);
  }

  private static String bounded(String id) {
    return id == null || id.length() > MAX_ID_CHARS ? null : id;
  }
}
