package io.loyalty.topology;

import io.loyalty.avro.ProgramConfig;
import io.loyalty.intake.Violation;
import io.loyalty.intake.ProgramValidator;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global programs store: each valid version under its {@code organizationId/version} key. A global
 * processor cannot forward, so a version that does not decode, is keyed wrongly or breaks a limit is logged
 * with the reason (program records are operator configuration, without personal data) and left out; the
 * program-checks topology ({@link ProgramCheckProcessor}) writes its rejection.
 */
final class ProgramLoader implements Processor<byte[], byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ProgramLoader.class);

  private final AvroCodec<ProgramConfig> codec;
  private KeyValueStore<String, byte[]> store;

  ProgramLoader(AvroCodec<ProgramConfig> codec) {
    this.codec = codec;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(LoyaltyTopology.PROGRAMS_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      store.delete(key);
      return;
    }
    try {
      ProgramConfig program = codec.decode(record.value());
      Optional<Violation> violation = ProgramValidator.validate(key, program);
      if (violation.isPresent()) {
        LOG.warn("{}: {}", violation.get().reason(), violation.get().message());
        return;
      }
      store.put(key, record.value());
      LOG.info("program {} version {} effective from {} loaded", program.getOrganizationId(), program.getVersion(),
          program.getEffectiveFrom());
    } catch (DecodeException e) {
      LOG.warn("program record keyed '{}' rejected: {} {}", key, e.reason(), e.getMessage());
    }
  }
}
