package io.loyalty.accounts;

import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Hold;
import io.loyalty.avro.state.Lot;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The parts of a balance at a moment: pending (lots not yet available), held (open holds) and spendable
 * (the rest, never below zero). The balance itself is the sum of the ledger deltas.
 */
public final class Balances {
  private Balances() {}

  public static BigDecimal pending(AccountState state, Instant now) {
    BigDecimal pending = Amounts.ZERO_POINTS;
    for (Lot lot : state.getLots()) {
      if (lot.getAvailableAt() != null && lot.getAvailableAt().isAfter(now)) {
        pending = pending.add(lot.getRemaining());
      }
    }
    return pending;
  }

  public static BigDecimal held(AccountState state) {
    BigDecimal held = Amounts.ZERO_POINTS;
    for (Hold hold : state.getHolds()) {
      held = held.add(hold.getPoints());
    }
    return held;
  }

  public static BigDecimal spendable(AccountState state, Instant now) {
    return Amounts.points(state.getBalance().subtract(pending(state, now)).subtract(held(state)).max(BigDecimal.ZERO));
  }
}
