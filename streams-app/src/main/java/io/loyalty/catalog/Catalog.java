package io.loyalty.catalog;

import io.loyalty.avro.Product;
import java.util.Optional;

/** The organization's products as the engine knows them (topic loyalty.products). */
@FunctionalInterface
public interface Catalog {
  Catalog EMPTY = (organizationId, sku) -> Optional.empty();

  Optional<Product> product(String organizationId, String sku);
}
