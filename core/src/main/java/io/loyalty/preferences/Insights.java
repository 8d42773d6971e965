package io.loyalty.preferences;

import io.loyalty.avro.ChurnRisk;
import io.loyalty.avro.CustomerInsights;
import io.loyalty.avro.RecommendedProduct;
import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.CustomerPreferences;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a budtender sees at the register: the customer's preferences and cadence at a given business time. */
public final class Insights {
  private static final int FAVOURITES_SHOWN = 5;
  private static final int STRAINS_SHOWN = 3;
  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

  private Insights() {}

  /**
   * @param at business time of the snapshot: days since the last purchase and the churn risk are as of then
   * @param halfLife the program's, to express the value score at {@code at}
   */
  public static CustomerInsights of(CustomerPreferences preferences, Instant at, Duration halfLife,
      List<RecommendedProduct> recommended) {
    CustomerInsights insights = new CustomerInsights();
    insights.setPreferredCategory(top(preferences.getCategories()));
    insights.setPreferredStrainType(top(preferences.getStrainTypes()));
    insights.setPreferredMethod(top(preferences.getMethods()));
    insights.setPreferredBrand(top(preferences.getBrands()));
    insights.setPreferredPriceBand(top(preferences.getPriceBands()));
    insights.setPreferredStrains(keys(preferences.getStrains(), STRAINS_SHOWN));
    insights.setFavouriteProducts(keys(preferences.getProducts(), FAVOURITES_SHOWN));
    insights.setVisits(preferences.getVisits());
    insights.setSpend(preferences.getSpend());
    Double gap = PreferenceRules.meanDaysBetween(preferences);
    Instant last = preferences.getLastPurchaseAt();
    if (gap != null && last != null) {
      insights.setAverageDaysBetweenPurchases(BigDecimal.valueOf(preferences.getMeanMinutesBetween())
          .divide(BigDecimal.valueOf(Duration.ofDays(1).toMinutes()), 1, RoundingMode.HALF_EVEN));
      insights.setExpectedNextPurchaseAt(expectedNextPurchase(preferences));
    }
    Integer daysSince = last == null || at.isBefore(last) ? null : (int) ((at.toEpochMilli() - last.toEpochMilli()) / DAY_MILLIS);
    insights.setDaysSinceLastPurchase(daysSince);
    insights.setChurnRisk(churnRisk(preferences, at));
    long valueNow = Math.round(preferences.getDecayedSpendCents() * (at.isAfter(preferences.getDecayedTo())
        ? PreferenceRules.decay(preferences.getDecayedTo(), at, halfLife) : 1.0));
    insights.setValueScore(BigDecimal.valueOf(valueNow, 2));
    insights.setRecommendedProducts(recommended);
    insights.setMarketingSuppressed(Map.of());
    return insights;
  }

  /** The last purchase plus the customer's usual gap, to the millisecond; null before a second visit. */
  public static Instant expectedNextPurchase(CustomerPreferences preferences) {
    Long gap = preferences.getMeanMinutesBetween();
    if (gap == null || preferences.getLastPurchaseAt() == null) {
      return null;
    }
    return preferences.getLastPurchaseAt().plus(Duration.ofMinutes(gap));
  }

  /**
   * How many of the customer's usual gaps have passed since the last purchase: LOW under 1.5, MEDIUM under 3,
   * HIGH beyond. In whole milliseconds, so the moments it turns ({@link #churnTurns}) are exact.
   */
  public static ChurnRisk churnRisk(CustomerPreferences preferences, Instant at) {
    Long gapMinutes = preferences.getMeanMinutesBetween();
    Instant last = preferences.getLastPurchaseAt();
    if (gapMinutes == null || last == null) {
      return ChurnRisk.UNKNOWN;
    }
    List<Instant> turns = churnTurns(preferences);
    return at.isBefore(turns.get(0)) ? ChurnRisk.LOW : at.isBefore(turns.get(1)) ? ChurnRisk.MEDIUM : ChurnRisk.HIGH;
  }

  /** When the churn risk turns MEDIUM and HIGH; empty before a second visit. */
  public static List<Instant> churnTurns(CustomerPreferences preferences) {
    Long gapMinutes = preferences.getMeanMinutesBetween();
    Instant last = preferences.getLastPurchaseAt();
    if (gapMinutes == null || last == null) {
      return List.of();
    }
    long gapMillis = Duration.ofMinutes(gapMinutes).toMillis();
    return List.of(last.plusMillis((gapMillis * 3 + 1) / 2), last.plusMillis(gapMillis * 3));
  }

  private static String top(List<Affinity> dimension) {
    return dimension.isEmpty() ? null : dimension.get(0).getKey();
  }

  private static List<String> keys(List<Affinity> dimension, int count) {
    return dimension.stream().limit(count).map(Affinity::getKey).toList();
  }
}
