package io.loyalty.topology;

import java.util.Map;
import java.util.Optional;

/**
 * What one input may write, state and outputs together, checked before any of it is written. A write the broker
 * refuses after processing aborts the exactly-once transaction, and the input is read again from the last commit
 * and refused again: checked here, an input too large for the broker is rejected whole and its partition moves
 * on.
 *
 * @param recordBytes the largest record of a topic with no limit of its own in {@code topicRecordBytes}
 *     (limits.record.bytes; by default derived at start from the broker's and the producer's maximum)
 * @param topicRecordBytes the largest record of each topic whose max.message.bytes is known, outputs and changelogs
 * @param inputBytes what one input may write in all, keys and values of every record (limits.input.write.bytes)
 */
public record WriteBudget(int recordBytes, Map<String, Integer> topicRecordBytes, long inputBytes) {
  /**
   * Room for the batch and record headers around one record (61 bytes of batch header, at most 21 of record
   * framing, the engine's records have no headers): a topic's max.message.bytes counts the whole batch.
   */
  public static final int RECORD_OVERHEAD = 128;

  /** A rejection carries up to 64 KiB of its input (Rejections.MAX_RAW_BYTES): a budget must leave room for it. */
  public static final int MINIMUM_BYTES = 128 * 1024;

  public WriteBudget {
    if (recordBytes < MINIMUM_BYTES || inputBytes < MINIMUM_BYTES) {
      throw new IllegalArgumentException("limits.record.bytes and limits.input.write.bytes must be at least " + MINIMUM_BYTES
          + ": the rejection of an input carries up to 64 KiB of it");
    }
    topicRecordBytes = Map.copyOf(topicRecordBytes);
  }

  int recordBytesOf(String topic) {
    return topicRecordBytes.getOrDefault(topic, recordBytes);
  }

  /** The sizes of what one input is about to write, counted and checked record by record. */
  final class Tally {
    private final String applicationId;
    private long total;

    private Tally(String applicationId) {
      this.applicationId = applicationId;
    }

    void add(String topic, String what, long bytes) {
      int limit = recordBytesOf(topic);
      if (bytes > limit) {
        throw new Exceeded("it would write a record of " + bytes + " bytes to " + what + ", more than the " + limit
            + " bytes a record of " + topic + " may have (limits.record.bytes, from the topic's and broker's max.message.bytes)");
      }
      Optional<Integer> learned = RefusedWrites.learnedRecordBytes(applicationId, topic);
      if (learned.isPresent() && bytes > learned.get()) {
        throw new Exceeded("it would write a record of " + bytes + " bytes to " + what + ", and the broker refused a record of "
            + (learned.get() + 1) + " bytes of " + topic + " (its max.message.bytes was lowered since the engine started)");
      }
      total += bytes;
      if (total > inputBytes) {
        throw new Exceeded("it would write more than the " + inputBytes + " bytes one input may write in all"
            + " (limits.input.write.bytes)");
      }
    }
  }

  Tally tally(String applicationId) {
    return new Tally(applicationId);
  }

  /** An input whose writes are beyond the budget: refused whole as LIMIT_EXCEEDED, with this message. */
  public static final class Exceeded extends RuntimeException {
    Exceeded(String message) {
      super(message);
    }
  }
}
