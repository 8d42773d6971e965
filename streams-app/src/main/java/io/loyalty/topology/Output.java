package io.loyalty.topology;

import io.loyalty.serde.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Record;

/**
 * An output topic as processors write it: a record is encoded when it is produced, not at the sink, so one
 * that cannot be encoded fails its input while nothing of that input has been sent.
 */
record Output<T extends SpecificRecord>(String sink, String topic, AvroCodec<T> codec) {
  Record<Object, Object> record(Object key, T value, long timestamp) {
    return new Record<>(key, codec.encode(topic, value), timestamp);
  }
}
