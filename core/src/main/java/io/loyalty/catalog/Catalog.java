package io.loyalty.catalog;

import io.loyalty.avro.Product;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The organization's products as the engine knows them (topic loyalty.products). */
@FunctionalInterface
public interface Catalog {
  Catalog EMPTY = (organizationId, sku) -> Optional.empty();

  Optional<Product> product(String organizationId, String sku);

  /** This catalog with every answer kept: for the lookups of one input, which ask for the same products often. */
  default Catalog memoized() {
    Map<String, Optional<Product>> answers = new HashMap<>();
    return (organizationId, sku) -> answers.computeIfAbsent(organizationId + "/" + sku, key -> product(organizationId, sku));
  }
}
