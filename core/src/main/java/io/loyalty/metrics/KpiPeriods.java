package io.loyalty.metrics;

import io.loyalty.avro.KpiGrain;
import java.time.LocalDate;

/**
 * KPI periods as integer indexes, so that "the period before" is index - 1 and a member's periods fit in bits:
 * a day is its epoch day, a week is counted in ISO weeks (Monday first) from Monday 5 January 1970, a month is
 * year x 12 + month - 1.
 */
public final class KpiPeriods {
  /** Epoch day of the first Monday after the epoch (1 January 1970 was a Thursday). */
  private static final int FIRST_MONDAY = 4;

  private KpiPeriods() {}

  public static int index(KpiGrain grain, LocalDate day) {
    return switch (grain) {
      case DAY -> Math.toIntExact(day.toEpochDay());
      case WEEK -> Math.floorDiv(Math.toIntExact(day.toEpochDay()) - FIRST_MONDAY, 7);
      case MONTH -> day.getYear() * 12 + day.getMonthValue() - 1;
    };
  }

  public static int index(KpiGrain grain, int epochDay) {
    return index(grain, LocalDate.ofEpochDay(epochDay));
  }

  public static LocalDate start(KpiGrain grain, int index) {
    return switch (grain) {
      case DAY -> LocalDate.ofEpochDay(index);
      case WEEK -> LocalDate.ofEpochDay(7L * index + FIRST_MONDAY);
      case MONTH -> LocalDate.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1, 1);
    };
  }

  /** Last day of the period. */
  public static LocalDate end(KpiGrain grain, int index) {
    return start(grain, index + 1).minusDays(1);
  }

  /** How many periods of a grain the KPI store keeps: about 13 months of days, 3 years of weeks, 5 years of months. */
  public static int kept(KpiGrain grain) {
    return switch (grain) {
      case DAY -> 400;
      case WEEK -> 156;
      case MONTH -> 60;
    };
  }
}
