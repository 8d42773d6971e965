package io.loyalty.metrics;

import io.loyalty.accounts.Amounts;
import io.loyalty.avro.state.HoldoutFigures;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one input did that the KPIs count: the POS event it applied, and what other capabilities did (offers
 * issued and redeemed, workflow runs started and converted). They count here; the metrics reaction takes the
 * counts when the account changed.
 * Staged with the input: a failed input's counts are cleared with the rest of it.
 */
public final class KpiTally {
  private KpiChanges.Sale sale;
  private int offersIssued;
  private int offersRedeemed;
  private int workflowEntries;
  private int workflowConversions;
  /** Per campaign that keeps a control group; sorted, so a delta encodes alike on every run. */
  private final Map<String, HoldoutFigures> holdouts = new TreeMap<>();

  public void sale(KpiChanges.Sale applied) {
    sale = applied;
  }

  KpiChanges.Sale sale() {
    return sale;
  }

  public void offerIssued() {
    offersIssued++;
  }

  public void offerRedeemed() {
    offersRedeemed++;
  }

  public void workflowEntered() {
    workflowEntries++;
  }

  public void workflowConverted() {
    workflowConversions++;
  }

  /** A campaign that keeps a control group treated the customer or kept them in its control group. */
  public void decided(String campaign, boolean control) {
    HoldoutFigures figures = holdout(campaign);
    if (control) {
      figures.setControl(figures.getControl() + 1);
    } else {
      figures.setTreated(figures.getTreated() + 1);
    }
  }

  /**
   * A purchase within the window after the campaign's last decision for the customer.
   *
   * @param first whether it is the first since that decision: the decision converted
   */
  public void purchasedAfter(String campaign, boolean control, boolean first, BigDecimal sales) {
    HoldoutFigures figures = holdout(campaign);
    if (control) {
      figures.setControlConverted(figures.getControlConverted() + (first ? 1 : 0));
      figures.setControlVisits(figures.getControlVisits() + 1);
      figures.setControlSales(Amounts.money(figures.getControlSales().add(sales)));
    } else {
      figures.setTreatedConverted(figures.getTreatedConverted() + (first ? 1 : 0));
      figures.setTreatedVisits(figures.getTreatedVisits() + 1);
      figures.setTreatedSales(Amounts.money(figures.getTreatedSales().add(sales)));
    }
  }

  private HoldoutFigures holdout(String campaign) {
    return holdouts.computeIfAbsent(campaign, name -> HoldoutFigures.newBuilder().setTreatedSales(Amounts.ZERO_MONEY)
        .setControlSales(Amounts.ZERO_MONEY).build());
  }

  Map<String, HoldoutFigures> holdouts() {
    return holdouts;
  }

  int offersIssued() {
    return offersIssued;
  }

  int offersRedeemed() {
    return offersRedeemed;
  }

  int workflowEntries() {
    return workflowEntries;
  }

  int workflowConversions() {
    return workflowConversions;
  }

  public void clear() {
    sale = null;
    offersIssued = 0;
    offersRedeemed = 0;
    workflowEntries = 0;
    workflowConversions = 0;
    holdouts.clear();
  }
}
