package io.loyalty.accounts;

import io.loyalty.avro.LedgerEntryType;
import java.math.BigDecimal;

/**
 * One points movement to post: its type, signed delta, and what the ledger entry should say about it. A
 * posting may also carry the change it makes to the lifetime figures (spend and earned points of purchases),
 * so that every entry shows them as they are after this entry, like its balance.
 */
public record Posting(LedgerEntryType type, BigDecimal delta, String transactionId, BigDecimal spendBasis,
    String reason, BigDecimal shortfall, String approvedBy, Lifetime lifetime) {

  /** A change of the lifetime spend and lifetime earned points. */
  public record Lifetime(BigDecimal spend, BigDecimal earned) {
    public static final Lifetime NONE = new Lifetime(BigDecimal.ZERO, BigDecimal.ZERO);
  }

  public static Posting of(LedgerEntryType type, BigDecimal delta, String transactionId) {
    return new Posting(type, delta, transactionId, null, null, null, null, Lifetime.NONE);
  }

  public Posting withSpendBasis(BigDecimal spend) {
    return new Posting(type, delta, transactionId, spend, reason, shortfall, approvedBy, lifetime);
  }

  public Posting withReason(String text) {
    return new Posting(type, delta, transactionId, spendBasis, text, shortfall, approvedBy, lifetime);
  }

  public Posting withShortfall(BigDecimal uncovered) {
    return new Posting(type, delta, transactionId, spendBasis, reason, uncovered, approvedBy, lifetime);
  }

  public Posting withApprovedBy(String manager) {
    return new Posting(type, delta, transactionId, spendBasis, reason, shortfall, manager, lifetime);
  }

  public Posting withLifetime(Lifetime change) {
    return new Posting(type, delta, transactionId, spendBasis, reason, shortfall, approvedBy, change);
  }
}
