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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Ranks products for one customer. "A next basket recommendation reality check" (Li et al., TOIS 2023) finds that
 * the products a customer bought before carry most of what can be predicted, and that the simple personal
 * frequency filled with popularity (GP-TopFreq) is hard to beat; TIFU-KNN (Hu et al., SIGIR 2020) adds time decay
 * and what neighbours buy. Here: the customer's own products first (repeat), scored by their time-decayed basket
 * frequency plus a prior of {@link #REPEAT_PRIOR} baskets' worth of the product's repeat share in the store (how often
 * its buyers buy it again: products people restock rank above one-offs bought as often), blended with the co-purchase
 * share from the customer's other products; equal scores by popularity in the store. Then products new to them
 * (explore): those bought with theirs (item-to-item co-purchase, the conditional share of baskets), the most bought
 * in their preferred categories and in the store. At most {@code exploreSlots} new products come before the
 * customer's own while own ones are left. Only products the caller allows are ranked (active, in stock, allowed to
 * this customer). Cost: bounded by the kept affinities and co-purchase lists, never by the history.
 */
public final class Recommender {
  /** Weight of the customer's own frequency against the co-purchase share. */
  static final double OWN_WEIGHT = 0.8;
  /**
   * Baskets' worth of weight a product's repeat share in the store adds to the customer's own weight of it: products
   * people buy again (milk, their usual flower) rank above the one-off ones a customer bought as often.
   */
  static final double REPEAT_PRIOR = 3;
  /** The customer's products whose co-purchases are read. */
  static final int NEIGHBOUR_SOURCES = 8;
  /** Products read from each source's co-purchase list, most bought first. */
  static final int NEIGHBOURS_READ = 10;
  /** Preferred categories whose popular products fill the list. */
  static final int FILL_CATEGORIES = 2;

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
    List<Affinity> own = preferences.getProducts();
    long total = 0;
    for (Affinity affinity : own) {
      total += affinity.getWeight();
    }
    Map<String, Scored> scored = new HashMap<>(4 * (own.size() + NEIGHBOUR_SOURCES * NEIGHBOURS_READ));
    if (total > 0) {
      // Each of the customer's products' co-purchase list read once: its baskets and repeats are the product's
      // popularity and repeat share, and the first ones' entries are the neighbours.
      List<CoPurchases> boughtWith = new ArrayList<>(own.size());
      for (Affinity affinity : own) {
        boughtWith.add(statistics.boughtWith(affinity.getKey()));
      }
      for (int i = 0; i < own.size(); i++) {
        Scored candidate = new Scored(own.get(i).getKey());
        CoPurchases with = boughtWith.get(i);
        // The repeat share with one repeat and one one-off imagined (Laplace), so a product seen once is not certain.
        double repeatShare = (with.getRepeats() + 1) / (double) (with.getBaskets() + 2);
        candidate.own = (own.get(i).getWeight() + REPEAT_PRIOR * PreferenceRules.WEIGHT_UNIT * repeatShare) / total;
        candidate.baskets = with.getBaskets();
        scored.put(candidate.sku, candidate);
      }
      for (int source = 0; source < Math.min(NEIGHBOUR_SOURCES, own.size()); source++) {
        addNeighbours(scored, own.get(source), total, boughtWith.get(source));
      }
    }
    List<Scored> candidates = new ArrayList<>(scored.values());
    for (Scored candidate : candidates) {
      candidate.score = OWN_WEIGHT * candidate.own + (1 - OWN_WEIGHT) * candidate.neighbours;
    }
    candidates.sort(BY_SCORE);
    List<Recommendation> ranked = new ArrayList<>(count);
    Set<String> taken = new HashSet<>();
    List<Scored> repeats = candidates.stream().filter(candidate -> candidate.own > 0).toList();
    List<Scored> explores = candidates.stream().filter(candidate -> candidate.own == 0).toList();
    // Merged by score, a new product ahead of an own one only within the explore slots. Checked lazily: only the
    // candidates down to the count-th recommendable one are looked up.
    int r = 0;
    int e = 0;
    int exploredAhead = 0;
    while (ranked.size() < count && (r < repeats.size() || e < explores.size())) {
      boolean explore = r >= repeats.size()
          || e < explores.size() && exploredAhead < exploreSlots && explores.get(e).score > repeats.get(r).score;
      if (!explore) {
        add(ranked, taken, repeats.get(r++), recommendable, true);
      } else if (add(ranked, taken, explores.get(e++), recommendable, false) && r < repeats.size()) {
        exploredAhead++;
      }
    }
    List<Affinity> categories = preferences.getCategories();
    for (int i = 0; i < Math.min(FILL_CATEGORIES, categories.size()) && ranked.size() < count; i++) {
      String category = categories.get(i).getKey();
      fill(ranked, taken, statistics.popularIn(category), RecommendationBasis.POPULAR_IN_FAVOURITES, category, recommendable, count);
    }
    if (ranked.size() < count) {
      fill(ranked, taken, statistics.popular(), RecommendationBasis.POPULAR, null, recommendable, count);
    }
    return ranked;
  }

  /** Adds the candidate when the caller allows it; whether it did. */
  private static boolean add(List<Recommendation> ranked, Set<String> taken, Scored candidate, Predicate<String> recommendable,
      boolean repeat) {
    if (taken.contains(candidate.sku) || !recommendable.test(candidate.sku)) {
      return false;
    }
    taken.add(candidate.sku);
    ranked.add(new Recommendation(candidate.sku, repeat ? RecommendationBasis.BUY_AGAIN : RecommendationBasis.BOUGHT_TOGETHER,
        repeat ? null : candidate.because));
    return true;
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
      Scored candidate = scored.get(neighbour.getSku());
      if (candidate == null) {
        candidate = new Scored(neighbour.getSku());
        scored.put(neighbour.getSku(), candidate);
      }
      candidate.neighbours += contribution;
      if (contribution > candidate.strongest) {
        candidate.strongest = contribution;
        candidate.because = own.getKey();
      }
    }
  }

  /** Fills up to {@code count} with a popularity list, after every product of the customer's own or of its neighbours. */
  private static void fill(List<Recommendation> ranked, Set<String> taken, CoPurchases popular, RecommendationBasis basis,
      String because, Predicate<String> recommendable, int count) {
    for (BasketCount entry : popular.getEntries()) {
      if (ranked.size() >= count) {
        return;
      }
      if (!taken.contains(entry.getSku()) && recommendable.test(entry.getSku())) {
        taken.add(entry.getSku());
        ranked.add(new Recommendation(entry.getSku(), basis, because));
      }
    }
  }

  private static final class Scored {
    final String sku;
    double own;
    long baskets;
    double neighbours;
    double strongest;
    String because;
    double score;

    Scored(String sku) {
      this.sku = sku;
    }
  }
}
