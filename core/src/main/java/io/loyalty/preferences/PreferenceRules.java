package io.loyalty.preferences;

import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.accounts.Prototypes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A customer's purchase history folded into time-decayed affinities: each basket adds 1 to every product,
 * category, strain, brand, strain type, method and price band it holds, and every weight halves each
 * half-life. Weights are kept at one reference time ({@code decayedTo}) and only the top entries of each
 * dimension are kept, so the record's size and the cost of an update never grow with the history. A purchase
 * recorded late (business time before {@code decayedTo}) counts as already decayed, so the weights do not depend
 * on arrival order; a return or void takes back what its purchase added, decayed by the purchase's age.
 */
public final class PreferenceRules {
  static final int PRODUCTS_KEPT = 40;
  static final int CATEGORIES_KEPT = 8;
  static final int STRAINS_KEPT = 8;
  static final int BRANDS_KEPT = 8;
  static final int SMALL_DIMENSION_KEPT = 8;
  /** Weights are kept in ten-thousandths of a basket: fixed point, small on the wire, the same on every run. */
  public static final double WEIGHT_UNIT = 10_000;
  /** The weight of the latest gap between visits in the moving average of gaps. */
  static final double GAP_SMOOTHING = 0.3;
  /** Tickets closer together than this are one visit for the cadence (a forgotten item, a split payment). */
  static final long SAME_VISIT_MILLIS = Duration.ofHours(6).toMillis();
  /** A thousandth of a basket: what rounding leaves of a contribution taken back is dropped with it. */
  private static final long NEGLIGIBLE = 10;
  private static final double MINUTE_MILLIS = Duration.ofMinutes(1).toMillis();
  private static final double DAY_MINUTES = Duration.ofDays(1).toMinutes();

  private PreferenceRules() {}

  /** A customer's first preferences, copied from a blank record (see {@link Prototypes}). */
  public static CustomerPreferences empty(Instant at) {
    CustomerPreferences preferences = Prototypes.copyOf(BLANK);
    preferences.setDecayedTo(at);
    return preferences;
  }

  private static final CustomerPreferences BLANK = CustomerPreferences.newBuilder().setDecayedTo(Instant.EPOCH).build();

  /** The products the customer's kept affinities hold (a weight above zero). */
  public static Set<String> productsHeld(CustomerPreferences preferences) {
    Set<String> held = new HashSet<>();
    for (Affinity affinity : preferences.getProducts()) {
      if (affinity.getWeight() > 0) {
        held.add(affinity.getKey());
      }
    }
    return held;
  }

  /** 2^-(to - from)/halfLife: what a weight of {@code from} is worth at {@code to}. StrictMath, so every JVM agrees. */
  public static double decay(Instant from, Instant to, Duration halfLife) {
    long age = to.toEpochMilli() - from.toEpochMilli();
    return age == 0 ? 1.0 : StrictMath.pow(0.5, age / (double) halfLife.toMillis());
  }

  /**
   * A purchase of {@code items} at {@code at}, with the spend it counted.
   */
  public static void purchase(CustomerPreferences preferences, List<BasketItem> items, BigDecimal spend, Instant at,
      Duration halfLife) {
    purchase(preferences, items, null, spend, at, halfLife);
  }

  /** The same, at a store location (null: none known), which counts once per basket like a category. */
  public static void purchase(CustomerPreferences preferences, List<BasketItem> items, String locationId, BigDecimal spend,
      Instant at, Duration halfLife) {
    double weight = moveTo(preferences, at, halfLife);
    add(preferences, items, weight);
    if (locationId != null) {
      preferences.setLocations(added(preferences.getLocations(), Map.of(locationId, 1.0), weight, SMALL_DIMENSION_KEPT));
    }
    preferences.setVisits(preferences.getVisits() + 1);
    preferences.setSpend(preferences.getSpend().add(spend));
    preferences.setDecayedSpendCents(preferences.getDecayedSpendCents() + cents(spend, weight));
    countVisit(preferences, at);
  }

  /**
   * A return or void of a purchase made at {@code purchasedAt}: its items' shares and spend come back out, as
   * decayed as they are now. A void also takes the visit back.
   */
  public static void reverse(CustomerPreferences preferences, List<BasketItem> items, BigDecimal spendTakenBack,
      Instant purchasedAt, Instant at, boolean voided, Duration halfLife) {
    reverse(preferences, items, spendTakenBack, purchasedAt, at, voided, null, halfLife);
  }

  /** The same; a void also takes back the visit to its store location (a void is made where the sale was). */
  public static void reverse(CustomerPreferences preferences, List<BasketItem> items, BigDecimal spendTakenBack,
      Instant purchasedAt, Instant at, boolean voided, String locationId, Duration halfLife) {
    moveTo(preferences, at, halfLife);
    double weight = decay(purchasedAt, preferences.getDecayedTo(), halfLife);
    add(preferences, items, -weight);
    if (voided) {
      preferences.setVisits(Math.max(0, preferences.getVisits() - 1));
      if (locationId != null) {
        preferences.setLocations(added(preferences.getLocations(), Map.of(locationId, 1.0), -weight, SMALL_DIMENSION_KEPT));
      }
    }
    BigDecimal spend = preferences.getSpend().subtract(spendTakenBack);
    preferences.setSpend(spend.signum() < 0 ? new BigDecimal("0.00") : spend);
    preferences.setDecayedSpendCents(Math.max(0, preferences.getDecayedSpendCents() - cents(spendTakenBack, weight)));
  }

  /**
   * Moves the reference time forward to {@code at} (decaying every weight), never back; returns the weight a
   * contribution made at {@code at} has at the reference time.
   */
  private static double moveTo(CustomerPreferences preferences, Instant at, Duration halfLife) {
    Instant reference = preferences.getDecayedTo();
    if (!at.isAfter(reference)) {
      return decay(at, reference, halfLife);
    }
    double factor = decay(reference, at, halfLife);
    for (List<Affinity> dimension : dimensions(preferences)) {
      dimension.forEach(affinity -> affinity.setWeight(Math.round(affinity.getWeight() * factor)));
    }
    preferences.setDecayedSpendCents(Math.round(preferences.getDecayedSpendCents() * factor));
    preferences.setDecayedTo(at);
    return 1.0;
  }

  private static void add(CustomerPreferences preferences, List<BasketItem> items, double weight) {
    preferences.setProducts(added(preferences.getProducts(), items, BasketItem::sku, weight, PRODUCTS_KEPT));
    preferences.setCategories(added(preferences.getCategories(), items, BasketItem::category, weight, CATEGORIES_KEPT));
    preferences.setStrains(added(preferences.getStrains(), items, BasketItem::strain, weight, STRAINS_KEPT));
    preferences.setBrands(added(preferences.getBrands(), items, BasketItem::brand, weight, BRANDS_KEPT));
    preferences.setStrainTypes(added(preferences.getStrainTypes(), items, BasketItem::strainType, weight, SMALL_DIMENSION_KEPT));
    preferences.setMethods(added(preferences.getMethods(), items, BasketItem::method, weight, SMALL_DIMENSION_KEPT));
    preferences.setPriceBands(added(preferences.getPriceBands(), items, BasketItem::priceBand, weight, SMALL_DIMENSION_KEPT));
  }

  /**
   * A basket counts once per value of a dimension (two flower lines are one flower basket), with the largest
   * share among its items; the list is re-ranked (weight, then key, so ties are stable) and cut to {@code kept}.
   */
  private static List<Affinity> added(List<Affinity> current, List<BasketItem> items, Function<BasketItem, String> key,
      double weight, int kept) {
    Map<String, Double> shares = new LinkedHashMap<>();
    for (BasketItem item : items) {
      String value = key.apply(item);
      if (value != null) {
        shares.merge(value, item.share(), Math::max);
      }
    }
    return added(current, shares, weight, kept);
  }

  private static List<Affinity> added(List<Affinity> current, Map<String, Double> shares, double weight, int kept) {
    if (shares.isEmpty()) {
      return current;
    }
    Map<String, Long> weights = new LinkedHashMap<>();
    current.forEach(affinity -> weights.put(affinity.getKey(), affinity.getWeight()));
    shares.forEach((value, share) -> weights.merge(value, Math.round(weight * share * WEIGHT_UNIT), Long::sum));
    List<Affinity> ranked = new ArrayList<>();
    weights.forEach((value, w) -> {
      if (w > NEGLIGIBLE) {
        ranked.add(new Affinity(value, w));
      }
    });
    ranked.sort(BY_WEIGHT);
    return ranked.size() > kept ? new ArrayList<>(ranked.subList(0, kept)) : ranked;
  }

  /**
   * A merged duplicate's preferences added to the survivor's: both decayed to the later reference time, the
   * weights of each dimension summed key by key and re-ranked, visits and spend added, the cadence the
   * visit-weighted mean of the two. Recommendations are re-ranked at the survivor's next purchase.
   */
  public static void merge(CustomerPreferences survivor, CustomerPreferences duplicate, Duration halfLife) {
    CustomerPreferences other = CustomerPreferences.newBuilder(duplicate).build();
    Instant reference = survivor.getDecayedTo().isAfter(other.getDecayedTo()) ? survivor.getDecayedTo() : other.getDecayedTo();
    moveTo(survivor, reference, halfLife);
    moveTo(other, reference, halfLife);
    survivor.setProducts(summed(survivor.getProducts(), other.getProducts(), PRODUCTS_KEPT));
    survivor.setCategories(summed(survivor.getCategories(), other.getCategories(), CATEGORIES_KEPT));
    survivor.setStrains(summed(survivor.getStrains(), other.getStrains(), STRAINS_KEPT));
    survivor.setBrands(summed(survivor.getBrands(), other.getBrands(), BRANDS_KEPT));
    survivor.setStrainTypes(summed(survivor.getStrainTypes(), other.getStrainTypes(), SMALL_DIMENSION_KEPT));
    survivor.setMethods(summed(survivor.getMethods(), other.getMethods(), SMALL_DIMENSION_KEPT));
    survivor.setPriceBands(summed(survivor.getPriceBands(), other.getPriceBands(), SMALL_DIMENSION_KEPT));
    survivor.setLocations(summed(survivor.getLocations(), other.getLocations(), SMALL_DIMENSION_KEPT));
    Long mean = survivor.getMeanMinutesBetween();
    Long otherMean = other.getMeanMinutesBetween();
    if (mean == null || otherMean == null) {
      survivor.setMeanMinutesBetween(mean == null ? otherMean : mean);
    } else {
      long visits = Math.max(1, survivor.getVisits() + other.getVisits());
      survivor.setMeanMinutesBetween((mean * survivor.getVisits() + otherMean * other.getVisits() + visits / 2) / visits);
    }
    survivor.setVisits(survivor.getVisits() + other.getVisits());
    survivor.setSpend(survivor.getSpend().add(other.getSpend()));
    survivor.setDecayedSpendCents(survivor.getDecayedSpendCents() + other.getDecayedSpendCents());
    if (other.getFirstPurchaseAt() != null
        && (survivor.getFirstPurchaseAt() == null || other.getFirstPurchaseAt().isBefore(survivor.getFirstPurchaseAt()))) {
      survivor.setFirstPurchaseAt(other.getFirstPurchaseAt());
    }
    if (other.getLastPurchaseAt() != null
        && (survivor.getLastPurchaseAt() == null || other.getLastPurchaseAt().isAfter(survivor.getLastPurchaseAt()))) {
      survivor.setLastPurchaseAt(other.getLastPurchaseAt());
    }
    RecentPurchases.merge(survivor, other);
  }

  private static List<Affinity> summed(List<Affinity> current, List<Affinity> other, int kept) {
    Map<String, Long> weights = new LinkedHashMap<>();
    current.forEach(affinity -> weights.merge(affinity.getKey(), affinity.getWeight(), Long::sum));
    other.forEach(affinity -> weights.merge(affinity.getKey(), affinity.getWeight(), Long::sum));
    List<Affinity> ranked = new ArrayList<>();
    weights.forEach((key, weight) -> ranked.add(new Affinity(key, weight)));
    ranked.sort(BY_WEIGHT);
    return ranked.size() > kept ? new ArrayList<>(ranked.subList(0, kept)) : ranked;
  }

  /** Highest weight first; equal weights by key, so every run ranks alike. */
  public static final Comparator<Affinity> BY_WEIGHT = Comparator.comparingLong(Affinity::getWeight).reversed()
      .thenComparing(Affinity::getKey);

  private static void countVisit(CustomerPreferences preferences, Instant at) {
    Instant last = preferences.getLastPurchaseAt();
    if (last == null) {
      preferences.setFirstPurchaseAt(at);
      preferences.setLastPurchaseAt(at);
      return;
    }
    if (at.isBefore(preferences.getFirstPurchaseAt())) {
      preferences.setFirstPurchaseAt(at);
    }
    long gap = at.toEpochMilli() - last.toEpochMilli();
    if (gap <= 0) {
      return;
    }
    preferences.setLastPurchaseAt(at);
    if (gap < SAME_VISIT_MILLIS) {
      return;
    }
    double minutes = gap / MINUTE_MILLIS;
    Long mean = preferences.getMeanMinutesBetween();
    preferences.setMeanMinutesBetween(Math.round(mean == null ? minutes : mean + GAP_SMOOTHING * (minutes - mean)));
  }

  /** Days between visits, the moving average; null before a second visit. */
  public static Double meanDaysBetween(CustomerPreferences preferences) {
    Long minutes = preferences.getMeanMinutesBetween();
    return minutes == null ? null : minutes / DAY_MINUTES;
  }

  private static long cents(BigDecimal amount, double weight) {
    return Math.round(amount.movePointRight(2).doubleValue() * weight);
  }

  private static List<List<Affinity>> dimensions(CustomerPreferences preferences) {
    return List.of(preferences.getProducts(), preferences.getCategories(), preferences.getStrains(), preferences.getBrands(),
        preferences.getStrainTypes(), preferences.getMethods(), preferences.getPriceBands(), preferences.getLocations());
  }
}
