package io.loyalty.topology;

import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.intake.TransactionValidator;
import io.loyalty.intake.Violation;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/** Turns raw POS records into validated events, or into rejections naming what is wrong with them. */
final class TransactionIntakeProcessor extends RejectingProcessor<byte[], byte[]> {
  private final AvroCodec<TransactionEvent> codec;
  private final TransactionValidator validator;

  TransactionIntakeProcessor(AvroCodec<TransactionEvent> codec, TransactionValidator validator) {
    this.codec = codec;
    this.validator = validator;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Optional<String> key = utf8(record.key());
    if (key.isEmpty()) {
      reject(record, record.key(), record.value(), RejectionReason.INVALID_FIELD, "record key is not UTF-8 text", null, null);
      return;
    }
    TransactionEvent event;
    try {
      event = codec.decode(record.value());
    } catch (DecodeException e) {
      reject(record, record.key(), record.value(), e.reason(), e.getMessage(), null, null);
      return;
    }
    Optional<Violation> violation = validator.validate(key.get(), event);
    if (violation.isPresent()) {
      reject(record, record.key(), record.value(), violation.get().reason(), violation.get().message(),
          event.getEventId(), event.getOrganizationId());
      return;
    }
    context().forward(record.withKey((Object) key.get())
        .withValue((Object) new Decoded<>(event, record.key(), record.value())), LoyaltyTopology.ACCOUNTS_PROCESSOR);
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
