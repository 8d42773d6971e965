package io.loyalty.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Loads loyalty.contact-index into the global contact-index-store on every instance; a tombstone removes its key. */
final class ContactIndexLoader implements Processor<byte[], byte[], Void, Void> {
  private KeyValueStore<String, byte[]> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(LoyaltyTopology.CONTACT_INDEX_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      store.delete(key);
    } else {
      store.put(key, record.value());
    }
  }
}
