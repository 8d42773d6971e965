package io.loyalty.catalog;

import io.loyalty.avro.Product;
import io.loyalty.avro.RejectionReason;
import io.loyalty.intake.Violation;
import java.math.BigDecimal;
import java.util.Optional;

/** What a catalog record must be for the engine to use it; the reason names the field, never its value. */
public final class ProductChecks {
  private static final BigDecimal MAXIMUM_PRICE = new BigDecimal("1000000");

  private ProductChecks() {}

  /** The key every catalog record is published under. */
  public static String key(String organizationId, String sku) {
    return organizationId + "/" + sku;
  }

  public static Optional<Violation> problem(String key, Product product) {
    if (!key.equals(key(product.getOrganizationId(), product.getSku()))) {
      return Optional.of(new Violation(RejectionReason.KEY_MISMATCH, "catalog record key does not match organizationId/sku of the product"));
    }
    if (product.getSku().isBlank() || product.getName().isBlank() || product.getCategory().isBlank()) {
      return invalid("sku, name and category must not be blank");
    }
    if (product.getPrice().signum() < 0 || product.getPrice().compareTo(MAXIMUM_PRICE) > 0) {
      return invalid("price must be between 0 and " + MAXIMUM_PRICE);
    }
    if (negative(product.getThc()) || negative(product.getCbd())) {
      return invalid("thc and cbd must not be negative");
    }
    return Optional.empty();
  }

  private static Optional<Violation> invalid(String message) {
    return Optional.of(new Violation(RejectionReason.INVALID_FIELD, "catalog record: " + message));
  }

  private static boolean negative(BigDecimal value) {
    return value != null && value.signum() < 0;
  }
}
