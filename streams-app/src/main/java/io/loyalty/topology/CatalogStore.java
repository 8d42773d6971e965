package io.loyalty.topology;

import io.loyalty.avro.Product;
import io.loyalty.catalog.Catalog;
import io.loyalty.catalog.ProductChecks;
import io.loyalty.intake.Violation;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global products store, read by the account path. Like the programs store it may be restored straight
 * from the topic, bypassing {@link ConfigurationLoader}, so records are decoded and checked when read (once per
 * version, then cached per task) and one that fails is treated as unknown.
 */
final class CatalogStore implements Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogStore.class);

  private final ReadOnlyKeyValueStore<String, byte[]> store;
  private final AvroCodec<Product> codec;
  private final Map<String, Cached> decoded = new HashMap<>();

  private record Cached(byte[] raw, Optional<Product> product) {}

  CatalogStore(ReadOnlyKeyValueStore<String, byte[]> store, AvroCodec<Product> codec) {
    this.store = store;
    this.codec = codec;
  }

  @Override
  public Optional<Product> product(String organizationId, String sku) {
    String key = ProductChecks.key(organizationId, sku);
    byte[] raw = store.get(key);
    if (raw == null) {
      decoded.remove(key);
      return Optional.empty();
    }
    Cached cached = decoded.get(key);
    if (cached == null || !(cached.raw() == raw || Arrays.equals(cached.raw(), raw))) {
      cached = new Cached(raw, decode(key, raw));
      decoded.put(key, cached);
    }
    return cached.product();
  }

  private Optional<Product> decode(String key, byte[] raw) {
    try {
      Product product = codec.decode(raw);
      Optional<Violation> problem = ProductChecks.problem(key, product);
      problem.ifPresent(violation -> LOG.warn("catalog record {} ignored: {}", key, violation.message()));
      return problem.isPresent() ? Optional.empty() : Optional.of(product);
    } catch (DecodeException e) {
      LOG.warn("catalog record {} does not decode ({}); ignored", key, e.getMessage());
      return Optional.empty();
    }
  }
}
