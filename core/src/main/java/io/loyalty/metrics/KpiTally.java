package io.loyalty.metrics;

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
  }
}
