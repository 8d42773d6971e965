package io.loyalty.preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loyalty.avro.ChurnRisk;
import io.loyalty.avro.CustomerInsights;
import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.CustomerPreferences;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PreferenceRulesTest {
  private static final Duration HALF_LIFE = Duration.ofDays(10);
  private static final Instant T0 = Instant.parse("2026-03-01T18:00:00Z");
  private static final BasketItem BLUE_DREAM = new BasketItem("FL-BD", "flower", "Emerald Valley", "Blue Dream", "HYBRID",
      "SMOKE", "20-40", 1.0);
  private static final BasketItem PAPERS = new BasketItem("AC-PAPER", "accessory", "Stash House", null, null, null,
      "under-20", 1.0);
  private static final BasketItem GUMMIES = new BasketItem("ED-GUM", "edible", "Sweet Leaf", null, "INDICA", "EDIBLE",
      "under-20", 1.0);

  private static String weights(List<Affinity> dimension) {
    return dimension.stream().map(affinity -> affinity.getKey() + "=" + affinity.getWeight() / PreferenceRules.WEIGHT_UNIT).collect(Collectors.joining(", "));
  }

  private static CustomerPreferences bought(Object... timesAndBaskets) {
    CustomerPreferences preferences = PreferenceRules.empty(T0);
    for (int i = 0; i < timesAndBaskets.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<BasketItem> basket = (List<BasketItem>) timesAndBaskets[i + 1];
      PreferenceRules.purchase(preferences, basket, new BigDecimal("40.00"), (Instant) timesAndBaskets[i], HALF_LIFE);
    }
    return preferences;
  }

  @Test
  void eachBasketCountsOncePerValueAndEveryWeightHalvesEachHalfLife() {
    CustomerPreferences preferences = bought(T0, List.of(BLUE_DREAM, PAPERS), T0.plus(HALF_LIFE), List.of(BLUE_DREAM, GUMMIES));
    assertEquals("FL-BD=1.5, ED-GUM=1.0, AC-PAPER=0.5", weights(preferences.getProducts()));
    assertEquals("flower=1.5, edible=1.0, accessory=0.5", weights(preferences.getCategories()));
    assertEquals("HYBRID=1.5, INDICA=1.0", weights(preferences.getStrainTypes()));
    assertEquals("SMOKE=1.5, EDIBLE=1.0", weights(preferences.getMethods()));
    assertEquals("20-40=1.5, under-20=1.5", weights(preferences.getPriceBands()), "papers then gummies: under-20 in both baskets");
    assertEquals(2, preferences.getVisits());
    assertEquals(new BigDecimal("80.00"), preferences.getSpend());
    assertEquals(6000L, preferences.getDecayedSpendCents(), "40 halved, plus 40");
    assertEquals(10.0, PreferenceRules.meanDaysBetween(preferences));
    assertEquals(T0.plus(HALF_LIFE), preferences.getDecayedTo());
  }

  @Test
  void twoFlowerLinesAreOneFlowerBasket() {
    BasketItem otherFlower = new BasketItem("FL-OG", "flower", "Emerald Valley", "OG Kush", "HYBRID", "SMOKE", "20-40", 1.0);
    CustomerPreferences preferences = bought(T0, List.of(BLUE_DREAM, otherFlower));
    assertEquals("flower=1.0", weights(preferences.getCategories()));
    assertEquals("FL-BD=1.0, FL-OG=1.0", weights(preferences.getProducts()), "equal weights rank by key");
  }

  @Test
  void aPurchaseRecordedLateCountsAsAlreadyDecayedSoArrivalOrderDoesNotMatter() {
    Instant t5 = T0.plus(Duration.ofDays(5));
    Instant t10 = T0.plus(HALF_LIFE);
    CustomerPreferences inOrder = bought(T0, List.of(BLUE_DREAM), t5, List.of(BLUE_DREAM), t10, List.of(BLUE_DREAM));
    CustomerPreferences late = bought(T0, List.of(BLUE_DREAM), t10, List.of(BLUE_DREAM), t5, List.of(BLUE_DREAM));
    double expected = 0.5 + StrictMath.pow(0.5, 0.5) + 1.0;
    assertEquals(expected, inOrder.getProducts().get(0).getWeight() / PreferenceRules.WEIGHT_UNIT, 1e-4);
    assertEquals(expected, late.getProducts().get(0).getWeight() / PreferenceRules.WEIGHT_UNIT, 1e-4);
    assertEquals(t10, late.getLastPurchaseAt(), "the latest purchase stays the last");
    assertEquals(5.0, PreferenceRules.meanDaysBetween(inOrder));
    assertEquals(10.0, PreferenceRules.meanDaysBetween(late), "a late purchase adds no gap: only gaps after the last visit count");
  }

  @Test
  void ticketsWithinSixHoursAreOneVisitForTheCadence() {
    CustomerPreferences preferences = bought(T0, List.of(BLUE_DREAM), T0.plus(Duration.ofHours(2)), List.of(PAPERS),
        T0.plus(Duration.ofDays(7)), List.of(BLUE_DREAM), T0.plus(Duration.ofDays(21)), List.of(BLUE_DREAM));
    // Gaps: 7 days less 2 hours, then 14 days; the average follows the latest with weight 0.3.
    double first = 7 - 2 / 24.0;
    assertEquals(first + 0.3 * (14 - first), PreferenceRules.meanDaysBetween(preferences), 1.0 / 1440, "to the minute");
    assertEquals(4, preferences.getVisits());
  }

  @Test
  void eachDimensionKeepsItsTopEntriesSoTheRecordNeverGrows() {
    CustomerPreferences preferences = PreferenceRules.empty(T0);
    for (int i = 0; i < PreferenceRules.PRODUCTS_KEPT + 10; i++) {
      BasketItem item = new BasketItem(String.format("SKU-%02d", i), "c" + i, "b" + i, "s" + i, null, null, null, 1.0);
      PreferenceRules.purchase(preferences, List.of(item), BigDecimal.ONE, T0.plus(Duration.ofDays(i)), HALF_LIFE);
    }
    assertEquals(PreferenceRules.PRODUCTS_KEPT, preferences.getProducts().size());
    assertEquals("SKU-49", preferences.getProducts().get(0).getKey(), "the most recent first");
    assertEquals("SKU-10", preferences.getProducts().get(PreferenceRules.PRODUCTS_KEPT - 1).getKey(), "the oldest ten dropped");
    assertEquals(PreferenceRules.CATEGORIES_KEPT, preferences.getCategories().size());
    assertEquals(PreferenceRules.STRAINS_KEPT, preferences.getStrains().size());
    assertEquals(PreferenceRules.BRANDS_KEPT, preferences.getBrands().size());
  }

  @Test
  void aReturnTakesBackItsShareDecayedByThePurchasesAgeAndAVoidTheVisit() {
    CustomerPreferences preferences = bought(T0, List.of(BLUE_DREAM, PAPERS), T0.plus(HALF_LIFE), List.of(GUMMIES));
    BasketItem halfOfTheFlower = new BasketItem("FL-BD", "flower", "Emerald Valley", "Blue Dream", "HYBRID", "SMOKE", "20-40", 0.5);
    PreferenceRules.reverse(preferences, List.of(halfOfTheFlower), new BigDecimal("17.50"), T0, T0.plus(HALF_LIFE), false, HALF_LIFE);
    assertEquals("ED-GUM=1.0, AC-PAPER=0.5, FL-BD=0.25", weights(preferences.getProducts()));
    assertEquals(new BigDecimal("62.50"), preferences.getSpend());
    assertEquals(2, preferences.getVisits());
    assertEquals(5125L, preferences.getDecayedSpendCents(), "60.00 less 17.50 halved");

    PreferenceRules.reverse(preferences, List.of(GUMMIES), new BigDecimal("40.00"), T0.plus(HALF_LIFE), T0.plus(HALF_LIFE), true,
        HALF_LIFE);
    assertEquals("AC-PAPER=0.5, FL-BD=0.25", weights(preferences.getProducts()), "what a void takes back to nothing leaves");
    assertEquals(1, preferences.getVisits());
    assertEquals(new BigDecimal("22.50"), preferences.getSpend());
  }

  @Test
  void insightsShowTheTopOfEachDimensionAndTheCadenceAsOfTheSnapshot() {
    CustomerPreferences preferences = bought(T0, List.of(BLUE_DREAM, PAPERS), T0.plus(HALF_LIFE), List.of(BLUE_DREAM, GUMMIES));
    Instant lastVisit = T0.plus(HALF_LIFE);
    CustomerInsights now = Insights.of(preferences, lastVisit, HALF_LIFE, List.of());
    assertEquals("flower", now.getPreferredCategory());
    assertEquals("HYBRID", now.getPreferredStrainType());
    assertEquals("SMOKE", now.getPreferredMethod());
    assertEquals("Emerald Valley", now.getPreferredBrand());
    assertEquals(List.of("Blue Dream"), now.getPreferredStrains());
    assertEquals(List.of("FL-BD", "ED-GUM", "AC-PAPER"), now.getFavouriteProducts());
    assertEquals(new BigDecimal("10.0"), now.getAverageDaysBetweenPurchases());
    assertEquals(lastVisit.plus(Duration.ofDays(10)), now.getExpectedNextPurchaseAt());
    assertEquals(0, now.getDaysSinceLastPurchase());
    assertEquals(ChurnRisk.LOW, now.getChurnRisk());
    assertEquals(new BigDecimal("60.00"), now.getValueScore());

    assertEquals(ChurnRisk.LOW, Insights.of(preferences, lastVisit.plus(Duration.ofDays(15)).minusMillis(1), HALF_LIFE, List.of()).getChurnRisk());
    CustomerInsights later = Insights.of(preferences, lastVisit.plus(Duration.ofDays(15)), HALF_LIFE, List.of());
    assertEquals(ChurnRisk.MEDIUM, later.getChurnRisk(), "1.5 usual gaps");
    assertEquals(15, later.getDaysSinceLastPurchase());
    assertEquals(new BigDecimal("21.21"), later.getValueScore(), "60 x 2^-1.5");
    assertEquals(ChurnRisk.HIGH, Insights.of(preferences, lastVisit.plus(Duration.ofDays(30)), HALF_LIFE, List.of()).getChurnRisk());

    CustomerInsights firstVisit = Insights.of(bought(T0, List.of(PAPERS)), T0, HALF_LIFE, new ArrayList<>());
    assertEquals(ChurnRisk.UNKNOWN, firstVisit.getChurnRisk());
    assertNull(firstVisit.getAverageDaysBetweenPurchases());
    assertNull(firstVisit.getExpectedNextPurchaseAt());
  }

  @Test
  void theStoreACustomerBuysAtCountsOncePerBasketAndAVoidTakesItBack() {
    CustomerPreferences preferences = PreferenceRules.empty(T0);
    PreferenceRules.purchase(preferences, List.of(GUMMIES), "downtown", new BigDecimal("40.00"), T0, HALF_LIFE);
    PreferenceRules.purchase(preferences, List.of(GUMMIES), "airport", new BigDecimal("40.00"), T0.plus(HALF_LIFE), HALF_LIFE);
    PreferenceRules.purchase(preferences, List.of(GUMMIES), "airport", new BigDecimal("40.00"), T0.plus(HALF_LIFE), HALF_LIFE);
    assertEquals(List.of("airport 20000", "downtown 5000"), preferences.getLocations().stream()
        .map(affinity -> affinity.getKey() + " " + affinity.getWeight()).toList(), "a purchase one half-life ago counts half");
    PreferenceRules.reverse(preferences, List.of(GUMMIES), new BigDecimal("40.00"), T0.plus(HALF_LIFE), T0.plus(HALF_LIFE), true,
        "airport", HALF_LIFE);
    assertEquals(List.of("airport 10000", "downtown 5000"), preferences.getLocations().stream()
        .map(affinity -> affinity.getKey() + " " + affinity.getWeight()).toList());
  }
}
