package io.loyalty.accounts;

import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LotReference;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.LotUse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Posts the points movements of one cause to an account: each changes the balance and its lots and becomes a
 * ledger entry whose balance-after is the previous one plus its delta, with an id derived from the cause.
 */
public final class AccountBook {
  private final AccountState state;
  private final StoredLots storedLots;
  private final EventContext context;
  private final Instant now;
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final Signals signals = new Signals();
  private BigDecimal spendChange = BigDecimal.ZERO;

  /**
   * {@code now} is the account's clock: the later of the cause's time and what the account has seen. Lots beyond
   * the record's share move to the store first.
   */
  public AccountBook(AccountState state, StoredLots storedLots, EventContext context) {
    this.state = state;
    this.storedLots = storedLots;
    this.context = context;
    this.now = state.getClock().isAfter(context.occurredAt()) ? state.getClock() : context.occurredAt();
    state.setClock(now);
    Lots.shelve(state, storedLots, now);
  }

  /** A new account, copied from a blank one (see {@link Prototypes}): many customers are first-time customers. */
  public static AccountState open(String organizationId, String customerId, Instant at) {
    AccountState state = Prototypes.copyOf(BLANK);
    state.setOrganizationId(organizationId);
    state.setCustomerId(customerId);
    state.setFirstSeenAt(at);
    state.setUpdatedAt(at);
    state.setClock(at);
    return state;
  }

  private static final AccountState BLANK = AccountState.newBuilder()
      .setOrganizationId("")
      .setCustomerId("")
      .setBalance(Amounts.ZERO_POINTS)
      .setLifetimeEarned(Amounts.ZERO_POINTS)
      .setLifetimeSpend(Amounts.ZERO_MONEY)
      .setFirstSeenAt(Instant.EPOCH)
      .setUpdatedAt(Instant.EPOCH)
      .setClock(Instant.EPOCH)
      .setLastEventId("")
      .setPreferences(Map.of())
      .setDebt(Amounts.ZERO_POINTS)
      .setBoosts(List.of())
      .setAffordableRewards(List.of())
      .build();

  public AccountState state() {
    return state;
  }

  public EventContext context() {
    return context;
  }

  /** What the capabilities signal each other about this change. */
  public Signals signals() {
    return signals;
  }

  public Instant now() {
    return now;
  }

  public BigDecimal balance() {
    return state.getBalance();
  }

  public BigDecimal spendable() {
    return Balances.spendable(state, now);
  }

  /** The id the next entry will get; credits name their lot after it. */
  public String nextEntryId() {
    return state.getOrganizationId() + "/" + context.sourceEventId() + "/" + entries.size();
  }

  /** A credit that creates a lot, available from {@code availableAt} (null: at once). */
  public LedgerEntry credit(Posting posting, Instant availableAt, Instant expiresAt) {
    String lotId = nextEntryId();
    BigDecimal kept = Lots.credit(state, new Lot(lotId, now, availableAt, expiresAt, Amounts.points(posting.delta())));
    return record(posting, kept.signum() > 0 ? List.of(new LotReference(lotId, kept)) : List.of());
  }

  /** A credit made of lots that keep their ids and ages: what a merged account held, in one entry. */
  public LedgerEntry transferIn(Posting posting, List<Lot> lots) {
    return record(posting, Lots.creditAll(state, lots));
  }

  /** A credit of points given back into the lots they were taken from, keeping their ages. */
  public LedgerEntry refund(Posting posting, List<LotUse> from) {
    return record(posting, Lots.restore(state, storedLots, from, nextEntryId(), now));
  }

  /**
   * A debit (negative delta) taken from the lots; what the lots cannot cover leaves the balance negative.
   * Returns the lots taken from, for a later refund.
   */
  public List<LotUse> debit(Posting posting, LotKey preferred, boolean spendableOnly) {
    List<LotUse> uses = Lots.take(state, storedLots, posting.delta().negate(), preferred, spendableOnly, now);
    record(posting, Lots.references(uses));
    return uses;
  }

  /**
   * Changes the lifetime figures without an entry, when nothing is posted for the change that moves them (a
   * purchase that earns nothing, a return of points never earned).
   */
  public void countLifetime(Posting.Lifetime change) {
    spendChange = spendChange.add(change.spend());
    state.setLifetimeSpend(Amounts.money(state.getLifetimeSpend().add(change.spend())));
    state.setLifetimeEarned(Amounts.points(state.getLifetimeEarned().add(change.earned())));
  }

  /** Every figure an entry shows is the account's after this entry: balance, spendable, pending, lifetime. */
  private LedgerEntry record(Posting posting, List<LotReference> lots) {
    if (posting.lifetime() != Posting.Lifetime.NONE) {
      countLifetime(posting.lifetime());
    }
    BigDecimal balanceAfter = Amounts.points(state.getBalance().add(posting.delta()));
    LedgerEntry entry = LedgerEntry.newBuilder()
        .setEntryId(nextEntryId())
        .setAccountKey(AccountKey.of(state.getOrganizationId(), state.getCustomerId()))
        .setOrganizationId(state.getOrganizationId())
        .setCustomerId(state.getCustomerId())
        .setLocationId(context.locationId())
        .setType(posting.type())
        .setDelta(Amounts.points(posting.delta()))
        .setBalanceAfter(balanceAfter)
        .setSpendableAfter(Amounts.ZERO_POINTS)
        .setPendingAfter(Amounts.ZERO_POINTS)
        .setLifetimeEarned(state.getLifetimeEarned())
        .setLifetimeSpend(state.getLifetimeSpend())
        .setOccurredAt(context.occurredAt())
        .setSourceEventId(context.sourceEventId())
        .setTransactionId(posting.transactionId())
        .setProgramVersion(context.programVersion())
        .setSpendBasis(posting.spendBasis())
        .setReason(posting.reason())
        .setActor(context.actor())
        .setApprovedBy(posting.approvedBy())
        .setShortfall(posting.shortfall() == null ? null : Amounts.points(posting.shortfall()))
        .setLots(lots)
        .build();
    state.setBalance(balanceAfter);
    entry.setSpendableAfter(Balances.spendable(state, now));
    entry.setPendingAfter(Balances.pending(state, now));
    entries.add(entry);
    return entry;
  }

  /** Marks the cause applied: business time and id of the account's last change. */
  public void touch() {
    state.setUpdatedAt(context.occurredAt());
    state.setLastEventId(context.sourceEventId());
    if (context.programVersion() != null) {
      state.setProgramVersion(context.programVersion());
    }
  }

  /** What this input changed the lifetime spend by: a purchase's eligible spend, a return's or void's (negative). */
  public BigDecimal spendChange() {
    return spendChange;
  }

  public List<LedgerEntry> entries() {
    return List.copyOf(entries);
  }
}
