package io.loyalty.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** The output records of one input, encoded and held until the input has been processed without error. */
final class Outbox {
  private record Pending(Record<Object, Object> record, String sink, String topic, Runnable sent) {}

  /** A record as it will be sent: its topic, its key (text or raw bytes) and its encoded value (null: a tombstone). */
  interface Visitor {
    void visit(String topic, Object key, byte[] value);
  }

  private static final Runnable NOTHING_TO_COUNT = () -> { };

  private final List<Pending> pending = new ArrayList<>();

  <T extends SpecificRecord> void add(Output<T> output, Object key, T value, long timestamp) {
    pending.add(new Pending(output.record(key, value, timestamp), output.sink(), output.topic(), () -> output.sent(value)));
  }

  /** A tombstone: the key's latest value on a compacted topic is removed. */
  void delete(Output<?> output, Object key, long timestamp) {
    pending.add(new Pending(new Record<>(key, null, timestamp), output.sink(), output.topic(), NOTHING_TO_COUNT));
  }

  /** Each pending record, in the order they will be sent. */
  void forEachPending(Visitor visitor) {
    for (Pending output : pending) {
      visitor.visit(output.topic(), output.record().key(), (byte[]) output.record().value());
    }
  }

  /** Whether every pending record goes to this topic (true when there are none). */
  boolean holdsOnly(String topic) {
    return pending.stream().allMatch(output -> output.topic().equals(topic));
  }

  void send(ProcessorContext<Object, Object> context) {
    for (Pending output : pending) {
      context.forward(output.record(), output.sink());
      output.sent().run();
    }
    pending.clear();
  }

  void discard() {
    pending.clear();
  }
}
