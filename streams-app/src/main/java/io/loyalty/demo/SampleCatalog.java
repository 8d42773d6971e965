package io.loyalty.demo;

import io.loyalty.avro.TransactionLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A dispensary catalog: products with category, brand, strain and shelf price, and baskets drawn from it. */
public final class SampleCatalog {
  record Product(String sku, String name, String category, String brand, String strain, BigDecimal price) {}

  private static final BigDecimal TEN_PERCENT = new BigDecimal("0.10");

  static final List<Product> PRODUCTS = List.of(
      product("FL-BD-35", "Blue Dream 3.5g", "flower", "Emerald Valley", "Blue Dream", "35.00"),
      product("FL-OG-35", "OG Kush 3.5g", "flower", "Emerald Valley", "OG Kush", "38.00"),
      product("FL-GSC-7", "Girl Scout Cookies 7g", "flower", "Coastal Farms", "GSC", "62.00"),
      product("FL-SD-14", "Sour Diesel 14g", "flower", "Coastal Farms", "Sour Diesel", "110.00"),
      product("FL-WW-35", "White Widow 3.5g", "flower", "Highland Growers", "White Widow", "32.50"),
      product("PR-GG-1", "Gorilla Glue pre-roll 1g", "pre-roll", "Highland Growers", "Gorilla Glue", "12.00"),
      product("PR-JH-5P", "Jack Herer pre-roll 5-pack", "pre-roll", "Emerald Valley", "Jack Herer", "40.00"),
      product("VP-GDP-05", "Granddaddy Purple cart 0.5g", "vape", "Cloud Nine", "Granddaddy Purple", "30.00"),
      product("VP-PE-1", "Pineapple Express cart 1g", "vape", "Cloud Nine", "Pineapple Express", "52.00"),
      product("ED-GUM-10", "Watermelon gummies 100mg", "edible", "Sweet Leaf", null, "18.00"),
      product("ED-CHO-10", "Dark chocolate bar 100mg", "edible", "Sweet Leaf", null, "22.00"),
      product("ED-BEV-5", "Sparkling lemonade 5mg", "edible", "Fizz Co", null, "6.50"),
      product("CO-LR-1", "Live resin 1g", "concentrate", "Alpine Extracts", "Wedding Cake", "45.00"),
      product("CO-SH-1", "Shatter 1g", "concentrate", "Alpine Extracts", "Durban Poison", "28.00"),
      product("TI-CBD-30", "CBD tincture 30ml", "tincture", "Calm Botanicals", null, "48.00"),
      product("TO-BALM-2", "Relief balm 2oz", "topical", "Calm Botanicals", null, "26.00"),
      product("AC-GRIND", "Aluminium grinder", "accessory", "Stash House", null, "15.99"),
      product("AC-PAPER", "Rolling papers", "accessory", "Stash House", null, "2.49"));

  private SampleCatalog() {}

  /** A basket's lines and its totals before tax and redemptions. */
  public record Basket(List<TransactionLine> lines, BigDecimal subtotal, BigDecimal discounts) {}

  /**
   * One to four lines of one to three units; 30% of lines carry a 10% line discount, and 10% of baskets over
   * $25 a $5 order discount.
   */
  public static Basket basket(Random random) {
    List<TransactionLine> lines = new ArrayList<>();
    BigDecimal subtotal = BigDecimal.ZERO;
    BigDecimal discounts = BigDecimal.ZERO;
    int lineCount = 1 + random.nextInt(4);
    for (int l = 0; l < lineCount; l++) {
      Product product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
      BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(3)).setScale(3);
      BigDecimal gross = quantity.multiply(product.price()).setScale(2, RoundingMode.HALF_UP);
      BigDecimal discount = random.nextDouble() < 0.3 ? gross.multiply(TEN_PERCENT).setScale(2, RoundingMode.HALF_UP)
          : new BigDecimal("0.00");
      lines.add(new TransactionLine("L" + (l + 1), product.sku(), product.name(), product.category(), product.brand(),
          product.strain(), quantity, product.price(), discount));
      subtotal = subtotal.add(gross);
      discounts = discounts.add(discount);
    }
    if (random.nextDouble() < 0.1 && subtotal.subtract(discounts).compareTo(new BigDecimal("25")) > 0) {
      discounts = discounts.add(new BigDecimal("5.00"));
    }
    return new Basket(lines, subtotal, discounts);
  }

  private static Product product(String sku, String name, String category, String brand, String strain, String price) {
    return new Product(sku, name, category, brand, strain, new BigDecimal(price));
  }
}
