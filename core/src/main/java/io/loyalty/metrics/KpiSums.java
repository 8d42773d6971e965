package io.loyalty.metrics;

import io.loyalty.accounts.Amounts;
import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.HoldoutKpis;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.state.HoldoutFigures;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMark;
import io.loyalty.avro.state.KpiRow;
import io.loyalty.holdouts.HoldoutReport;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The KPI rows of an organization: sums per organization (and location), grain and period, plus the running
 * totals that closing figures (outstanding points, members, tier distribution) are taken from. Every figure is
 * a sum, so rows end the same whatever order the partitions' deltas arrive in.
 *
 * <p>Row keys sort by organization, location, grain and period: organizationId|location or *|grain|period padded.
 */
public final class KpiSums {
  public static final String ALL_LOCATIONS = "*";
  private static final String TOTALS = "TOTAL";
  private static final int RATIO_SCALE = 4;

  private KpiSums() {}

  public static String key(String organizationId, String locationId, KpiGrain grain, int period) {
    return prefix(organizationId, locationId, grain) + String.format("%08d", period);
  }

  public static String prefix(String organizationId, String locationId, KpiGrain grain) {
    return organizationId + "|" + (locationId == null ? ALL_LOCATIONS : locationId) + "|" + grain + "|";
  }

  public static String totalsKey(String organizationId) {
    return organizationId + "|" + ALL_LOCATIONS + "|" + TOTALS;
  }

  public static int period(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('|') + 1));
  }

  public static KpiRow empty() {
    return new KpiRow(0L, 0L, 0L, 0L, 0L, 0L, 0L, Amounts.ZERO_MONEY, 0L, Amounts.ZERO_MONEY, Amounts.ZERO_POINTS,
        Amounts.ZERO_POINTS, Amounts.ZERO_POINTS, Amounts.ZERO_POINTS, 0L, 0L, new HashMap<>(), 0L, 0L, 0L, 0L, new TreeMap<>());
  }

  /** Adds a delta's sums to a row of its day (organization or location) or to the totals. */
  public static void add(KpiRow row, KpiDelta delta) {
    KpiFigures.add(row, delta);
    Map<String, Long> tiers = new HashMap<>(row.getTiers());
    delta.getTierMoves().forEach((tier, members) -> tiers.merge(tier, members, Long::sum));
    // A record of the previous version (one input) names the tiers instead.
    if (delta.getTierLeft() != null) {
      tiers.merge(delta.getTierLeft(), -1L, Long::sum);
    }
    if (delta.getTierEntered() != null) {
      tiers.merge(delta.getTierEntered(), 1L, Long::sum);
    }
    tiers.values().removeIf(count -> count == 0);
    row.setTiers(tiers);
  }

  /** Counts the mark's members in the row of its period. */
  public static void count(KpiRow row, KpiMark mark) {
    switch (mark.getKind()) {
      case ACTIVE -> row.setActiveMembers(row.getActiveMembers() + mark.getMembers());
      case RETAINED -> row.setRetainedMembers(row.getRetainedMembers() + mark.getMembers());
      case REDEEMED -> row.setRedeemingMembers(row.getRedeemingMembers() + mark.getMembers());
      case ELIGIBLE -> row.setEligibleMembers(row.getEligibleMembers() + mark.getMembers());
      case MOVED_UP -> row.setMovedUp(row.getMovedUp() + mark.getMembers());
    }
  }

  /**
   * The figures of a period as published.
   *
   * @param previous the row of the period before (retention), or null
   * @param totals the organization's totals, or null for a location's row
   * @param later the organization rows of the same grain after this period: closing figures are the totals less
   *     what came after
   * @param organizationInputs all inputs the organization's KPIs summed so far, which makes each snapshot's id unique
   */
  public static ProgramKpis view(String organizationId, String locationId, KpiGrain grain, int period, KpiRow row, KpiRow previous,
      KpiRow totals, List<KpiRow> later, long organizationInputs, ProgramRules program) {
    KpiRow before = previous == null ? empty() : previous;
    ProgramKpis kpis = new ProgramKpis();
    kpis.setMetricId(organizationId + "/" + (locationId == null ? ALL_LOCATIONS : locationId) + "/" + grain + "/"
        + KpiPeriods.start(grain, period) + "@" + row.getInputs() + "." + organizationInputs);
    kpis.setOrganizationId(organizationId);
    kpis.setLocationId(locationId);
    kpis.setGrain(grain);
    kpis.setPeriodStart(KpiPeriods.start(grain, period).toString());
    kpis.setPeriodEnd(KpiPeriods.end(grain, period).toString());
    kpis.setTimeZone(program.zone().getId());
    kpis.setCurrency(program.config().getCurrency());
    kpis.setInputs(row.getInputs());
    kpis.setActiveMembers(row.getActiveMembers());
    kpis.setPreviousActiveMembers(before.getActiveMembers());
    kpis.setRetainedMembers(row.getRetainedMembers());
    kpis.setRetentionRate(ratio(row.getRetainedMembers(), before.getActiveMembers()));
    kpis.setMemberOrders(row.getMemberOrders());
    kpis.setPurchaseFrequency(ratio(row.getMemberOrders(), row.getActiveMembers()));
    kpis.setMemberSales(row.getMemberSales());
    kpis.setMemberAverageOrderValue(average(row.getMemberSales(), row.getMemberOrders()));
    kpis.setNonMemberOrders(row.getNonMemberOrders());
    kpis.setNonMemberSales(row.getNonMemberSales());
    kpis.setNonMemberAverageOrderValue(average(row.getNonMemberSales(), row.getNonMemberOrders()));
    kpis.setPointsIssued(row.getPointsIssued());
    kpis.setPointsRedeemed(row.getPointsRedeemed());
    kpis.setPointsExpired(row.getPointsExpired());
    kpis.setPointsRedemptionRate(ratio(row.getPointsRedeemed(), row.getPointsIssued()));
    kpis.setRedeemingMembers(row.getRedeemingMembers());
    kpis.setMemberRedemptionRate(ratio(row.getRedeemingMembers(), row.getActiveMembers()));
    kpis.setEligibleMembers(row.getEligibleMembers());
    kpis.setMovedUp(row.getMovedUp());
    kpis.setTierConversion(ratio(row.getMovedUp(), row.getEligibleMembers()));
    kpis.setNewEnrollments(row.getEnrollments());
    kpis.setOptOuts(row.getOptOuts());
    kpis.setBreakage(ratio(row.getPointsExpired(), row.getPointsIssued()));
    kpis.setOffersIssued(row.getOffersIssued());
    kpis.setOffersRedeemed(row.getOffersRedeemed());
    kpis.setOfferConversion(ratio(row.getOffersRedeemed(), row.getOffersIssued()));
    kpis.setWorkflowEntries(row.getWorkflowEntries());
    kpis.setWorkflowConversions(row.getWorkflowConversions());
    kpis.setWorkflowConversion(ratio(row.getWorkflowConversions(), row.getWorkflowEntries()));
    kpis.setTierDistribution(Map.of());
    kpis.setHoldouts(Map.of());
    if (totals != null) {
      BigDecimal outstanding = totals.getPointsOutstanding();
      long members = totals.getEnrollments() - totals.getOptOuts();
      Map<String, Long> tiers = new TreeMap<>(totals.getTiers());
      for (KpiRow after : later) {
        outstanding = outstanding.subtract(after.getPointsOutstanding());
        members -= after.getEnrollments() - after.getOptOuts();
        after.getTiers().forEach((tier, change) -> tiers.merge(tier, -change, Long::sum));
      }
      tiers.values().removeIf(count -> count == 0);
      kpis.setHoldouts(holdoutsToDate(totals, later));
      kpis.setOutstandingPoints(Amounts.points(outstanding));
      kpis.setLiability(outstanding.multiply(program.pointValue()).setScale(Amounts.MONEY_SCALE, RoundingMode.HALF_EVEN));
      kpis.setMembersAtEnd(members);
      kpis.setTierDistribution(tiers);
    }
    return kpis;
  }

  /** Each campaign's treated and control groups from its start to the period's end: the totals less what came after. */
  private static Map<String, HoldoutKpis> holdoutsToDate(KpiRow totals, List<KpiRow> later) {
    Map<String, HoldoutFigures> toDate = new TreeMap<>(totals.getHoldouts());
    for (KpiRow after : later) {
      after.getHoldouts().forEach((campaign, figures) -> toDate.computeIfPresent(campaign, (name, sum) -> KpiFigures.minus(sum, figures)));
    }
    Map<String, HoldoutKpis> published = new TreeMap<>();
    toDate.forEach((campaign, figures) -> {
      if (figures.getTreated() + figures.getControl() > 0) {
        published.put(campaign, holdout(figures));
      }
    });
    return published;
  }

  private static HoldoutKpis holdout(HoldoutFigures figures) {
    HoldoutReport report = HoldoutReport.of(figures);
    return HoldoutKpis.newBuilder().setTreated(figures.getTreated()).setControl(figures.getControl())
        .setTreatedConverted(figures.getTreatedConverted()).setControlConverted(figures.getControlConverted())
        .setTreatedConversion(report.treatment().conversionRate()).setControlConversion(report.control().conversionRate())
        .setLift(report.lift()).setLiftLow(report.liftLow()).setLiftHigh(report.liftHigh())
        .setTreatedSales(figures.getTreatedSales()).setControlSales(figures.getControlSales())
        .setTreatedSalesPerDecision(report.treatment().spendPerMember()).setControlSalesPerDecision(report.control().spendPerMember())
        .setTreatedVisits(figures.getTreatedVisits()).setControlVisits(figures.getControlVisits()).build();
  }

  private static BigDecimal ratio(long numerator, long denominator) {
    return ratio(BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator));
  }

  private static BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
    return denominator.signum() == 0 ? null : numerator.divide(denominator, RATIO_SCALE, RoundingMode.HALF_EVEN);
  }

  private static BigDecimal average(BigDecimal sales, long orders) {
    return orders == 0 ? null : sales.divide(BigDecimal.valueOf(orders), Amounts.MONEY_SCALE, RoundingMode.HALF_EVEN);
  }
}
