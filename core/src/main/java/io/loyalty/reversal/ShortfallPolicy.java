package io.loyalty.reversal;

import io.loyalty.accounts.Amounts;
import io.loyalty.avro.NegativeBalancePolicy;
import java.math.BigDecimal;

/**
 * What a reversal larger than the balance does, by the program's policy. Whatever the policy, the uncovered
 * part is recorded on the ledger entry as its shortfall:
 * ALLOW_NEGATIVE takes it all (the balance goes negative); CAP_AT_ZERO takes what the balance covers and
 * writes the rest off; NET_AGAINST_FUTURE takes what it covers and nets the rest against future earning.
 */
record ShortfallPolicy(BigDecimal debit, BigDecimal shortfall, BigDecimal newDebt) {

  static ShortfallPolicy apply(NegativeBalancePolicy policy, BigDecimal amount, BigDecimal balance) {
    BigDecimal covered = amount.min(balance.max(BigDecimal.ZERO));
    BigDecimal uncovered = Amounts.points(amount.subtract(covered));
    return switch (policy) {
      case ALLOW_NEGATIVE -> new ShortfallPolicy(amount, uncovered, Amounts.ZERO_POINTS);
      case CAP_AT_ZERO -> new ShortfallPolicy(covered, uncovered, Amounts.ZERO_POINTS);
      case NET_AGAINST_FUTURE -> new ShortfallPolicy(covered, uncovered, uncovered);
    };
  }
}
