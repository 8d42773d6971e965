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
  static final double MEDIUM_RISK_GAPS = 1.5;
  static final double HIGH_RISK_GAPS = 3.0;
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
    insights.setChurnRisk(churnRisk(gap, last, at));
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

  /** How many of the customer's usual gaps have passed since the last purchase. */
  static ChurnRisk churnRisk(Double gap, Instant last, Instant at) {
    if (gap == null || last == null) {
      return ChurnRisk.UNKNOWN;
    }
    double gaps = Math.max(0, at.toEpochMilli() - last.toEpochMilli()) / (gap * DAY_MILLIS);
    if (gaps < MEDIUM_RISK_GAPS) {
      return ChurnRisk.LOW;
    }
    return gaps < HIGH_RISK_GAPS ? ChurnRisk.MEDIUM : ChurnRisk.HIGH;
  }

  private static String top(List<Affinity> dimension) {
    return dimension.isEmpty() ? null : dimension.get(0).getKey();
  }

  private static List<String> keys(List<Affinity> dimension, int count) {
    return dimension.stream().limit(count).map(Affinity::getKey).toList();
  }
}
