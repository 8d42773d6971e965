package io.loyalty.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.BasketCount;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.Recommendation;
import io.loyalty.preferences.PreferenceRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecommenderTest {
  private static CoPurchases counts(long baskets, BasketCount... entries) {
    return new CoPurchases(baskets, new ArrayList<>(List.of(entries)));
  }

  private static final Recommender.BasketStatistics STATISTICS = new Recommender.BasketStatistics() {
    private final Map<String, CoPurchases> boughtWith = Map.of(
        "A", counts(4, new BasketCount("X", 3L, 0L), new BasketCount("B", 1L, 0L)),
        "B", counts(2, new BasketCount("A", 1L, 0L)));

    @Override
    public CoPurchases boughtWith(String sku) {
      return boughtWith.getOrDefault(sku, BasketCounts.empty());
    }

    @Override
    public CoPurchases popular() {
      return counts(100, new BasketCount("Z", 50L, 0L), new BasketCount("X", 40L, 0L), new BasketCount("W", 30L, 0L));
    }

    @Override
    public CoPurchases popularIn(String category) {
      return category.equals("flower") ? counts(60, new BasketCount("Y", 20L, 0L), new BasketCount("A", 10L, 0L))
          : BasketCounts.empty();
    }
  };

  private static CustomerPreferences preferences() {
    CustomerPreferences preferences = PreferenceRules.empty(Instant.parse("2026-03-01T00:00:00Z"));
    preferences.setProducts(List.of(new Affinity("A", 20_000L), new Affinity("B", 10_000L)));
    preferences.setCategories(List.of(new Affinity("flower", 30_000L)));
    return preferences;
  }

  private static String ranked(List<Recommendation> recommendations) {
    return recommendations.stream().map(r -> r.getSku() + " " + r.getBasis() + (r.getBecause() == null ? "" : " " + r.getBecause()))
        .collect(Collectors.joining("; "));
  }

  @Test
  void ownDecayedFrequencyBlendsWithCoPurchasesThenPopularFills() {
    // A: 0.8 x 2/3 + 0.2 x (1/3 x 1/2) + 0.03 x 4/4; B: 0.8 x 1/3 + 0.2 x (2/3 x 1/4) + 0.03 x 2/4; X: 0.2 x (2/3 x 3/4).
    assertEquals("A BUY_AGAIN; B BUY_AGAIN; X BOUGHT_TOGETHER A; Y POPULAR_IN_FAVOURITES flower; Z POPULAR",
        ranked(Recommender.rank(preferences(), STATISTICS, sku -> true, 5, 0)));
  }

  @Test
  void aStrongNeighbourOutranksAWeakOwnProductOnlyWithinTheExploreSlots() {
    // X: 0.2 x 10/11 x 3/4 = 0.136 and B: 0.2 x 10/11 x 1/4 = 0.045, never bought by this customer; C's own 0.8 x 1/11
    // = 0.073 (never bought with anything in the store: no popularity).
    CustomerPreferences preferences = preferences();
    preferences.setProducts(List.of(new Affinity("A", 100_000L), new Affinity("C", 10_000L)));
    assertEquals("A BUY_AGAIN; C BUY_AGAIN; X BOUGHT_TOGETHER A; B BOUGHT_TOGETHER A",
        ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 4, 0)), "no slot: the customer's own first");
    assertEquals("A BUY_AGAIN; X BOUGHT_TOGETHER A; C BUY_AGAIN; B BOUGHT_TOGETHER A",
        ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 4, 2)), "X ahead of C by score; B is below C");
  }

  @Test
  void popularityRanksTheProductsACustomerBoughtAlike() {
    // A and B bought alike by this customer: A, in four of the store's baskets, before B, in two.
    CustomerPreferences preferences = preferences();
    preferences.setProducts(List.of(new Affinity("B", 10_000L), new Affinity("A", 10_000L)));
    assertEquals("A BUY_AGAIN; B BUY_AGAIN", ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 2, 0)));
  }

  @Test
  void onlyWhatTheCallerAllowsIsRankedAndTheListStopsAtItsLength() {
    Set<String> allowed = Set.of("B", "X", "W");
    assertEquals("B BUY_AGAIN; X BOUGHT_TOGETHER A; W POPULAR",
        ranked(Recommender.rank(preferences(), STATISTICS, allowed::contains, 10, 0)));
    assertEquals("A BUY_AGAIN", ranked(Recommender.rank(preferences(), STATISTICS, sku -> true, 1, 0)));
    assertEquals("", ranked(Recommender.rank(preferences(), STATISTICS, sku -> true, 0, 0)));
  }

  @Test
  void aCustomerWithoutHistoryGetsWhatIsPopular() {
    CustomerPreferences none = PreferenceRules.empty(Instant.parse("2026-03-01T00:00:00Z"));
    assertEquals("Z POPULAR; X POPULAR", ranked(Recommender.rank(none, STATISTICS, sku -> true, 2, 0)));
  }

  @Test
  void basketCountsStayBoundedAndKeepTheFrequentProducts() {
    CoPurchases counts = BasketCounts.empty();
    BasketCounts.count(counts, List.of("A", "B"), 2);
    BasketCounts.count(counts, List.of("A", "C"), 2);
    assertEquals("2: A 2 (0), C 2 (1)", describe(counts), "C replaced B (the smallest) and inherited its count");
    BasketCounts.count(counts, List.of("D"), 2);
    assertEquals("3: D 3 (2), A 2 (0)", describe(counts), "C (the smallest, tied with A, later by sku) gave way to D");
    BasketCounts.uncount(counts, Set.of("D"));
    assertEquals("2: A 2 (0), D 2 (2)", describe(counts), "a void takes its basket back out");
  }

  private static String describe(CoPurchases counts) {
    return counts.getBaskets() + ": " + counts.getEntries().stream()
        .map(entry -> entry.getSku() + " " + entry.getCount() + " (" + entry.getOverestimate() + ")").collect(Collectors.joining(", "));
  }
}
