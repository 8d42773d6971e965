package io.loyalty.topology;

import io.loyalty.avro.Product;
import io.loyalty.catalog.ProductChecks;
import io.loyalty.intake.Violation;
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
 * Keeps the global products store: the latest valid record per {@code organizationId/sku}, a tombstone removes
 * it. A record that does not decode or fails its checks is logged (catalog data holds no personal data) and
 * left out; the product it would have replaced is removed too, so the engine never recommends what the
 * catalog tried to change.
 */
final class ProductLoader implements Processor<byte[], byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ProductLoader.class);

  private final AvroCodec<Product> codec;
  private KeyValueStore<String, byte[]> store;

  ProductLoader(AvroCodec<Product> codec) {
    this.codec = codec;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(LoyaltyTopology.PRODUCTS_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      store.delete(key);
      return;
    }
    try {
      Optional<Violation> problem = ProductChecks.problem(key, codec.decode(record.value()));
      if (problem.isPresent()) {
        LOG.warn("catalog record {} ignored: {}", key, problem.get().message());
        store.delete(key);
        return;
      }
      store.put(key, record.value());
    } catch (DecodeException e) {
      LOG.warn("catalog record {} does not decode ({}); ignored", key, e.getMessage());
      store.delete(key);
    }
  }
}
