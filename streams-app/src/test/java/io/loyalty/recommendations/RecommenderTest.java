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
    return repeated(baskets, 0, entries);
  }

  private static CoPurchases repeated(long baskets, long repeats, BasketCount... entries) {
    return new CoPurchases(baskets, repeats, new ArrayList<>(List.of(entries)));
  }

  private static final Recommender.BasketStatistics STATISTICS = new Recommender.BasketStatistics() {
    // Repeat shares (Laplace): A (3 + 1) / (4 + 2) = 2/3, B 1/4, C 1/100, E 5/12 and F 10/24, unknown products 1/2.
    private final Map<String, CoPurchases> boughtWith = Map.of(
        "A", repeated(4, 3, new BasketCount("X", 3L, 0L), new BasketCount("B", 1L, 0L)),
        "B", counts(2, new BasketCount("A", 1L, 0L)),
        "C", counts(98),
        "E", repeated(10, 4),
        "F", repeated(22, 9));

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
    // Own weights plus 3 baskets' worth of the repeat share, over the customer's 3 baskets' worth: A (2 + 3 x 2/3) / 3,
    // B (1 + 3 x 1/4) / 3. A: 0.8 x 4/3 + 0.2 x (1/3 x 1/2); B: 0.8 x 7/12 + 0.2 x (2/3 x 1/4); X: 0.2 x (2/3 x 3/4).
    assertEquals("A BUY_AGAIN; B BUY_AGAIN; X BOUGHT_TOGETHER A; Y POPULAR_IN_FAVOURITES flower; Z POPULAR",
        ranked(Recommender.rank(preferences(), STATISTICS, sku -> true, 5, 0)));
  }

  @Test
  void aStrongNeighbourOutranksAWeakOwnProductOnlyWithinTheExploreSlots() {
    // X: 0.2 x 10/11 x 3/4 = 0.136 and B: 0.2 x 10/11 x 1/4 = 0.045, never bought by this customer; C's own
    // 0.8 x (1 + 3 x 1/100) / 11 = 0.075 (bought in 98 baskets, hardly ever again).
    CustomerPreferences preferences = preferences();
    preferences.setProducts(List.of(new Affinity("A", 100_000L), new Affinity("C", 10_000L)));
    assertEquals("A BUY_AGAIN; C BUY_AGAIN; X BOUGHT_TOGETHER A; B BOUGHT_TOGETHER A",
        ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 4, 0)), "no slot: the customer's own first");
    assertEquals("A BUY_AGAIN; X BOUGHT_TOGETHER A; C BUY_AGAIN; B BOUGHT_TOGETHER A",
        ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 4, 2)), "X ahead of C by score; B is below C");
  }

  @Test
  void productsBoughtAgainInTheStoreRankFirstThenTheMorePopular() {
    // A and B bought alike by this customer: A, bought again in 3 of its 4 baskets, before B, never bought again.
    CustomerPreferences preferences = preferences();
    preferences.setProducts(List.of(new Affinity("B", 10_000L), new Affinity("A", 10_000L)));
    assertEquals("A BUY_AGAIN; B BUY_AGAIN", ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 2, 0)));
    // E and F bought alike, their repeat shares equal (5/12): F, in 22 baskets, before E, in 10.
    preferences.setProducts(List.of(new Affinity("E", 10_000L), new Affinity("F", 10_000L)));
    assertEquals("F BUY_AGAIN; E BUY_AGAIN", ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 2, 0)));
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

  @Test
  void aProductsRepeatsCountTheBasketsOfCustomersWhoBoughtItBefore() {
    Map<String, CoPurchases> store = new java.util.HashMap<>();
    OrganizationBaskets baskets = new OrganizationBaskets("org", OrganizationBaskets.Counts.of(store::get, store::put));
    List<io.loyalty.preferences.BasketItem> both = List.of(io.loyalty.preferences.BasketItem.of("A", null, 1.0),
        io.loyalty.preferences.BasketItem.of("B", null, 1.0));
    baskets.count(both, false, Set.of());
    baskets.count(both, false, Set.of("A"));
    baskets.count(both, false, Set.of("A", "B"));
    assertEquals(List.of(3L, 2L), List.of(baskets.boughtWith("A").getBaskets(), baskets.boughtWith("A").getRepeats()));
    assertEquals(List.of(3L, 1L), List.of(baskets.boughtWith("B").getBaskets(), baskets.boughtWith("B").getRepeats()));
    baskets.count(both, true, Set.of("A"));
    assertEquals(List.of(2L, 1L), List.of(baskets.boughtWith("A").getBaskets(), baskets.boughtWith("A").getRepeats()),
        "a void takes its basket and, for what the customer still holds, its repeat back");
    assertEquals(List.of(2L, 1L), List.of(baskets.boughtWith("B").getBaskets(), baskets.boughtWith("B").getRepeats()));
  }

  private static String describe(CoPurchases counts) {
    return counts.getBaskets() + ": " + counts.getEntries().stream()
        .map(entry -> entry.getSku() + " " + entry.getCount() + " (" + entry.getOverestimate() + ")").collect(Collectors.joining(", "));
  }
}
