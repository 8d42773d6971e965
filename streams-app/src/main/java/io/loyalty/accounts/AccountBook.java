package io.loyalty.accounts;

import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.state.AccountState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts the points movements of one event to an account: each movement changes the balance and becomes a
 * ledger entry whose balance-after is the previous one plus its delta, with an id derived from the event.
 */
public final class AccountBook {
  private final AccountState state;
  private final EventContext context;
  private final List<LedgerEntry> entries = new ArrayList<>();

  public AccountBook(AccountState state, EventContext context) {
    this.state = state;
    this.context = context;
  }

  /** A new account first seen at the event's time. */
  public static AccountState open(String organizationId, String customerId, EventContext context) {
    return AccountState.newBuilder()
        .setOrganizationId(organizationId)
        .setCustomerId(customerId)
        .setBalance(Amounts.ZERO_POINTS)
        .setLifetimeEarned(Amounts.ZERO_POINTS)
        .setLifetimeSpend(Amounts.ZERO_MONEY)
        .setFirstSeenAt(context.occurredAt())
        .setUpdatedAt(context.occurredAt())
        .setLastEventId(context.sourceEventId())
        .build();
  }

  public AccountState state() {
    return state;
  }

  public EventContext context() {
    return context;
  }

  public BigDecimal balance() {
    return state.getBalance();
  }

  public void post(LedgerEntryType type, BigDecimal delta, String transactionId, BigDecimal spendBasis) {
    BigDecimal balanceAfter = Amounts.points(state.getBalance().add(delta));
    state.setBalance(balanceAfter);
    if (type == LedgerEntryType.EARN) {
      state.setLifetimeEarned(Amounts.points(state.getLifetimeEarned().add(delta)));
    }
    entries.add(LedgerEntry.newBuilder()
        .setEntryId(state.getOrganizationId() + "/" + context.sourceEventId() + "/" + entries.size())
        .setAccountKey(AccountKey.of(state.getOrganizationId(), state.getCustomerId()))
        .setOrganizationId(state.getOrganizationId())
        .setCustomerId(state.getCustomerId())
        .setLocationId(context.locationId())
        .setType(type)
        .setDelta(Amounts.points(delta))
        .setBalanceAfter(balanceAfter)
        .setSpendableAfter(balanceAfter)
        .setPendingAfter(Amounts.ZERO_POINTS)
        .setLifetimeEarned(state.getLifetimeEarned())
        .setLifetimeSpend(state.getLifetimeSpend())
        .setOccurredAt(context.occurredAt())
        .setSourceEventId(context.sourceEventId())
        .setTransactionId(transactionId)
        .setProgramVersion(context.programVersion())
        .setSpendBasis(spendBasis)
        .setActor(context.actor())
        .build());
  }

  /** Marks the event applied: business time and cause of the account's last change. */
  public void touch() {
    state.setUpdatedAt(context.occurredAt());
    state.setLastEventId(context.sourceEventId());
    state.setProgramVersion(context.programVersion());
  }

  public List<LedgerEntry> entries() {
    return List.copyOf(entries);
  }
}
