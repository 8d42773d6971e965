package io.loyalty.recommendations;

import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.BasketCount;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.Recommendation;
import io.loyalty.avro.state.RecommendationBasis;
import io.loyalty.preferences.PreferenceRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Ranks products for one customer. "A next basket recommendation reality check" (Li et al., TOIS 2023) finds that
 * the products a customer bought before carry most of what can be predicted, and that the simple personal
 * frequency filled with popularity (GP-TopFreq) is hard to beat; TIFU-KNN (Hu et al., SIGIR 2020) adds time decay
 * and what neighbours buy. Here every candidate gets its expected share of the customer's next basket:
 * <ul>
 *   <li>the customer's own products (repeat): their time-decayed basket frequency plus a prior from the store,
 *   {@link #REPEAT_PRIOR} baskets' worth of the product's repeat share (how often its buyers buy it again, with one
 *   basket at the store's mean imagined: products people restock rank above one-offs bought as often) and
 *   {@link #POPULARITY_PRIOR} baskets' worth of its share of the store's baskets, over the customer's baskets;</li>
 *   <li>products new to them (explore): their popularity, the share of the store's baskets that held them or, for the
 *   most bought in the customer's favourite categories, the share of the category's baskets times the share of the
 *   customer's baskets that held the category, whichever is higher (the lists are kept exactly); plus
 *   {@link #CO_PURCHASE_WEIGHT} of the share of baskets that held them among those holding the customer's products
 *   (item-to-item co-purchase).</li>
 * </ul>
 * Own products come first; at most {@code exploreSlots} new products come before an own one they outscore. Equal
 * scores by popularity in the store. Only products the caller allows are ranked (active, in stock, allowed to this
 * customer). Cost: bounded by the kept affinities and lists, never by the history.
 */
public final class Recommender {
  /** Baskets' worth of a product's repeat share in the store added to the customer's own frequency of it. */
  static final double REPEAT_PRIOR = 2;
  /**
   * Baskets' worth of a product's share of the store's baskets added to the customer's own frequency of it: among
   * products a short history cannot tell apart (each bought once), the ones everybody buys come back most.
   */
  static final double POPULARITY_PRIOR = 20;
  /** Weight of the co-purchase share against the store share in a new product's score. */
  static final double CO_PURCHASE_WEIGHT = 0.2;
  /** The customer's products whose co-purchases are read. */
  static final int NEIGHBOUR_SOURCES = 8;
  /** Products read from each source's co-purchase list, most bought first. */
  static final int NEIGHBOURS_READ = 10;
  /** Preferred categories whose most bought products are candidates. */
  static final int FAVOURITE_CATEGORIES = 2;

  /** Highest score first; equal scores by popularity in the store, then by sku, so every run ranks alike. */
  private static final Comparator<Scored> BY_SCORE = Comparator.<Scored>comparingDouble(candidate -> candidate.score).reversed()
      .thenComparing(Comparator.<Scored>comparingLong(candidate -> candidate.baskets).reversed())
      .thenComparing(candidate -> candidate.sku);

  /** Basket statistics of the customer's organization. */
  public interface BasketStatistics {
    CoPurchases boughtWith(String sku);

    CoPurchases popular();

    CoPurchases popularIn(String category);
  }

  private Recommender() {}

  public static List<Recommendation> rank(CustomerPreferences preferences, BasketStatistics statistics,
      Predicate<String> recommendable, int count, int exploreSlots) {
    if (count <= 0) {
      return List.of();
    }
    CoPurchases popular = statistics.popular();
    double storeBaskets = Math.max(1, popular.getBaskets());
    double meanRepeatShare = popular.getRepeats() / (double) Math.max(1, popular.getProducts());
    List<Affinity> own = preferences.getProducts();
    Map<String, Scored> scored = new HashMap<>(4 * (own.size() + NEIGHBOUR_SOURCES * NEIGHBOURS_READ));
    long total = 0;
    for (Affinity affinity : own) {
      total += affinity.getWeight();
    }
    if (total > 0) {
      double visits = Math.max(1, preferences.getVisits());
      // Each of the customer's products' co-purchase list read once: its baskets and repeats are the product's
      // popularity and repeat share, and the first ones' entries are the neighbours.
      for (int i = 0; i < own.size(); i++) {
        Affinity affinity = own.get(i);
        CoPurchases with = statistics.boughtWith(affinity.getKey());
        Scored candidate = new Scored(affinity.getKey(), RecommendationBasis.BUY_AGAIN, null);
        // The repeat share with one basket at the store's mean imagined, so a product seen once is not certain and
        // a rare one leans on what the store's products do.
        double repeatShare = (with.getRepeats() + meanRepeatShare) / (with.getBaskets() + 1);
        candidate.score = (affinity.getWeight() / PreferenceRules.WEIGHT_UNIT + REPEAT_PRIOR * repeatShare
            + POPULARITY_PRIOR * with.getBaskets() / storeBaskets) / (visits + REPEAT_PRIOR + POPULARITY_PRIOR);
        candidate.baskets = with.getBaskets();
        scored.put(candidate.sku, candidate);
        if (i < NEIGHBOUR_SOURCES) {
          addNeighbours(scored, affinity, total, with);
        }
      }
    }
    addPopular(scored, popular, 1 / storeBaskets, RecommendationBasis.POPULAR, null);
    List<Affinity> categories = preferences.getCategories();
    for (int i = 0; i < Math.min(FAVOURITE_CATEGORIES, categories.size()); i++) {
      // The chance this customer buys in the category (the share of their baskets that held it) times the
      // product's share of the category's baskets: above its store share when the customer favours the category
      // more than the store's average basket does.
      Affinity category = categories.get(i);
      CoPurchases inCategory = statistics.popularIn(category.getKey());
      double chance = Math.min(1, category.getWeight() / PreferenceRules.WEIGHT_UNIT / Math.max(1, preferences.getVisits()));
      addPopular(scored, inCategory, chance / Math.max(1, inCategory.getBaskets()), RecommendationBasis.POPULAR_IN_FAVOURITES,
          category.getKey());
    }
    List<Scored> repeats = new ArrayList<>();
    List<Scored> explores = new ArrayList<>();
    for (Scored candidate : scored.values()) {
      if (candidate.basis == RecommendationBasis.BUY_AGAIN) {
        repeats.add(candidate);
      } else {
        candidate.score = candidate.popularityShare + CO_PURCHASE_WEIGHT * candidate.coPurchaseShare;
        explores.add(candidate);
      }
    }
    repeats.sort(BY_SCORE);
    explores.sort(BY_SCORE);
    // Merged by score, a new product ahead of an own one only within the explore slots. Checked lazily: only the
    // candidates down to the count-th recommendable one are looked up.
    List<Recommendation> ranked = new ArrayList<>(count);
    int r = 0;
    int e = 0;
    int exploredAhead = 0;
    while (ranked.size() < count && (r < repeats.size() || e < explores.size())) {
      boolean explore = r >= repeats.size()
          || e < explores.size() && exploredAhead < exploreSlots && explores.get(e).score > repeats.get(r).score;
      Scored candidate = explore ? explores.get(e++) : repeats.get(r++);
      if (recommendable.test(candidate.sku)) {
        ranked.add(candidate.recommendation());
        if (explore && r < repeats.size()) {
          exploredAhead++;
        }
      }
    }
    return ranked;
  }

  /**
   * The first {@link #NEIGHBOURS_READ} products bought with one of the customer's own (the lists are kept most
   * bought first): each adds its conditional share, weighted by the customer's share of that product.
   */
  private static void addNeighbours(Map<String, Scored> scored, Affinity own, long total, CoPurchases with) {
    if (with.getBaskets() == 0) {
      return;
    }
    List<BasketCount> entries = with.getEntries();
    double weight = own.getWeight() / (double) total / with.getBaskets();
    for (int i = 0; i < Math.min(NEIGHBOURS_READ, entries.size()); i++) {
      BasketCount neighbour = entries.get(i);
      double contribution = weight * neighbour.getCount();
      Scored candidate = scored.computeIfAbsent(neighbour.getSku(), sku -> new Scored(sku, RecommendationBasis.BOUGHT_TOGETHER, null));
      candidate.coPurchaseShare += contribution;
      if (contribution > candidate.strongest) {
        candidate.strongest = contribution;
        candidate.strongestSource = own.getKey();
      }
    }
  }

  /**
   * A list of most bought products (exact counts): each entry not the customer's own is estimated at its count times
   * {@code perBasket}; a product in several lists keeps its best estimate and the basis that gave it.
   */
  private static void addPopular(Map<String, Scored> scored, CoPurchases list, double perBasket, RecommendationBasis basis,
      String because) {
    for (BasketCount entry : list.getEntries()) {
      Scored candidate = scored.computeIfAbsent(entry.getSku(), sku -> new Scored(sku, basis, because));
      double share = entry.getCount() * perBasket;
      if (candidate.basis != RecommendationBasis.BUY_AGAIN && share > candidate.popularityShare) {
        candidate.popularityShare = share;
        candidate.baskets = Math.max(candidate.baskets, entry.getCount());
        candidate.basis = basis;
        candidate.because = because;
      }
    }
  }

  private static final class Scored {
    final String sku;
    RecommendationBasis basis;
    String because;
    long baskets;
    double popularityShare;
    double coPurchaseShare;
    double strongest;
    String strongestSource;
    double score;

    Scored(String sku, RecommendationBasis basis, String because) {
      this.sku = sku;
      this.basis = basis;
      this.because = because;
    }

    /** A new product is recommended as bought together when its co-purchase term outweighs its popularity. */
    Recommendation recommendation() {
      if (basis != RecommendationBasis.BUY_AGAIN && CO_PURCHASE_WEIGHT * coPurchaseShare > popularityShare) {
        return new Recommendation(sku, RecommendationBasis.BOUGHT_TOGETHER, strongestSource);
      }
      return new Recommendation(sku, basis, basis == RecommendationBasis.BUY_AGAIN ? null : because);
    }
  }
}
