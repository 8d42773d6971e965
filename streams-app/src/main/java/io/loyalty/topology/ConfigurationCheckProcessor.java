package io.loyalty.topology;

import io.loyalty.avro.Rejection;
import io.loyalty.serde.DecodeException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Rejects every configuration record its global store refuses (bytes that do not decode, a key that is not the
 * record's, a field out of range), so the operator sees it on the rejections topic and in a metric, not only in
 * a log. It applies the same checks as {@link ConfigurationLoader}. A tombstone removes a record: nothing to check.
 */
final class ConfigurationCheckProcessor<T extends SpecificRecord> extends RejectingProcessor<byte[], byte[]> {
  private final ConfigurationRecords<T> records;
  private EngineCounter refused;

  ConfigurationCheckProcessor(ConfigurationRecords<T> records, Output<Rejection> rejections) {
    super(rejections);
    this.records = records;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    refused = new EngineCounter(context.metrics(), records.metric(), records.metricDescription());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    try {
      T value = records.codec().decode(record.value());
      records.check().apply(key, value).ifPresent(violation -> {
        refused.increment();
        reject(record, record.key(), record.value(), violation.reason(), violation.message(), null,
            records.organization().apply(value));
      });
    } catch (DecodeException e) {
      refused.increment();
      reject(record, record.key(), record.value(), e.reason(), records.noun() + " record keyed '" + key + "' "
          + records.refused() + ": " + e.getMessage(), null, null);
    }
  }
}
