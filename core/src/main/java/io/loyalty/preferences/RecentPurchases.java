package io.loyalty.preferences;

import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.DailyPurchases;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Purchases and spend per local day over the last {@link #DAYS_KEPT} days, for segments over "the last N days":
 * at most one entry per day with a purchase, so the record stays bounded whatever the customer's history. A
 * return or void counts on the day of the purchase it reverses.
 */
public final class RecentPurchases {
  public static final int DAYS_KEPT = 90;

  private RecentPurchases() {}

  /** Adds to the purchase day's entry (negative for a return or void); days older than the newest by DAYS_KEPT go. */
  public static void add(CustomerPreferences preferences, Instant purchasedAt, ZoneId zone, int purchases, long spendCents) {
    int day = (int) LocalDate.ofInstant(purchasedAt, zone).toEpochDay();
    List<DailyPurchases> days = new ArrayList<>(preferences.getRecentDays());
    int newest = days.isEmpty() ? day : Math.max(day, days.get(days.size() - 1).getDay());
    if (day <= newest - DAYS_KEPT) {
      return;
    }
    int at = 0;
    while (at < days.size() && days.get(at).getDay() < day) {
      at++;
    }
    if (at < days.size() && days.get(at).getDay() == day) {
      DailyPurchases entry = days.get(at);
      days.set(at, new DailyPurchases(day, Math.max(0, entry.getPurchases() + purchases), Math.max(0, entry.getSpendCents() + spendCents)));
    } else if (purchases > 0) {
      days.add(at, new DailyPurchases(day, purchases, Math.max(0, spendCents)));
    }
    days.removeIf(entry -> entry.getDay() <= newest - DAYS_KEPT);
    preferences.setRecentDays(days);
  }

  /** A merged duplicate's days added to the survivor's, day by day; the window follows the newest day of both. */
  static void merge(CustomerPreferences survivor, CustomerPreferences duplicate) {
    TreeMap<Integer, DailyPurchases> days = new TreeMap<>();
    for (DailyPurchases entry : survivor.getRecentDays()) {
      days.put(entry.getDay(), entry);
    }
    for (DailyPurchases entry : duplicate.getRecentDays()) {
      days.merge(entry.getDay(), entry, (mine, theirs) -> new DailyPurchases(mine.getDay(), mine.getPurchases() + theirs.getPurchases(),
          mine.getSpendCents() + theirs.getSpendCents()));
    }
    if (!days.isEmpty()) {
      int newest = days.lastKey();
      days.headMap(newest - DAYS_KEPT, true).clear();
    }
    survivor.setRecentDays(new ArrayList<>(days.values()));
  }

  /** Purchases over the last {@code windowDays} local days, today included. */
  public static long purchases(CustomerPreferences preferences, int windowDays, LocalDate today) {
    return within(preferences, windowDays, today).stream().mapToLong(DailyPurchases::getPurchases).sum();
  }

  /** Spend in cents over the same days. */
  public static long spendCents(CustomerPreferences preferences, int windowDays, LocalDate today) {
    return within(preferences, windowDays, today).stream().mapToLong(DailyPurchases::getSpendCents).sum();
  }

  /** When the oldest day now inside the window leaves it: the start of the local day windowDays after it. */
  public static Optional<Instant> nextLeaving(CustomerPreferences preferences, int windowDays, LocalDate today, ZoneId zone) {
    return within(preferences, windowDays, today).stream().findFirst()
        .map(entry -> LocalDate.ofEpochDay(entry.getDay() + (long) windowDays).atStartOfDay(zone).toInstant());
  }

  private static List<DailyPurchases> within(CustomerPreferences preferences, int windowDays, LocalDate today) {
    long first = today.toEpochDay() - windowDays + 1;
    return preferences.getRecentDays().stream().filter(entry -> entry.getDay() >= first && entry.getDay() <= today.toEpochDay())
        .toList();
  }
}
