package io.loyalty.metrics;

import io.loyalty.accounts.Amounts;
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
    sum.setInputs(sum.getInputs() + delta.getInputs());
    sum.setMemberOrders(sum.getMemberOrders() + delta.getMemberOrders());
    sum.setMemberSales(Amounts.money(sum.getMemberSales().add(delta.getMemberSales())));
    sum.setNonMemberOrders(sum.getNonMemberOrders() + delta.getNonMemberOrders());
    sum.setNonMemberSales(Amounts.money(sum.getNonMemberSales().add(delta.getNonMemberSales())));
    sum.setPointsIssued(Amounts.points(sum.getPointsIssued().add(delta.getPointsIssued())));
    sum.setPointsRedeemed(Amounts.points(sum.getPointsRedeemed().add(delta.getPointsRedeemed())));
    sum.setPointsExpired(Amounts.points(sum.getPointsExpired().add(delta.getPointsExpired())));
    sum.setPointsOutstanding(Amounts.points(sum.getPointsOutstanding().add(delta.getPointsOutstanding())));
    sum.setEnrollments(sum.getEnrollments() + delta.getEnrollments());
    sum.setOptOuts(sum.getOptOuts() + delta.getOptOuts());
    delta.getTierMoves().forEach((tier, members) -> sum.getTierMoves().merge(tier, members, Long::sum));
    sum.getTierMoves().values().removeIf(members -> members == 0);
    sum.setOffersIssued(sum.getOffersIssued() + delta.getOffersIssued());
    sum.setOffersRedeemed(sum.getOffersRedeemed() + delta.getOffersRedeemed());
    sum.setWorkflowEntries(sum.getWorkflowEntries() + delta.getWorkflowEntries());
    sum.setWorkflowConversions(sum.getWorkflowConversions() + delta.getWorkflowConversions());
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
