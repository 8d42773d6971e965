package io.loyalty.accounts;

import io.loyalty.avro.LedgerEntryType;
import java.math.BigDecimal;

/** One points movement to post: its type, signed delta, and what the ledger entry should say about it. */
public record Posting(LedgerEntryType type, BigDecimal delta, String transactionId, BigDecimal spendBasis,
    String reason, BigDecimal shortfall, String approvedBy) {

  public static Posting of(LedgerEntryType type, BigDecimal delta, String transactionId) {
    return new Posting(type, delta, transactionId, null, null, null, null);
  }

  public Posting withSpendBasis(BigDecimal spend) {
    return new Posting(type, delta, transactionId, spend, reason, shortfall, approvedBy);
  }

  public Posting withReason(String text) {
    return new Posting(type, delta, transactionId, spendBasis, text, shortfall, approvedBy);
  }

  public Posting withShortfall(BigDecimal uncovered) {
    return new Posting(type, delta, transactionId, spendBasis, reason, uncovered, approvedBy);
  }

  public Posting withApprovedBy(String manager) {
    return new Posting(type, delta, transactionId, spendBasis, reason, shortfall, manager);
  }
}
