package io.loyalty.recommendations;

import io.loyalty.avro.state.BasketCount;
import io.loyalty.avro.state.CoPurchases;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Bounded basket counts (Space-Saving, Metwally et al. 2005): a list of at most {@code capacity} products with
 * the number of baskets that held each. A product not in a full list replaces the one with the smallest count
 * and starts from that count plus one, remembering the inherited part as its overestimate; every product
 * bought more often than baskets / capacity is guaranteed to be in the list. Cost per update: the list's size.
 */
public final class BasketCounts {
  private static final Comparator<BasketCount> BY_COUNT = Comparator.comparingLong(BasketCount::getCount).reversed()
      .thenComparing(BasketCount::getSku);

  private BasketCounts() {}

  public static CoPurchases empty() {
    return new CoPurchases(0L, 0L, 0L, new ArrayList<>());
  }

  /**
   * One more basket under this key, holding {@code skus} (distinct; the key's own product already left out). The
   * list stays ordered by {@link #BY_COUNT}: a changed entry moves up past the ones it now outranks, so an update
   * costs a pass over the list, not a sort.
   */
  public static void count(CoPurchases counts, Collection<String> skus, int capacity) {
    counts.setBaskets(counts.getBaskets() + 1);
    List<BasketCount> entries = counts.getEntries();
    for (String sku : skus) {
      int found = indexOf(entries, sku);
      if (found >= 0) {
        entries.get(found).setCount(entries.get(found).getCount() + 1);
      } else if (entries.size() < capacity) {
        entries.add(new BasketCount(sku, 1L, 0L));
        found = entries.size() - 1;
      } else {
        found = entries.size() - 1;
        long smallest = entries.get(found).getCount();
        entries.set(found, new BasketCount(sku, smallest + 1, smallest));
      }
      for (; found > 0 && BY_COUNT.compare(entries.get(found), entries.get(found - 1)) < 0; found--) {
        BasketCount moved = entries.get(found);
        entries.set(found, entries.get(found - 1));
        entries.set(found - 1, moved);
      }
    }
  }

  /** A voided basket never happened: it leaves the counts (an entry it had replaced stays replaced). */
  public static void uncount(CoPurchases counts, Collection<String> skus) {
    counts.setBaskets(Math.max(0, counts.getBaskets() - 1));
    List<BasketCount> entries = new ArrayList<>();
    for (BasketCount entry : counts.getEntries()) {
      long count = skus.contains(entry.getSku()) ? entry.getCount() - 1 : entry.getCount();
      if (count > 0) {
        entries.add(new BasketCount(entry.getSku(), count, Math.min(entry.getOverestimate(), count)));
      }
    }
    entries.sort(BY_COUNT);
    counts.setEntries(entries);
  }

  /**
   * A top list kept from exact counts: each product of a basket (or of a voided one) brings its exact number of
   * baskets, read from its own key; it takes or keeps its place when that number reaches the list, which then holds
   * the most bought products exactly (Space-Saving's overestimates put whatever was bought last near the top of a
   * list far shorter than the catalogue). A void lowers an entry to its count; a product outside the list that now
   * outranks it takes its place when next bought. Cost per basket: the list's size for each product.
   */
  public static void place(CoPurchases list, Map<String, Long> baskets, boolean voided, int capacity) {
    list.setBaskets(Math.max(0, list.getBaskets() + (voided ? -1 : 1)));
    List<BasketCount> entries = list.getEntries();
    // A list kept by Space-Saving before (schema version 2) keeps what its counts guarantee, the rest is inherited.
    if (entries.stream().anyMatch(entry -> entry.getOverestimate() > 0)) {
      for (BasketCount entry : entries) {
        entry.setCount(entry.getCount() - entry.getOverestimate());
        entry.setOverestimate(0L);
      }
      entries.sort(BY_COUNT);
    }
    baskets.forEach((sku, count) -> {
      int found = indexOf(entries, sku);
      if (found >= 0) {
        entries.get(found).setCount(count);
      } else if (entries.size() < capacity) {
        entries.add(new BasketCount(sku, count, 0L));
      } else if (BY_COUNT.compare(new BasketCount(sku, count, 0L), entries.get(entries.size() - 1)) < 0) {
        entries.set(entries.size() - 1, new BasketCount(sku, count, 0L));
      }
      entries.sort(BY_COUNT);
    });
    entries.removeIf(entry -> entry.getCount() <= 0);
  }

  private static int indexOf(List<BasketCount> entries, String sku) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).getSku().equals(sku)) {
        return i;
      }
    }
    return -1;
  }
}
