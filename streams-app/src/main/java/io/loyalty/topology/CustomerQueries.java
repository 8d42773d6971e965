package io.loyalty.topology;

import io.loyalty.accounts.ContactKeys;
import io.loyalty.accounts.ProfileView;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.Channel;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.SegmentMembership;
import io.loyalty.avro.state.SegmentMemberships;
import io.loyalty.avro.state.ContactIndexEntry;
import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.EventContext;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.earning.PurchaseRules;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.programs.ProgramRules;
import io.loyalty.redemption.CheckoutQuote;
import io.loyalty.runtime.Topics;
import java.math.BigDecimal;
import io.loyalty.serde.AvroCodec;
import io.loyalty.runtime.EngineMeters;
import io.loyalty.serde.SerdeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Reads of a customer's account from this instance's stores (Kafka Streams interactive queries): where an
 * account key lives, the account's profile and its latest ledger entries where this instance holds them, and
 * the account a hashed phone or email belongs to. The stores and their encodings stay in this package.
 */
public final class CustomerQueries {
  /** How many of an account's latest ledger entries are kept for reads. */
  public static final int ENTRIES_KEPT = RecentEntries.KEPT;
  private final LocalStores stores;
  private final AvroCodec<LedgerEntry> entries = LoyaltyTopology.STATE_SERDES.codec(LedgerEntry.class);
  private final AvroCodec<ContactIndexEntry> contacts = LoyaltyTopology.STATE_SERDES.codec(ContactIndexEntry.class);

  private final Reactions capabilities;

  private final ContactKeys contactKeys;

  public CustomerQueries(KafkaStreams streams, SerdeFactory serdes, Topics topics, EngineSettings settings) {
    this.stores = new LocalStores(streams, serdes);
    this.contactKeys = settings.contactKeys();
    this.capabilities = LoyaltyTopology.reactions(AccountOutputs.of(topics, serdes, EngineMeters.inMemory()), serdes, contactKeys);
  }

  public Optional<Placement> placement(String accountKey) {
    return stores.placement(LoyaltyTopology.ACCOUNTS_STORE, accountKey);
  }

  /** How far this instance's copy of the account's partition is behind (a standby's), in records. */
  public OptionalLong lag(int partition) {
    return stores.lag(LoyaltyTopology.ACCOUNTS_STORE, partition);
  }

  /**
   * The account's profile as the account path describes it after a change: balance, spendable, pending, tier and
   * its validity, membership, consent, holds and lots, and what each capability knows (insights and
   * recommendations, offers, segments, workflows, engagement), read from this instance's stores; empty when it
   * holds no such account.
   *
   * @param stale whether a standby's copy may answer
   */
  public Optional<CustomerProfile> profile(String accountKey, boolean stale) {
    Staging view = Staging.readOnly(name -> stores.store(name, stale));
    AccountState state = view.accounts.get(accountKey);
    if (state == null) {
      return Optional.empty();
    }
    return stores.programs().inForceAt(state.getOrganizationId(), state.getClock()).map(rules -> {
      CustomerProfile profile = ProfileView.of(state, rules);
      capabilities.of(view, (name, description) -> {
        throw new IllegalStateException("a read-only view counts nothing");
      }).forEach(capability -> capability.describe(accountKey, state, rules, profile));
      return profile;
    });
  }

  /** The account's latest ledger entries, newest first, at most {@code limit} (of the last {@value RecentEntries#KEPT} kept). */
  public List<LedgerEntry> recentEntries(String accountKey, int limit, boolean stale) {
    List<LedgerEntry> found = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> newestFirst = stores.store(LoyaltyTopology.RECENT_ENTRIES_STORE, stale)
        .reverseRange(accountKey + "|", accountKey + "|~")) {
      while (newestFirst.hasNext() && found.size() < limit) {
        found.add(entries.decode(newestFirst.next().value));
      }
    }
    return found;
  }

  /**
   * Every account of the organization in this instance's active tasks, as profiles of their account fields (a
   * scan that decodes one account at a time: an export of any size holds one in memory).
   */
  public void forEachLocalAccount(String organizationId, java.util.function.Consumer<CustomerProfile> sink) {
    forEachLocalAccountState(organizationId, state -> stores.programs().inForceAt(organizationId, state.getClock())
        .ifPresent(rules -> sink.accept(ProfileView.of(state, rules))));
  }

  /** The same, as the accounts' state (one decoded at a time). */
  public void forEachLocalAccountState(String organizationId, java.util.function.Consumer<AccountState> sink) {
    try (KeyValueIterator<String, byte[]> accounts = stores.store(LoyaltyTopology.ACCOUNTS_STORE)
        .prefixScan(io.loyalty.accounts.AccountKey.of(organizationId, ""), new org.apache.kafka.common.serialization.StringSerializer())) {
      while (accounts.hasNext()) {
        sink.accept(CustomerRecords.account(accounts.next().value));
      }
    }
  }

  /** A member of a segment: the account, since when, and the channels a campaign message can reach it on now. */
  public record AudienceMember(AccountState account, Instant since, Set<Channel> reachable) {}

  /** Whether the organization's program in force at {@code now} defines the segment. */
  public boolean definesSegment(String organizationId, String segmentId, Instant now) {
    return stores.programs().inForceAt(organizationId, now)
        .map(rules -> rules.config().getSegments().stream().anyMatch(segment -> segment.getId().equals(segmentId))).orElse(false);
  }

  /**
   * Every member of the segment among this instance's accounts of the organization, one decoded at a time, with the
   * channels the program in force at {@code now} lets a campaign message reach it on (membership, address, confirmed
   * consent, the marketing policy; caps aside).
   */
  public void forEachLocalMember(String organizationId, String segmentId, Instant now, java.util.function.Consumer<AudienceMember> sink) {
    Optional<ProgramRules> program = stores.programs().inForceAt(organizationId, now);
    if (program.isEmpty()) {
      return;
    }
    Staging view = Staging.readOnly(name -> stores.store(name, false));
    try (KeyValueIterator<String, byte[]> accounts = stores.store(LoyaltyTopology.ACCOUNTS_STORE)
        .prefixScan(io.loyalty.accounts.AccountKey.of(organizationId, ""), new org.apache.kafka.common.serialization.StringSerializer())) {
      while (accounts.hasNext()) {
        String accountKey = accounts.next().key;
        SegmentMemberships memberships = view.segments.get(accountKey);
        Optional<SegmentMembership> membership = memberships == null ? Optional.empty()
            : memberships.getMemberships().stream().filter(kept -> kept.getSegmentId().equals(segmentId)).findFirst();
        if (membership.isPresent()) {
          AccountState account = view.accounts.get(accountKey);
          Set<Channel> reachable = EnumSet.noneOf(Channel.class);
          for (Channel channel : Channel.values()) {
            if (NotificationPlanner.unreachable(account, program.get(), channel, now).isEmpty()) {
              reachable.add(channel);
            }
          }
          sink.accept(new AudienceMember(account, membership.get().getSince(), reachable));
        }
      }
    }
  }

  /** This instance's share of a segment's audience: its members, and of them those each channel (and any) can reach now. */
  public Map<String, Object> localAudience(String organizationId, String segmentId, Instant now) {
    long[] members = {0};
    long[] reachableOnAny = {0};
    Map<String, Long> byChannel = new java.util.LinkedHashMap<>();
    for (Channel channel : Channel.values()) {
      byChannel.put(channel.name(), 0L);
    }
    forEachLocalMember(organizationId, segmentId, now, member -> {
      members[0]++;
      reachableOnAny[0] += member.reachable().isEmpty() ? 0 : 1;
      member.reachable().forEach(channel -> byChannel.merge(channel.name(), 1L, Long::sum));
    });
    Map<String, Object> audience = new java.util.LinkedHashMap<>();
    audience.put("members", members[0]);
    audience.put("reachable", byChannel);
    audience.put("reachableOnAny", reachableOnAny[0]);
    return audience;
  }

  /** The API address of every instance of the application (application.server), this one included. */
  public List<org.apache.kafka.streams.state.HostInfo> instances() {
    return stores.instances();
  }

  /** What a cart would earn and how many points it may take, for the register before checkout. */
  public record Quote(String accountKey, String tier, BigDecimal spendable, BigDecimal earn, CheckoutQuote.Cap maximum,
      BigDecimal earnWithMaximum, BigDecimal payableWithMaximum, String method, String kind, BigDecimal pointValue, String currency) {}

  /**
   * Applies the cart as a purchase to a copy of the account, as the account path would (tier, multipliers,
   * boosts, accrual after discounts), once without points and once with the most points it may take; nothing
   * is stored. Empty when this instance holds no such account or its organization has no program in force.
   *
   * @param costOfGoods the cart's cost of goods, or null when unknown
   * @throws QuoteRefused when the cart breaks a rule a purchase would be rejected for
   */
  public Optional<Quote> quote(String accountKey, TransactionEvent cart, BigDecimal costOfGoods) {
    Staging view = Staging.readOnly(name -> stores.store(name, false));
    AccountState stored = view.accounts.get(accountKey);
    Optional<ProgramRules> found = stored == null ? Optional.empty()
        : stores.programs().inForceAt(stored.getOrganizationId(), cart.getOccurredAt());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ProgramRules program = found.get();
    BigDecimal spendable = dryRun(view, accountKey, stored, cart, program).spendable();
    BigDecimal earn = earned(dryRun(view, accountKey, stored, cart, program), cart, program);
    CheckoutQuote.Cap maximum = CheckoutQuote.maximum(cart, spendable, costOfGoods, program);
    BigDecimal earnWithMaximum = earn;
    BigDecimal payable = cart.getSubtotal().subtract(cart.getDiscounts()).add(cart.getTax());
    if (maximum.points().signum() > 0) {
      TransactionEvent redeeming = TransactionEvent.newBuilder(cart).setRedemptions(List.of(new PointRedemption(
          program.config().getRedemptionKind(), maximum.points(), maximum.value(), null, null))).build();
      earnWithMaximum = earned(dryRun(view, accountKey, stored, redeeming, program), redeeming, program);
      payable = payable.subtract(maximum.value());
    }
    return Optional.of(new Quote(accountKey, stored.getTier(), spendable, earn, maximum, earnWithMaximum, payable,
        program.config().getRedemptionMethod().name(), program.config().getRedemptionKind().name(), program.pointValue(),
        program.config().getCurrency()));
  }

  /** A cart the engine would reject as a purchase: its reason and message. */
  public static final class QuoteRefused extends RuntimeException {
    private final String reason;

    QuoteRefused(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  private static AccountBook dryRun(Staging view, String accountKey, AccountState stored, TransactionEvent cart, ProgramRules program) {
    // A deep copy (Avro's builder copies every field): the purchase changes the copy, never the stored account.
    AccountState copy = AccountState.newBuilder(stored).build();
    return new AccountBook(copy, new AccountLots(view.lots, accountKey), new EventContext(cart.getEventId(), cart.getOccurredAt(),
        cart.getLocationId(), program.version(), null));
  }

  private static BigDecimal earned(AccountBook book, TransactionEvent cart, ProgramRules program) {
    PurchaseRules.Outcome outcome = PurchaseRules.apply(book, cart, program);
    if (outcome.violation().isPresent()) {
      throw new QuoteRefused(outcome.violation().get().reason().name(), outcome.violation().get().message());
    }
    return book.entries().stream().filter(entry -> entry.getType() == LedgerEntryType.EARN).map(LedgerEntry::getDelta)
        .reduce(BigDecimal.ZERO.setScale(program.pointsScale()), BigDecimal::add);
  }

  /** The account an email belongs to, through this instance's copy of the global contact index. */
  public Optional<String> accountByEmail(String organizationId, String email) {
    return accountOf(contactKeys.email(organizationId, email));
  }

  /** The account a phone number belongs to, through this instance's copy of the global contact index. */
  public Optional<String> accountByPhone(String organizationId, String phone) {
    return accountOf(contactKeys.phone(organizationId, phone));
  }

  private Optional<String> accountOf(String contactKey) {
    if (contactKey == null) {
      return Optional.empty();
    }
    byte[] bytes = stores.store(LoyaltyTopology.CONTACT_INDEX_STORE).get(contactKey);
    return bytes == null ? Optional.empty() : Optional.of(contacts.decode(bytes).getAccountKey());
  }
}
