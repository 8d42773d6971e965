package io.loyalty.topology;

import io.loyalty.intake.Violation;
import io.loyalty.serde.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a global configuration store (programs, the catalog): each valid record under its key, a tombstone
 * removes it. A global processor cannot forward, so a record that does not decode, is keyed wrongly or breaks a
 * limit is logged with the reason (configuration, without personal data) and left out; the checks application
 * ({@link ConfigurationCheckProcessor}) writes its rejection.
 */
final class ConfigurationLoader<T extends SpecificRecord> implements Processor<byte[], byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigurationLoader.class);

  private final ConfigurationRecords<T> records;
  private KeyValueStore<String, byte[]> store;

  ConfigurationLoader(ConfigurationRecords<T> records) {
    this.records = records;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(records.store());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      store.delete(key);
      return;
    }
    try {
      T value = records.codec().decode(record.value());
      Optional<Violation> violation = records.check().apply(key, value);
      if (violation.isPresent()) {
        LOG.warn("{}: {}", violation.get().reason(), violation.get().message());
        refuse(key);
        return;
      }
      store.put(key, record.value());
      if (records.loaded() != null) {
        LOG.info("{} loaded", records.loaded().apply(value));
      }
    } catch (DecodeException e) {
      LOG.warn("{} record keyed '{}' rejected: {} {}", records.noun(), key, e.reason(), e.getMessage());
      refuse(key);
    }
  }

  private void refuse(String key) {
    if (records.removeRefused()) {
      store.delete(key);
    }
  }
}
