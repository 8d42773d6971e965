package io.loyalty.metrics;

import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.state.KpiMark;
import io.loyalty.avro.state.KpiMarkBits;
import io.loyalty.avro.state.KpiMarkKind;
import io.loyalty.avro.state.KpiMarks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which periods a member is counted in. A member counts once per period as active (and at most ten locations
 * apart from the organization), redeeming, eligible for a higher tier or moved up, whatever order their events
 * arrive in: each is a bit, set once. Retention needs no bit of its own: a member is retained in period p when
 * the bits of p - 1 and p are both set, which happens exactly once, when the second of them is set.
 *
 * <p>Bits reach 64 periods back from the latest marked (64 days, weeks, months): an event older than that for its
 * grain is counted in the sums but not in the member counts.
 */
public final class KpiMarksRules {
  public static final KpiGrain[] GRAINS = KpiGrain.values();
  /** Locations followed per member, apart from the organization as a whole: bounded state, most recent kept. */
  static final int LOCATIONS_KEPT = 10;

  private KpiMarksRules() {}

  public static KpiMarks empty() {
    return new KpiMarks(false, null, new ArrayList<>());
  }

  /**
   * A member's purchase on a local day at a location: active in its periods (organization and location), and
   * retained where the period before or after is already active.
   *
   * @param eligible whether the member was below the program's top tier before it: the first activity of a period
   *     makes them eligible for a tier move in it
   */
  public static void active(KpiMarks marks, int day, String locationId, boolean eligible, List<KpiMark> counted) {
    for (KpiGrain grain : GRAINS) {
      int period = KpiPeriods.index(grain, day);
      for (String scope : locationId == null ? new String[] {null} : new String[] {null, locationId}) {
        if (!set(marks, KpiMarkKind.ACTIVE, grain, scope, period)) {
          continue;
        }
        counted.add(new KpiMark(KpiMarkKind.ACTIVE, grain, period, scope, 1L));
        if (isSet(marks, KpiMarkKind.ACTIVE, grain, scope, period - 1)) {
          counted.add(new KpiMark(KpiMarkKind.RETAINED, grain, period, scope, 1L));
        }
        if (isSet(marks, KpiMarkKind.ACTIVE, grain, scope, period + 1)) {
          counted.add(new KpiMark(KpiMarkKind.RETAINED, grain, period + 1, scope, 1L));
        }
        if (scope == null && eligible) {
          once(marks, KpiMarkKind.ELIGIBLE, grain, period, counted);
        }
      }
    }
    keepRecentLocations(marks);
  }

  /** The member spent points on that day. */
  public static void redeemed(KpiMarks marks, int day, List<KpiMark> counted) {
    for (KpiGrain grain : GRAINS) {
      once(marks, KpiMarkKind.REDEEMED, grain, KpiPeriods.index(grain, day), counted);
    }
  }

  /** The member reached a higher tier on that day: moved up, and so eligible, in its periods. */
  public static void movedUp(KpiMarks marks, int day, List<KpiMark> counted) {
    for (KpiGrain grain : GRAINS) {
      int period = KpiPeriods.index(grain, day);
      once(marks, KpiMarkKind.MOVED_UP, grain, period, counted);
      once(marks, KpiMarkKind.ELIGIBLE, grain, period, counted);
    }
  }

  private static void once(KpiMarks marks, KpiMarkKind kind, KpiGrain grain, int period, List<KpiMark> counted) {
    if (set(marks, kind, grain, null, period)) {
      counted.add(new KpiMark(kind, grain, period, null, 1L));
    }
  }

  static boolean isSet(KpiMarks marks, KpiMarkKind kind, KpiGrain grain, String locationId, int period) {
    return find(marks, kind, grain, locationId).map(bits -> {
      int back = bits.getLatest() - period;
      return back >= 0 && back < Long.SIZE && (bits.getBits() & (1L << back)) != 0;
    }).orElse(false);
  }

  /** Sets the period's bit; false when it was set already or lies beyond the 64 periods kept. */
  static boolean set(KpiMarks marks, KpiMarkKind kind, KpiGrain grain, String locationId, int period) {
    Optional<KpiMarkBits> found = find(marks, kind, grain, locationId);
    if (found.isEmpty()) {
      marks.getMarks().add(new KpiMarkBits(kind, grain, locationId, period, 1L));
      return true;
    }
    KpiMarkBits bits = found.get();
    if (period > bits.getLatest()) {
      int shift = period - bits.getLatest();
      bits.setBits((shift >= Long.SIZE ? 0L : bits.getBits() << shift) | 1L);
      bits.setLatest(period);
      return true;
    }
    int back = bits.getLatest() - period;
    if (back >= Long.SIZE || (bits.getBits() & (1L << back)) != 0) {
      return false;
    }
    bits.setBits(bits.getBits() | (1L << back));
    return true;
  }

  private static Optional<KpiMarkBits> find(KpiMarks marks, KpiMarkKind kind, KpiGrain grain, String locationId) {
    for (KpiMarkBits bits : marks.getMarks()) {
      if (bits.getKind() == kind && bits.getGrain() == grain && Objects.equals(bits.getLocationId(), locationId)) {
        return Optional.of(bits);
      }
    }
    return Optional.empty();
  }

  /** Forgets the locations visited least recently beyond the ten kept. */
  private static void keepRecentLocations(KpiMarks marks) {
    List<KpiMarkBits> days = marks.getMarks().stream()
        .filter(bits -> bits.getLocationId() != null && bits.getGrain() == KpiGrain.DAY && bits.getKind() == KpiMarkKind.ACTIVE)
        .sorted(Comparator.comparingInt(KpiMarkBits::getLatest).reversed().thenComparing(KpiMarkBits::getLocationId))
        .toList();
    for (KpiMarkBits forgotten : days.subList(Math.min(LOCATIONS_KEPT, days.size()), days.size())) {
      marks.getMarks().removeIf(bits -> forgotten.getLocationId().equals(bits.getLocationId()));
    }
  }
}
