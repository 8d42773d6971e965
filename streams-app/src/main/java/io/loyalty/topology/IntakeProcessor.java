package io.loyalty.topology;

import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.intake.InputLimits;
import io.loyalty.intake.Violation;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns the raw records of one input topic into validated inputs for the accounts processor, or into
 * rejections naming what is wrong: a key that is not UTF-8, bytes that do not decode, a record that fails
 * its topic's checks or is dated too far ahead of its append time.
 */
class IntakeProcessor<T extends SpecificRecord> extends RejectingProcessor<byte[], byte[]> {
  private final AvroCodec<T> codec;
  private final BiFunction<String, T, Optional<Violation>> validator;
  private final Function<T, String> eventId;
  private final Function<T, String> organizationId;
  private final Function<T, Instant> businessTime;
  private final Duration maxAhead;
  private final InputLimits limits;
  private RefusedWrites.TaskWrites refusedWrites;

  /** @param limits how large an input may be; null for the engine's own steps, which come from bounded inputs */
  IntakeProcessor(AvroCodec<T> codec, InputLimits limits, BiFunction<String, T, Optional<Violation>> validator,
      Function<T, String> eventId, Function<T, String> organizationId, Function<T, Instant> businessTime,
      Duration maxAhead, Output<Rejection> rejections) {
    super(rejections);
    this.limits = limits;
    this.codec = codec;
    this.validator = validator;
    this.eventId = eventId;
    this.organizationId = organizationId;
    this.businessTime = businessTime;
    this.maxAhead = maxAhead;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    refusedWrites = RefusedWrites.of(context);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Optional<String> key = utf8(record.key());
    if (key.isEmpty()) {
      reject(record, record.key(), record.value(), RejectionReason.INVALID_FIELD, "record key is not UTF-8 text", null, null);
      return;
    }
    if (limits != null && key.get().length() > limits.textChars()) {
      reject(record, record.key(), record.value(), RejectionReason.LIMIT_EXCEEDED, "the record key has " + key.get().length()
          + " characters, more than limits.text.chars (" + limits.textChars() + "); nothing of it was applied", null, null);
      return;
    }
    T value;
    try {
      value = codec.decode(record.value());
    } catch (DecodeException e) {
      reject(record, record.key(), record.value(), e.reason(), e.getMessage(), null, null);
      return;
    }
    Optional<String> refused = refusedWrites.poisoned("");
    if (refused.isPresent()) {
      // Only a rejection, without a copy of the input: a command's result, or the copy, may be what was refused.
      rejectWithoutCopy(record, RejectionReason.PRODUCTION_ERROR, refused.get() + "; the input is left out of this rejection and a "
          + "command gets no result, either may be what the broker refused", eventId.apply(value), organizationId.apply(value));
      return;
    }
    // The size first: the other checks walk what it bounds.
    Optional<Violation> violation = (limits == null ? Optional.<Violation>empty() : limits.check(value))
        .or(() -> validator.apply(key.get(), value)).or(() -> tooFarAhead(value, record.timestamp()));
    if (violation.isPresent()) {
      reject(record, record.key(), record.value(), violation.get().reason(), violation.get().message(),
          eventId.apply(value), organizationId.apply(value));
      refused(record, value, violation.get());
      return;
    }
    context().forward(record.withKey((Object) key.get())
        .withValue((Object) new Decoded<>(value, record.key(), record.value(), eventId.apply(value),
            organizationId.apply(value))), LoyaltyTopology.ACCOUNTS_PROCESSOR);
  }

  /** What a decoded input refused here gets besides its rejection; nothing unless a topic's intake says otherwise. */
  protected void refused(Record<byte[], byte[]> record, T value, Violation violation) {}

  /**
   * A business time well ahead of the broker's append time is a clock or typing error: applied, it would move
   * the account's clock (or, for a tick, the partition's) years ahead and fire every timer on the way.
   */
  private Optional<Violation> tooFarAhead(T value, long appendedAt) {
    Instant time = businessTime.apply(value);
    Instant limit = Instant.ofEpochMilli(appendedAt).plus(maxAhead);
    if (time.isAfter(limit)) {
      return Optional.of(new Violation(RejectionReason.TIME_OUT_OF_RANGE, "business time " + time + " is more than " + maxAhead
          + " ahead of the record's append time " + Instant.ofEpochMilli(appendedAt) + " (validation.max.ahead.minutes)"));
    }
    return Optional.empty();
  }

  private static Optional<String> utf8(byte[] key) {
    if (key == null) {
      return Optional.of("");
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
