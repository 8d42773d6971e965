package io.loyalty.recommendations;

import io.loyalty.avro.state.CoPurchases;
import io.loyalty.preferences.BasketItem;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An organization's basket counts over a key-value view: per product its baskets, its repeats and what was bought
 * with it, the most bought products, and the most bought per category. The engine keeps them in a state store; the
 * evaluation in a map.
 */
public final class OrganizationBaskets implements Recommender.BasketStatistics {
  /** Co-purchase entries kept per product, and popular products kept per organization and per category. */
  public static final int NEIGHBOURS_KEPT = 30;
  public static final int POPULAR_KEPT = 20;
  /** A basket's first distinct skus count for co-purchases, so a bulk order costs no more than this squared. */
  public static final int BASKET_SKUS_COUNTED = 20;

  /** Where the counts live. */
  public interface Counts {
    CoPurchases get(String key);

    void put(String key, CoPurchases counts);

    static Counts of(Function<String, CoPurchases> get, BiConsumer<String, CoPurchases> put) {
      return new Counts() {
        @Override
        public CoPurchases get(String key) {
          return get.apply(key);
        }

        @Override
        public void put(String key, CoPurchases counts) {
          put.accept(key, counts);
        }
      };
    }
  }

  private final String organizationId;
  private final Counts counts;

  public OrganizationBaskets(String organizationId, Counts counts) {
    this.organizationId = organizationId;
    this.counts = counts;
  }

  /**
   * One more basket, or (voided) one basket less: a voided sale never happened.
   *
   * @param boughtBefore the basket's products the customer had bought before it: their repeats move too
   */
  public void count(List<BasketItem> items, boolean voided, Set<String> boughtBefore) {
    Set<String> skus = new LinkedHashSet<>();
    Set<String> categories = new LinkedHashSet<>();
    for (BasketItem item : items) {
      if (skus.size() < BASKET_SKUS_COUNTED) {
        skus.add(item.sku());
      }
      if (item.category() != null) {
        categories.add(item.category());
      }
    }
    // Each product's own key counts its baskets exactly; those counts then place it in the popular lists.
    Map<String, Long> baskets = new LinkedHashMap<>();
    for (String sku : skus) {
      Set<String> others = new LinkedHashSet<>(skus);
      others.remove(sku);
      baskets.put(sku, update(boughtWithKey(organizationId, sku), others, voided, boughtBefore.contains(sku)));
    }
    place(popularKey(organizationId), baskets, boughtBefore, voided);
    for (String category : categories) {
      Map<String, Long> inCategory = new LinkedHashMap<>();
      for (BasketItem item : items) {
        if (category.equals(item.category()) && baskets.containsKey(item.sku())) {
          inCategory.put(item.sku(), baskets.get(item.sku()));
        }
      }
      place(popularInKey(organizationId, category), inCategory, boughtBefore, voided);
    }
  }

  @Override
  public CoPurchases boughtWith(String sku) {
    return read(boughtWithKey(organizationId, sku));
  }

  @Override
  public CoPurchases popular() {
    return read(popularKey(organizationId));
  }

  @Override
  public CoPurchases popularIn(String category) {
    return read(popularInKey(organizationId, category));
  }

  private CoPurchases read(String key) {
    CoPurchases found = counts.get(key);
    return found == null ? BasketCounts.empty() : found;
  }

  /** A product's key: one basket more or less, with the others bought with it; returns its baskets now. */
  private long update(String key, Set<String> others, boolean voided, boolean repeat) {
    CoPurchases current = toChange(key, voided);
    if (current == null) {
      return 0;
    }
    if (voided) {
      BasketCounts.uncount(current, others);
    } else {
      BasketCounts.count(current, others, NEIGHBOURS_KEPT);
    }
    if (repeat) {
      current.setRepeats(Math.max(0, current.getRepeats() + (voided ? -1 : 1)));
    }
    counts.put(key, current);
    return current.getBaskets();
  }

  /** A most bought list: its products placed by their exact baskets; its products and repeats counted. */
  private void place(String key, Map<String, Long> baskets, Set<String> boughtBefore, boolean voided) {
    CoPurchases current = toChange(key, voided);
    if (current == null) {
      return;
    }
    BasketCounts.place(current, baskets, voided, POPULAR_KEPT);
    long repeats = baskets.keySet().stream().filter(boughtBefore::contains).count();
    int sign = voided ? -1 : 1;
    current.setProducts(Math.max(0, current.getProducts() + sign * baskets.size()));
    current.setRepeats(Math.max(0, current.getRepeats() + sign * repeats));
    counts.put(key, current);
  }

  /**
   * The counts under a key, new ones for a sale; none (null) for a void of a key never counted: nothing to take
   * back.
   */
  private CoPurchases toChange(String key, boolean voided) {
    CoPurchases current = counts.get(key);
    return current != null || voided ? current : BasketCounts.empty();
  }

  // Keys: an organization id never holds "/" (validated), so organizations never share a key.

  public static String boughtWithKey(String organizationId, String sku) {
    return organizationId + "/p/" + sku;
  }

  public static String popularKey(String organizationId) {
    return organizationId + "/*";
  }

  public static String popularInKey(String organizationId, String category) {
    return organizationId + "/c/" + category;
  }
}
