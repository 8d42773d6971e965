package io.loyalty.preferences;

import io.loyalty.avro.Product;
import io.loyalty.avro.TransactionLine;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * One product of a basket as preferences count it: what the POS line says, completed by the catalog (which
 * alone knows strain type and consumption method), and the share of the line counted (1 for a purchase, the
 * part taken back for a return or void).
 *
 * @param strainType INDICA, SATIVA, HYBRID or CBD, or null
 * @param method consumption method, or null when neither the catalog nor the category tells it
 */
public record BasketItem(String sku, String category, String brand, String strain, String strainType, String method,
    String priceBand, double share) {

  /** The catalog's values win over the line's: the POS may carry stale or free-typed names. */
  public static BasketItem of(TransactionLine line, Product product, double share) {
    String category = product != null ? product.getCategory() : line.getCategory();
    return new BasketItem(line.getSku(),
        normalized(category),
        product != null && product.getBrand() != null ? product.getBrand() : line.getBrand(),
        product != null && product.getStrain() != null ? product.getStrain() : line.getStrain(),
        product != null && product.getStrainType() != null ? product.getStrainType().name() : null,
        product != null ? product.getConsumptionMethod().name() : methodOf(normalized(category)),
        PriceBand.of(product != null ? product.getPrice() : line.getUnitPrice()),
        share);
  }

  /** An item known only by its sku (a line of a purchase record, voided without lines): the catalog or nothing. */
  public static BasketItem of(String sku, Product product, double share) {
    if (product == null) {
      return new BasketItem(sku, null, null, null, null, null, null, share);
    }
    return new BasketItem(sku, normalized(product.getCategory()), product.getBrand(), product.getStrain(),
        product.getStrainType() == null ? null : product.getStrainType().name(), product.getConsumptionMethod().name(),
        PriceBand.of(product.getPrice()), share);
  }

  private static String normalized(String category) {
    return category == null || category.isBlank() ? null : category.trim().toLowerCase(Locale.ROOT);
  }

  /** For skus the catalog does not know, the categories every dispensary menu uses tell the method. */
  static String methodOf(String category) {
    if (category == null) {
      return null;
    }
    return switch (category) {
      case "flower", "pre-roll", "preroll", "pre-rolls" -> "SMOKE";
      case "vape", "vapes", "cartridge", "cartridges" -> "VAPE";
      case "edible", "edibles" -> "EDIBLE";
      case "beverage", "beverages", "drink", "drinks" -> "DRINK";
      case "tincture", "tinctures" -> "TINCTURE";
      case "topical", "topicals" -> "TOPICAL";
      case "concentrate", "concentrates", "extract", "extracts" -> "CONCENTRATE";
      default -> null;
    };
  }

  /** Unit price bands a budtender talks in. */
  public static final class PriceBand {
    private static final BigDecimal TWENTY = BigDecimal.valueOf(20);
    private static final BigDecimal FORTY = BigDecimal.valueOf(40);
    private static final BigDecimal EIGHTY = BigDecimal.valueOf(80);

    private PriceBand() {}

    public static String of(BigDecimal unitPrice) {
      if (unitPrice == null) {
        return null;
      }
      if (unitPrice.compareTo(TWENTY) < 0) {
        return "under-20";
      }
      if (unitPrice.compareTo(FORTY) < 0) {
        return "20-40";
      }
      return unitPrice.compareTo(EIGHTY) < 0 ? "40-80" : "80-plus";
    }
  }
}
