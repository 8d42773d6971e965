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
import java.util.LinkedHashSet;
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
  /** Preferred categories whose popular products fill the list. */
  static final int FILL_CATEGORIES = 2;

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
    double total = preferences.getProducts().stream().mapToLong(Affinity::getWeight).sum();
    Map<String, Scored> scored = new HashMap<>();
    if (total > 0) {
      for (Affinity own : preferences.getProducts()) {
        scored.computeIfAbsent(own.getKey(), Scored::new).own = own.getWeight() / total;
      }
      preferences.getProducts().stream().limit(NEIGHBOUR_SOURCES).forEach(own -> {
        CoPurchases with = statistics.boughtWith(own.getKey());
        if (with.getBaskets() == 0) {
          return;
        }
        for (BasketCount neighbour : with.getEntries()) {
          double contribution = own.getWeight() / total * neighbour.getCount() / with.getBaskets();
          Scored candidate = scored.computeIfAbsent(neighbour.getSku(), Scored::new);
          candidate.neighbours += contribution;
          if (contribution > candidate.strongest) {
            candidate.strongest = contribution;
            candidate.because = own.getKey();
          }
        }
      });
    }
    List<Recommendation> ranked = new ArrayList<>();
    Set<String> taken = new LinkedHashSet<>();
    // Ranked first, then checked lazily: only the candidates down to the count-th recommendable one are looked up.
    scored.values().stream()
        .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(candidate -> candidate.sku))
        .filter(candidate -> recommendable.test(candidate.sku))
        .limit(count)
        .forEach(candidate -> {
          taken.add(candidate.sku);
          boolean again = OWN_WEIGHT * candidate.own >= (1 - OWN_WEIGHT) * candidate.neighbours;
          ranked.add(new Recommendation(candidate.sku,
              again ? RecommendationBasis.BUY_AGAIN : RecommendationBasis.BOUGHT_TOGETHER, again ? null : candidate.because));
        });
    preferences.getCategories().stream().limit(FILL_CATEGORIES).forEach(category ->
        fill(ranked, taken, statistics.popularIn(category.getKey()), RecommendationBasis.POPULAR_IN_FAVOURITES,
            category.getKey(), recommendable, count));
    fill(ranked, taken, statistics.popular(), RecommendationBasis.POPULAR, null, recommendable, count);
    return ranked;
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

    Scored(String sku) {
      this.sku = sku;
    }

    double score() {
      return OWN_WEIGHT * own + (1 - OWN_WEIGHT) * neighbours;
    }
  }
}
