package io.loyalty.bench;

import io.loyalty.avro.TransactionEvent;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The benchmark's limit: what the same broker, partitions, serde and exactly-once settings allow with no
 * loyalty logic. Each transaction is decoded and written out re-encoded; undecodable bytes pass as they are.
 */
final class PassThroughTopology {
  private PassThroughTopology() {}

  static Topology build(String input, String output, AvroCodec<TransactionEvent> codec) {
    Topology topology = new Topology();
    topology.addSource("passthrough-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
    topology.addProcessor("passthrough-recode", () -> new Recode(codec, output), "passthrough-source");
    topology.addSink("passthrough-sink", output, new ByteArraySerializer(), new ByteArraySerializer(), "passthrough-recode");
    return topology;
  }

  private static final class Recode implements Processor<byte[], byte[], byte[], byte[]> {
    private final AvroCodec<TransactionEvent> codec;
    private final String topic;
    private ProcessorContext<byte[], byte[]> context;

    Recode(AvroCodec<TransactionEvent> codec, String topic) {
      this.codec = codec;
      this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      byte[] value;
      try {
        value = codec.encode(topic, codec.decode(record.value()));
      } catch (DecodeException e) {
        value = record.value();
      }
      context.forward(record.withValue(value));
    }
  }
}
