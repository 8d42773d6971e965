package io.loyalty.recommendations;

import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.BasketCount;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.Recommendation;
import io.loyalty.avro.state.RecommendationBasis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Ranks products for one customer, in the manner of TIFU-KNN (Hu et al., SIGIR 2020) and the finding of "A next
 * basket recommendation reality check" (Li et al., TOIS 2023) that repeat purchases carry most of the signal:
 * the customer's own time-decayed basket frequency, blended with the products bought with theirs in this store
 * (item-to-item co-purchase, the conditional share of baskets), then filled with what is popular in their
 * preferred categories and in the store. Only products the caller allows are ranked (active, in stock, allowed
 * to this customer). Cost: bounded by the kept affinities and co-purchase lists, never by the history.
 */
public final class Recommender {
  /** Weight of the customer's own frequency against the neighbours'. */
  static final double OWN_WEIGHT = 0.7;
  /** The customer's products whose co-purchases are read. */
  static final int NEIGHBOUR_SOURCES = 8;
  /** Products read from each source's co-purchase list, most bought first. */
  static final int NEIGHBOURS_READ = 10;
  /** Preferred categories whose popular products fill the list. */
  static final int FILL_CATEGORIES = 2;

  /** Highest score first; equal scores by sku, so every run ranks alike. */
  private static final Comparator<Scored> BY_SCORE = Comparator.<Scored>comparingDouble(candidate -> candidate.score).reversed()
      .thenComparing(candidate -> candidate.sku);

  /** Basket statistics of the customer's organization. */
  public interface BasketStatistics {
    CoPurchases boughtWith(String sku);

    CoPurchases popular();

    CoPurchases popularIn(String category);
  }

  private Recommender() {}

  public static List<Recommendation> rank(CustomerPreferences preferences, BasketStatistics statistics,
      Predicate<String> recommendable, int count) {
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
      for (Affinity affinity : own) {
        Scored candidate = new Scored(affinity.getKey());
        candidate.own = affinity.getWeight() / (double) total;
        scored.put(affinity.getKey(), candidate);
      }
      for (int source = 0; source < Math.min(NEIGHBOUR_SOURCES, own.size()); source++) {
        addNeighbours(scored, own.get(source), total, statistics.boughtWith(own.get(source).getKey()));
      }
    }
    List<Scored> candidates = new ArrayList<>(scored.values());
    for (Scored candidate : candidates) {
      candidate.score = OWN_WEIGHT * candidate.own + (1 - OWN_WEIGHT) * candidate.neighbours;
    }
    candidates.sort(BY_SCORE);
    List<Recommendation> ranked = new ArrayList<>(count);
    Set<String> taken = new HashSet<>();
    // Ranked first, then checked lazily: only the candidates down to the count-th recommendable one are looked up.
    for (int i = 0; i < candidates.size() && ranked.size() < count; i++) {
      Scored candidate = candidates.get(i);
      if (recommendable.test(candidate.sku)) {
        taken.add(candidate.sku);
        boolean again = OWN_WEIGHT * candidate.own >= (1 - OWN_WEIGHT) * candidate.neighbours;
        ranked.add(new Recommendation(candidate.sku,
            again ? RecommendationBasis.BUY_AGAIN : RecommendationBasis.BOUGHT_TOGETHER, again ? null : candidate.because));
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
    double neighbours;
    double strongest;
    String because;
    double score;

    Scored(String sku) {
      this.sku = sku;
    }

  }
}
