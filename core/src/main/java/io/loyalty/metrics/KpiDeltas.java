package io.loyalty.metrics;

import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMark;
import java.util.Objects;

/**
 * What many inputs add to one organization's KPIs on one day at one location, summed where the inputs are applied,
 * so that the KPI aggregation receives one record per commit rather than one per input. Every figure of a delta is a
 * sum (marks counted per period), so summing first ends in the same rows.
 */
public final class KpiDeltas {
  private KpiDeltas() {}

  /** The deltas that sum into one record: same organization, location and day. */
  public static String key(KpiDelta delta) {
    return delta.getOrganizationId() + "|" + Objects.requireNonNullElse(delta.getLocationId(), KpiSums.ALL_LOCATIONS) + "|"
        + delta.getDay();
  }

  /** Adds {@code delta} into {@code sum}, a record of the same {@link #key}. */
  public static void add(KpiDelta sum, KpiDelta delta) {
    KpiFigures.add(sum, delta);
    delta.getTierMoves().forEach((tier, members) -> sum.getTierMoves().merge(tier, members, Long::sum));
    sum.getTierMoves().values().removeIf(members -> members == 0);
    for (KpiMark mark : delta.getMarks()) {
      sum.getMarks().stream().filter(counted -> samePeriod(counted, mark)).findFirst()
          .ifPresentOrElse(counted -> counted.setMembers(counted.getMembers() + mark.getMembers()),
              () -> sum.getMarks().add(KpiMark.newBuilder(mark).build()));
    }
  }

  private static boolean samePeriod(KpiMark one, KpiMark other) {
    return one.getKind() == other.getKind() && one.getGrain() == other.getGrain() && one.getPeriod() == other.getPeriod()
        && Objects.equals(one.getLocationId(), other.getLocationId());
  }
}
