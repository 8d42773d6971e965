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
    return new CoPurchases(baskets, repeats, 0L, new ArrayList<>(List.of(entries)));
  }

  private static final Recommender.BasketStatistics STATISTICS = new Recommender.BasketStatistics() {
    // Repeat shares, one basket at the store's mean (100 of 200 products bought again) imagined: A (3 + 0.5) / (4 + 1)
    // = 0.7, B 0.5 / 3, C 0.05, E 4.5 / 9 and F 10.5 / 21 = 0.5. Store shares (of 100 baskets): A 0.04, B 0.02, C 0.09,
    // E 0.08, F 0.20.
    private final Map<String, CoPurchases> boughtWith = Map.of(
        "A", repeated(4, 3, new BasketCount("X", 3L, 0L), new BasketCount("B", 1L, 0L)),
        "B", counts(2, new BasketCount("A", 1L, 0L)),
        "C", counts(9),
        "E", repeated(8, 4),
        "F", repeated(20, 10));

    @Override
    public CoPurchases boughtWith(String sku) {
      return boughtWith.getOrDefault(sku, BasketCounts.empty());
    }

    @Override
    public CoPurchases popular() {
      return new CoPurchases(100L, 100L, 200L,
          new ArrayList<>(List.of(new BasketCount("Z", 50L, 0L), new BasketCount("W", 30L, 0L), new BasketCount("X", 4L, 0L))));
    }

    @Override
    public CoPurchases popularIn(String category) {
      return category.equals("flower") ? counts(60, new BasketCount("Y", 20L, 0L), new BasketCount("A", 10L, 0L))
          : BasketCounts.empty();
    }
  };

  /** Bought A in 2 of 3 visits, B in 1, flower in all 3. */
  private static CustomerPreferences preferences() {
    CustomerPreferences preferences = PreferenceRules.empty(Instant.parse("2026-03-01T00:00:00Z"));
    preferences.setProducts(List.of(new Affinity("A", 20_000L), new Affinity("B", 10_000L)));
    preferences.setCategories(List.of(new Affinity("flower", 30_000L)));
    preferences.setVisits(3);
    return preferences;
  }

  private static String ranked(List<Recommendation> recommendations) {
    return recommendations.stream().map(r -> r.getSku() + " " + r.getBasis() + (r.getBecause() == null ? "" : " " + r.getBecause()))
        .collect(Collectors.joining("; "));
  }

  @Test
  void ownProductsFirstThenNewOnesByPopularityInTheStoreTheFavouriteCategoryAndCoPurchases() {
    // Own: A (2 + 2 x 0.7 + 20 x 0.04) / (3 + 22) = 0.168, B (1 + 2 x 1/6 + 20 x 0.02) / 25 = 0.069. New: Z 0.5 and
    // W 0.3 of the store's baskets; Y, a third of flower's baskets, flower in all of this customer's: 0.333; X, 0.04
    // of the store's baskets plus 0.2 x its co-purchase share (2/3 of the customer's weight on A x X in 3 of A's 4
    // baskets = 0.5): 0.14, the co-purchase part the larger.
    assertEquals("A BUY_AGAIN; B BUY_AGAIN; Z POPULAR; Y POPULAR_IN_FAVOURITES flower; W POPULAR; X BOUGHT_TOGETHER A",
        ranked(Recommender.rank(preferences(), STATISTICS, sku -> true, 6, 0)));
  }

  @Test
  void aFavouriteCategoryLiftsItsProductsOnlyAsFarAsTheCustomerBuysIt() {
    // Flower in 1 of this customer's 3 visits: Y 1/3 x 1/3 = 0.111, below W (0.3) and X (0.14).
    CustomerPreferences preferences = preferences();
    preferences.setCategories(List.of(new Affinity("flower", 10_000L)));
    assertEquals("A BUY_AGAIN; B BUY_AGAIN; Z POPULAR; W POPULAR; X BOUGHT_TOGETHER A; Y POPULAR_IN_FAVOURITES flower",
        ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 6, 0)));
  }

  @Test
  void newProductsOutrankWeakerOwnOnesOnlyWithinTheExploreSlots() {
    // 11 visits: A in 10, C in 1. A (10 + 2 x 0.7 + 20 x 0.04) / 33 = 0.370; C (1 + 2 x 0.05 + 20 x 0.09) / 33 = 0.088.
    // New: Z 0.5, W 0.3, X 0.04 + 0.2 x (10/11 x 3/4) = 0.176, Y 3/11 x 1/3 = 0.091, B 0.2 x (10/11 x 1/4) = 0.045.
    CustomerPreferences preferences = preferences();
    preferences.setProducts(List.of(new Affinity("A", 100_000L), new Affinity("C", 10_000L)));
    preferences.setVisits(11);
    assertEquals("A BUY_AGAIN; C BUY_AGAIN; Z POPULAR; W POPULAR",
        ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 4, 0)), "no slot: the customer's own first");
    assertEquals("Z POPULAR; A BUY_AGAIN; W POPULAR; C BUY_AGAIN; X BOUGHT_TOGETHER A",
        ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 5, 2)),
        "Z ahead of A, W not, W ahead of C; both slots used, X (0.176) after C (0.088)");
  }

  @Test
  void productsBoughtAgainInTheStoreRankFirstAndAShortHistoryLeansOnPopularity() {
    // A and B bought alike by this customer: A, bought again in 3 of its 4 baskets, before B, never bought again.
    CustomerPreferences preferences = preferences();
    preferences.setProducts(List.of(new Affinity("B", 10_000L), new Affinity("A", 10_000L)));
    assertEquals("A BUY_AGAIN; B BUY_AGAIN", ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 2, 0)));
    // E and F bought alike, their repeat shares equal (0.5): F, in 20 of the store's baskets, before E, in 8.
    preferences.setProducts(List.of(new Affinity("E", 10_000L), new Affinity("F", 10_000L)));
    assertEquals("F BUY_AGAIN; E BUY_AGAIN", ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 2, 0)));
    // The customer's own frequency outweighs the priors once it differs by more than they do: E bought in 3 baskets
    // (3 + 1 + 1.6 = 5.6) still after F in 1 (1 + 1 + 4 = 6), in 4 (6.6) before it.
    preferences.setProducts(List.of(new Affinity("E", 30_000L), new Affinity("F", 10_000L)));
    assertEquals("F BUY_AGAIN; E BUY_AGAIN", ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 2, 0)));
    preferences.setProducts(List.of(new Affinity("E", 40_000L), new Affinity("F", 10_000L)));
    assertEquals("E BUY_AGAIN; F BUY_AGAIN", ranked(Recommender.rank(preferences, STATISTICS, sku -> true, 2, 0)));
  }

  @Test
  void onlyWhatTheCallerAllowsIsRankedAndTheListStopsAtItsLength() {
    Set<String> allowed = Set.of("B", "X", "W");
    assertEquals("B BUY_AGAIN; W POPULAR; X BOUGHT_TOGETHER A",
        ranked(Recommender.rank(preferences(), STATISTICS, allowed::contains, 10, 0)));
    assertEquals("A BUY_AGAIN", ranked(Recommender.rank(preferences(), STATISTICS, sku -> true, 1, 0)));
    assertEquals("", ranked(Recommender.rank(preferences(), STATISTICS, sku -> true, 0, 0)));
  }

  @Test
  void aCustomerWithoutHistoryGetsWhatIsPopular() {
    CustomerPreferences none = PreferenceRules.empty(Instant.parse("2026-03-01T00:00:00Z"));
    assertEquals("Z POPULAR; W POPULAR", ranked(Recommender.rank(none, STATISTICS, sku -> true, 2, 0)));
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

  private static List<io.loyalty.preferences.BasketItem> flower(String sku) {
    return List.of(new io.loyalty.preferences.BasketItem(sku, "flower", null, null, null, null, null, 1.0));
  }

  @Test
  void popularListsHoldTheMostBoughtExactly() {
    // A in 3 baskets, then 25 products bought once: the list keeps A at 3 and 19 of the others at 1 (Space-Saving
    // would have handed each newcomer the smallest count plus one, the last ones above A).
    Map<String, CoPurchases> store = new java.util.HashMap<>();
    OrganizationBaskets baskets = new OrganizationBaskets("org", OrganizationBaskets.Counts.of(store::get, store::put));
    for (int i = 0; i < 3; i++) {
      baskets.count(flower("A"), false, Set.of());
    }
    for (int i = 0; i < 25; i++) {
      baskets.count(flower(String.format("p%02d", i)), false, Set.of());
    }
    CoPurchases popular = baskets.popular();
    assertEquals(28, popular.getBaskets());
    assertEquals(OrganizationBaskets.POPULAR_KEPT, popular.getEntries().size());
    assertEquals("A 3 (0), p00 1 (0), p01 1 (0)", describe(popular).substring(4, 33));
    assertEquals(1, popular.getEntries().stream().filter(entry -> entry.getCount() != 1).count());
    assertEquals(describe(popular), describe(baskets.popularIn("flower")));
    // p24 bought twice more takes second place, its exact count from its own key; a void lowers A to 2.
    baskets.count(flower("p24"), false, Set.of());
    baskets.count(flower("p24"), false, Set.of());
    baskets.count(flower("A"), true, Set.of("A"));
    assertEquals("29: p24 3 (0), A 2 (0), p00 1 (0)", describe(baskets.popular()).substring(0, 33));
  }

  @Test
  void aListKeptBySpaceSavingKeepsItsGuaranteedCountsWhenPlacedExactly() {
    CoPurchases earlier = counts(10, new BasketCount("D", 5L, 4L), new BasketCount("A", 3L, 0L));
    BasketCounts.place(earlier, Map.of("B", 2L), false, 2);
    assertEquals("11: A 3 (0), B 2 (0)", describe(earlier), "D, 1 basket guaranteed of its 5, gave way to B");
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
    assertEquals(List.of(4L, 2L), List.of(baskets.popular().getProducts(), baskets.popular().getRepeats()),
        "the store's products counted 6, 3 of them bought again, less the voided basket's 2 and 1: a mean repeat share of 1/2");
  }

  private static String describe(CoPurchases counts) {
    return counts.getBaskets() + ": " + counts.getEntries().stream()
        .map(entry -> entry.getSku() + " " + entry.getCount() + " (" + entry.getOverestimate() + ")").collect(Collectors.joining(", "));
  }
}
