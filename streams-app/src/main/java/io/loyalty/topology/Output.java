package io.loyalty.topology;

import io.loyalty.runtime.EngineMeters;
import io.loyalty.serde.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * An output topic as processors write it: a record is encoded when it is produced, not at the sink, so one
 * that cannot be encoded fails its input while nothing of that input has been sent. What is sent is counted
 * for the operator ({@link EngineMeters}).
 */
record Output<T extends SpecificRecord>(String sink, String topic, AvroCodec<T> codec, EngineMeters meters) {
  Record<Object, Object> record(Object key, T value, long timestamp) {
    return new Record<>(key, codec.encode(topic, value), timestamp);
  }

  /** Encodes and sends at once: for processors whose outputs need no holding (see {@link Outbox}). */
  void send(ProcessorContext<Object, Object> context, Object key, T value, long timestamp) {
    context.forward(record(key, value, timestamp), sink);
    sent(value);
  }

  void sent(T value) {
    meters.produced(value);
  }
}
