package io.loyalty.topology;

import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.intake.ProgramValidator;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Rejects every program record the programs store refuses (bytes that do not decode, a key that is not the
 * version's, a version that breaks a limit), so the operator sees it on the rejections topic and in the
 * metric {@code invalid-program-versions-total}, not only in a log. It applies the same checks as {@link
 * ProgramLoader}, which keeps such versions out of force. A tombstone deletes a version: nothing to check.
 */
final class ProgramCheckProcessor extends RejectingProcessor<byte[], byte[]> {
  private final AvroCodec<ProgramConfig> codec;
  private EngineCounter invalidVersions;

  ProgramCheckProcessor(AvroCodec<ProgramConfig> codec, Output<Rejection> rejections) {
    super(rejections);
    this.codec = codec;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    invalidVersions = new EngineCounter(context.metrics(), "invalid-program-versions",
        "program records refused: undecodable, keyed wrongly or breaking a limit; the version in force stays");
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    try {
      ProgramConfig program = codec.decode(record.value());
      ProgramValidator.validate(key, program).ifPresent(violation -> {
        invalidVersions.increment();
        reject(record, record.key(), record.value(), violation.reason(), violation.message(), null, program.getOrganizationId());
      });
    } catch (DecodeException e) {
      invalidVersions.increment();
      reject(record, record.key(), record.value(), e.reason(), "program record keyed '" + key + "' not put in force: "
          + e.getMessage(), null, null);
    }
  }
}
