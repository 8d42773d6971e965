package io.loyalty.demo;

import io.loyalty.avro.ConsumptionMethod;
import io.loyalty.avro.Product;
import io.loyalty.avro.StrainType;
import io.loyalty.avro.TransactionLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A dispensary catalog (flower, pre-rolls, vapes, edibles, drinks, concentrates, tinctures, topicals,
 * accessories; strain types, methods, potency, two medical-only products, one out of stock) and baskets drawn
 * from it by customers with a latent taste: favourite products, a favourite category and strain type, and
 * companions bought together (papers with flower, a battery with a cartridge).
 */
public final class SampleCatalog {
  /** A catalog entry: what the POS line carries plus what only the catalog knows. */
  public record Item(String sku, String name, String category, String brand, String strain, StrainType strainType,
      ConsumptionMethod method, String thc, String cbd, String potencyUnit, BigDecimal price, boolean medicalOnly,
      boolean inStock, String companion) {}

  private static final BigDecimal TEN_PERCENT = new BigDecimal("0.10");

  public static final List<Item> PRODUCTS = List.of(
      item("FL-BD-35", "Blue Dream 3.5g", "flower", "Emerald Valley", "Blue Dream", StrainType.HYBRID, ConsumptionMethod.SMOKE, "21.5", "0.1", "%", "35.00", "AC-PAPER"),
      item("FL-OG-35", "OG Kush 3.5g", "flower", "Emerald Valley", "OG Kush", StrainType.HYBRID, ConsumptionMethod.SMOKE, "24.0", "0.1", "%", "38.00", "AC-GRIND"),
      item("FL-GSC-7", "Girl Scout Cookies 7g", "flower", "Coastal Farms", "GSC", StrainType.HYBRID, ConsumptionMethod.SMOKE, "26.0", "0.2", "%", "62.00", "AC-PAPER"),
      item("FL-SD-14", "Sour Diesel 14g", "flower", "Coastal Farms", "Sour Diesel", StrainType.SATIVA, ConsumptionMethod.SMOKE, "22.0", "0.1", "%", "110.00", "AC-GRIND"),
      item("FL-WW-35", "White Widow 3.5g", "flower", "Highland Growers", "White Widow", StrainType.HYBRID, ConsumptionMethod.SMOKE, "19.0", "0.2", "%", "32.50", "AC-PAPER"),
      item("FL-GDP-35", "Granddaddy Purple 3.5g", "flower", "Highland Growers", "Granddaddy Purple", StrainType.INDICA, ConsumptionMethod.SMOKE, "20.5", "0.1", "%", "36.00", "AC-PAPER"),
      item("FL-NL-35", "Northern Lights 3.5g", "flower", "Emerald Valley", "Northern Lights", StrainType.INDICA, ConsumptionMethod.SMOKE, "18.0", "0.1", "%", "30.00", "AC-PAPER"),
      item("FL-JH-35", "Jack Herer 3.5g", "flower", "Coastal Farms", "Jack Herer", StrainType.SATIVA, ConsumptionMethod.SMOKE, "23.0", "0.1", "%", "40.00", "AC-GRIND"),
      item("FL-DP-35", "Durban Poison 3.5g", "flower", "Highland Growers", "Durban Poison", StrainType.SATIVA, ConsumptionMethod.SMOKE, "21.0", "0.1", "%", "34.00", "AC-PAPER"),
      item("FL-HT-35", "Harlequin 3.5g", "flower", "Calm Botanicals", "Harlequin", StrainType.CBD, ConsumptionMethod.SMOKE, "6.0", "11.0", "%", "30.00", "AC-PAPER"),
      item("PR-GG-1", "Gorilla Glue pre-roll 1g", "pre-roll", "Highland Growers", "Gorilla Glue", StrainType.HYBRID, ConsumptionMethod.SMOKE, "25.0", "0.1", "%", "12.00", null),
      item("PR-JH-5P", "Jack Herer pre-roll 5-pack", "pre-roll", "Emerald Valley", "Jack Herer", StrainType.SATIVA, ConsumptionMethod.SMOKE, "22.0", "0.1", "%", "40.00", null),
      item("PR-NL-1", "Northern Lights pre-roll 1g", "pre-roll", "Emerald Valley", "Northern Lights", StrainType.INDICA, ConsumptionMethod.SMOKE, "18.0", "0.1", "%", "10.00", null),
      item("PR-BD-3P", "Blue Dream pre-roll 3-pack", "pre-roll", "Coastal Farms", "Blue Dream", StrainType.HYBRID, ConsumptionMethod.SMOKE, "21.0", "0.1", "%", "25.00", null),
      item("VP-GDP-05", "Granddaddy Purple cart 0.5g", "vape", "Cloud Nine", "Granddaddy Purple", StrainType.INDICA, ConsumptionMethod.VAPE, "82.0", "0.5", "%", "30.00", "AC-BATT"),
      item("VP-PE-1", "Pineapple Express cart 1g", "vape", "Cloud Nine", "Pineapple Express", StrainType.SATIVA, ConsumptionMethod.VAPE, "85.0", "0.3", "%", "52.00", "AC-BATT"),
      item("VP-BD-1", "Blue Dream cart 1g", "vape", "Cloud Nine", "Blue Dream", StrainType.HYBRID, ConsumptionMethod.VAPE, "84.0", "0.2", "%", "48.00", "AC-BATT"),
      item("VP-SD-DSP", "Sour Diesel disposable 0.3g", "vape", "Puff Labs", "Sour Diesel", StrainType.SATIVA, ConsumptionMethod.VAPE, "80.0", "0.1", "%", "22.00", null),
      item("VP-NL-LR", "Northern Lights live resin cart 0.5g", "vape", "Puff Labs", "Northern Lights", StrainType.INDICA, ConsumptionMethod.VAPE, "78.0", "0.4", "%", "42.00", "AC-BATT"),
      item("VP-CBD-05", "CBD calm cart 0.5g", "vape", "Calm Botanicals", null, StrainType.CBD, ConsumptionMethod.VAPE, "2.0", "70.0", "%", "35.00", "AC-BATT"),
      item("ED-GUM-10", "Watermelon gummies 100mg", "edible", "Sweet Leaf", null, StrainType.HYBRID, ConsumptionMethod.EDIBLE, "100", "0", "mg", "18.00", null),
      item("ED-GUM-SL", "Sleep gummies 100mg", "edible", "Sweet Leaf", null, StrainType.INDICA, ConsumptionMethod.EDIBLE, "100", "20", "mg", "22.00", null),
      item("ED-GUM-EN", "Energy gummies 100mg", "edible", "Sweet Leaf", null, StrainType.SATIVA, ConsumptionMethod.EDIBLE, "100", "0", "mg", "20.00", null),
      item("ED-CHO-10", "Dark chocolate bar 100mg", "edible", "Cocoa Canna", null, StrainType.HYBRID, ConsumptionMethod.EDIBLE, "100", "0", "mg", "22.00", null),
      item("ED-MINT-CBD", "CBD mints 1:1 100mg", "edible", "Cocoa Canna", null, StrainType.CBD, ConsumptionMethod.EDIBLE, "50", "50", "mg", "24.00", null),
      item("BV-LEM-5", "Sparkling lemonade 5mg", "beverage", "Fizz Co", null, StrainType.SATIVA, ConsumptionMethod.DRINK, "5", "0", "mg", "6.50", "BV-TEA-10"),
      item("BV-TEA-10", "Iced tea 10mg", "beverage", "Fizz Co", null, StrainType.HYBRID, ConsumptionMethod.DRINK, "10", "0", "mg", "7.50", null),
      item("CO-LR-1", "Live resin 1g", "concentrate", "Alpine Extracts", "Wedding Cake", StrainType.HYBRID, ConsumptionMethod.CONCENTRATE, "76.0", "0.2", "%", "45.00", null),
      item("CO-SH-1", "Shatter 1g", "concentrate", "Alpine Extracts", "Durban Poison", StrainType.SATIVA, ConsumptionMethod.CONCENTRATE, "80.0", "0.1", "%", "28.00", null),
      item("CO-RO-1", "Rosin 1g", "concentrate", "Alpine Extracts", "Gelato", StrainType.INDICA, ConsumptionMethod.CONCENTRATE, "72.0", "0.2", "%", "60.00", null),
      item("TI-CBD-30", "CBD tincture 30ml", "tincture", "Calm Botanicals", null, StrainType.CBD, ConsumptionMethod.TINCTURE, "10", "1000", "mg", "48.00", null),
      item("TI-RSO-1", "RSO syringe 1g", "tincture", "Calm Botanicals", null, StrainType.INDICA, ConsumptionMethod.TINCTURE, "700", "10", "mg", "55.00", null),
      item("TO-BALM-2", "Relief balm 2oz", "topical", "Calm Botanicals", null, StrainType.CBD, ConsumptionMethod.TOPICAL, "50", "500", "mg", "26.00", null),
      item("TO-LOT-4", "Cooling lotion 4oz", "topical", "Calm Botanicals", null, StrainType.CBD, ConsumptionMethod.TOPICAL, "25", "250", "mg", "32.00", null),
      item("AC-GRIND", "Aluminium grinder", "accessory", "Stash House", null, null, ConsumptionMethod.OTHER, null, null, null, "15.99", null),
      item("AC-PAPER", "Rolling papers", "accessory", "Stash House", null, null, ConsumptionMethod.OTHER, null, null, null, "2.49", null),
      item("AC-BATT", "510 battery", "accessory", "Puff Labs", null, null, ConsumptionMethod.OTHER, null, null, null, "19.99", null),
      item("AC-LIGHT", "Lighter", "accessory", "Stash House", null, null, ConsumptionMethod.OTHER, null, null, null, "1.99", null));

  /** Medical-only (a registered patient's high-potency RSO) and out of stock: never recommended to whom they may not go. */
  static final String MEDICAL_ONLY = "TI-RSO-1";
  static final String OUT_OF_STOCK = "FL-SD-14";

  private SampleCatalog() {}

  /** The catalog as an organization publishes it to loyalty.products. */
  public static List<Product> products(String organizationId, Instant at) {
    List<Product> products = new ArrayList<>();
    for (Item item : PRODUCTS) {
      products.add(Product.newBuilder().setOrganizationId(organizationId).setSku(item.sku()).setName(item.name())
          .setCategory(item.category()).setBrand(item.brand()).setStrain(item.strain()).setStrainType(item.strainType())
          .setConsumptionMethod(item.method()).setThc(potency(item.thc())).setCbd(potency(item.cbd()))
          .setPotencyUnit(item.potencyUnit()).setPrice(item.price()).setMedicalOnly(item.medicalOnly())
          .setInStock(item.inStock()).setUpdatedAt(at).build());
    }
    return products;
  }

  /**
   * A customer's latent taste, drawn from their id alone (the same customer has the same taste in every run and
   * every generator): three favourite products, a favourite category and a favourite strain type.
   */
  public record Taste(List<Item> favourites, String category, StrainType strainType) {
    public static Taste of(long seed, String customerId) {
      Random random = new Random(seed * 31 + customerId.hashCode());
      String category = CATEGORIES.get(Math.min(CATEGORIES.size() - 1, (int) (Math.pow(random.nextDouble(), 1.6) * CATEGORIES.size())));
      StrainType strainType = StrainType.values()[random.nextInt(StrainType.values().length)];
      List<Item> candidates = PRODUCTS.stream().filter(item -> item.category().equals(category)
          && (item.strainType() == strainType || random.nextInt(3) == 0)).toList();
      List<Item> pool = candidates.isEmpty() ? PRODUCTS.stream().filter(item -> item.category().equals(category)).toList() : candidates;
      List<Item> favourites = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        favourites.add(random.nextInt(4) == 0 ? PRODUCTS.get(random.nextInt(PRODUCTS.size())) : pool.get(random.nextInt(pool.size())));
      }
      return new Taste(favourites, category, strainType);
    }
  }

  /** Categories from the most to the least common favourite. */
  private static final List<String> CATEGORIES = List.of("flower", "vape", "edible", "pre-roll", "concentrate", "beverage",
      "tincture", "topical");

  /** A basket's lines and its totals before tax and redemptions. */
  public record Basket(List<TransactionLine> lines, BigDecimal subtotal, BigDecimal discounts) {}

  /**
   * One to four lines of one to three units, half of them a favourite product, a fifth from the favourite
   * category or strain type, the rest anything; a product's companion joins its basket a third of the time.
   * 30% of lines carry a 10% line discount, and 10% of baskets over $25 a $5 order discount.
   */
  public static Basket basket(Random random, Taste taste) {
    List<Item> chosen = new ArrayList<>();
    int lineCount = 1 + random.nextInt(4);
    for (int l = 0; l < lineCount; l++) {
      double roll = random.nextDouble();
      Item item;
      if (roll < 0.5) {
        item = taste.favourites().get(Math.min(2, (int) (Math.pow(random.nextDouble(), 2) * 3)));
      } else if (roll < 0.7) {
        List<Item> liked = PRODUCTS.stream().filter(p -> p.category().equals(taste.category()) || p.strainType() == taste.strainType()).toList();
        item = liked.get(random.nextInt(liked.size()));
      } else {
        item = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
      }
      add(chosen, item);
      if (item.companion() != null && random.nextInt(3) == 0) {
        add(chosen, bySku(item.companion()));
      }
    }
    List<TransactionLine> lines = new ArrayList<>();
    BigDecimal subtotal = BigDecimal.ZERO;
    BigDecimal discounts = BigDecimal.ZERO;
    for (Item product : chosen) {
      BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(3)).setScale(3);
      BigDecimal gross = quantity.multiply(product.price()).setScale(2, RoundingMode.HALF_UP);
      BigDecimal discount = random.nextDouble() < 0.3 ? gross.multiply(TEN_PERCENT).setScale(2, RoundingMode.HALF_UP)
          : new BigDecimal("0.00");
      lines.add(new TransactionLine("L" + (lines.size() + 1), product.sku(), product.name(), product.category(), product.brand(),
          product.strain(), quantity, product.price(), discount, null));
      subtotal = subtotal.add(gross);
      discounts = discounts.add(discount);
    }
    if (random.nextDouble() < 0.1 && subtotal.subtract(discounts).compareTo(new BigDecimal("25")) > 0) {
      discounts = discounts.add(new BigDecimal("5.00"));
    }
    return new Basket(lines, subtotal, discounts);
  }

  /** A basket of an anonymous customer: any products. */
  public static Basket basket(Random random) {
    return basket(random, new Taste(List.of(PRODUCTS.get(random.nextInt(PRODUCTS.size())),
        PRODUCTS.get(random.nextInt(PRODUCTS.size())), PRODUCTS.get(random.nextInt(PRODUCTS.size()))),
        PRODUCTS.get(random.nextInt(PRODUCTS.size())).category(), StrainType.HYBRID));
  }

  /** A product appears once per basket: the POS puts more units on its line. */
  private static void add(List<Item> chosen, Item item) {
    if (!chosen.contains(item)) {
      chosen.add(item);
    }
  }

  private static Item bySku(String sku) {
    return PRODUCTS.stream().filter(item -> item.sku().equals(sku)).findFirst().orElseThrow();
  }

  private static BigDecimal potency(String value) {
    return value == null ? null : new BigDecimal(value).setScale(3);
  }

  private static Item item(String sku, String name, String category, String brand, String strain, StrainType strainType,
      ConsumptionMethod method, String thc, String cbd, String unit, String price, String companion) {
    return new Item(sku, name, category, brand, strain, strainType, method, thc, cbd, unit, new BigDecimal(price),
        sku.equals(MEDICAL_ONLY), !sku.equals(OUT_OF_STOCK), companion);
  }
}
