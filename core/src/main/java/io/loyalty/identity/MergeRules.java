package io.loyalty.identity;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.AccountKey;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.Posting;
import io.loyalty.accounts.StoredLots;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.MergeAccounts;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.avro.state.Hold;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.MergeStep;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.enrollment.EnrollmentRules;
import io.loyalty.timers.Timers;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Merging a duplicate profile into the surviving one ("Clean Up Duplicate Profiles"). The two accounts may live
 * in different partitions, so a merge is two steps on the engine's own topic, each applied exactly once with
 * its partition's state: TAKE closes the duplicate and sends what it held; GIVE credits it to the survivor.
 * Points move with their lots (ages, availability, expiry), so oldest-first spending and expiry go on as they
 * would have; the survivor's year basis, lifetime figures and visits add the duplicate's; consent is the
 * stricter of the two per channel; holds move with their expiry. The survivor's own profile fields win; the
 * duplicate's fill what the survivor lacks.
 */
public final class MergeRules {
  private MergeRules() {}

  /** The survivor's side of the command: why it cannot be merged, if it cannot. */
  public static Optional<CommandOutcome> refusal(LoyaltyCommand command, MergeAccounts merge) {
    if (merge.getSourceCustomerId().equals(command.getCustomerId())) {
      return Optional.of(CommandOutcome.refused("INVALID_FIELD", "an account cannot be merged into itself"));
    }
    return Optional.empty();
  }

  /** The first step, to the duplicate's partition. */
  public static MergeTransfer take(LoyaltyCommand command, MergeAccounts merge) {
    return MergeTransfer.newBuilder()
        .setMergeId(command.getCommandId())
        .setOrganizationId(command.getOrganizationId())
        .setSurvivorCustomerId(command.getCustomerId())
        .setSourceCustomerId(merge.getSourceCustomerId())
        .setStep(MergeStep.TAKE)
        .setIssuedAt(command.getIssuedAt())
        .setLocationId(command.getLocationId())
        .setActor(command.getActor())
        .setCorrelationId(command.getCorrelationId())
        .build();
  }

  /** The ids the two steps post under: distinct, so their ledger entries never share an id. */
  public static String takeCause(MergeTransfer transfer) {
    return transfer.getMergeId() + ":out";
  }

  public static String giveCause(MergeTransfer transfer) {
    return transfer.getMergeId() + ":in";
  }

  public static String survivorKey(MergeTransfer transfer) {
    return AccountKey.of(transfer.getOrganizationId(), transfer.getSurvivorCustomerId());
  }

  /**
   * Closes the duplicate: its points leave in one MERGE_OUT entry (linked to the MERGE_IN the survivor will post
   * first), its timers and holds end with it, its contacts leave the index. Returns the GIVE step with the
   * account as it was and its stored lots.
   */
  public static MergeTransfer close(AccountBook book, MergeTransfer take, StoredLots stored, Map<String, ByteBuffer> handedOver) {
    AccountState state = book.state();
    AccountState before = AccountState.newBuilder(state).build();
    List<Lot> storedLots = new ArrayList<>();
    stored.visitOldestFirst(lot -> storedLots.add(Lot.newBuilder(lot).build()));
    String inEntryId = take.getOrganizationId() + "/" + giveCause(take) + "/0";
    LedgerEntry out = null;
    BigDecimal balance = state.getBalance();
    String reason = "merged into customer " + take.getSurvivorCustomerId();
    if (balance.signum() > 0) {
      book.debit(Posting.of(LedgerEntryType.MERGE_OUT, balance.negate(), null).withReason(reason), null, false);
      out = book.entries().get(book.entries().size() - 1);
    } else if (balance.signum() < 0) {
      out = book.credit(Posting.of(LedgerEntryType.MERGE_OUT, balance.negate(), null).withReason(reason), null, null);
    }
    if (out != null) {
      out.setLinkedEntryId(inEntryId);
    }
    state.setMergedInto(take.getSurvivorCustomerId());
    state.setMergedAt(take.getIssuedAt());
    state.setTimers(List.of());
    state.setHolds(List.of());
    state.setEmail(null);
    state.setPhone(null);
    book.touch();
    return MergeTransfer.newBuilder(take)
        .setStep(MergeStep.GIVE)
        .setSource(before)
        .setStoredLots(storedLots)
        .setOutEntryId(out == null ? null : out.getEntryId())
        .setHandedOver(handedOver)
        .build();
  }

  /** Credits the survivor with what the duplicate held; the MERGE_IN entry, if points moved, is its first. */
  public static void absorb(AccountBook book, MergeTransfer give) {
    AccountState survivor = book.state();
    AccountState source = give.getSource();
    BigDecimal balance = source.getBalance();
    String reason = "merged from customer " + give.getSourceCustomerId();
    if (balance.signum() > 0) {
      List<Lot> lots = new ArrayList<>(source.getLots());
      lots.addAll(give.getStoredLots());
      book.transferIn(Posting.of(LedgerEntryType.MERGE_IN, balance, null).withReason(reason), lots).setLinkedEntryId(give.getOutEntryId());
      lots.stream().filter(lot -> lot.getExpiresAt() != null)
          .forEach(lot -> Timers.schedule(survivor, TimerKind.LOT_EXPIRY, lot.getLotId(), lot.getExpiresAt()));
    } else if (balance.signum() < 0) {
      book.debit(Posting.of(LedgerEntryType.MERGE_IN, balance, null).withReason(reason), null, false);
      book.entries().get(book.entries().size() - 1).setLinkedEntryId(give.getOutEntryId());
    }
    List<Hold> holds = new ArrayList<>(survivor.getHolds());
    for (Hold hold : source.getHolds()) {
      holds.add(hold);
      Timers.schedule(survivor, TimerKind.HOLD_EXPIRY, hold.getHoldId(), hold.getExpiresAt());
    }
    survivor.setHolds(holds);
    addHistory(survivor, source);
    stricterConsent(survivor, source);
    fillProfile(survivor, source);
    book.touch();
  }

  private static void addHistory(AccountState survivor, AccountState source) {
    survivor.setLifetimeEarned(survivor.getLifetimeEarned().add(source.getLifetimeEarned()));
    survivor.setLifetimeSpend(survivor.getLifetimeSpend().add(source.getLifetimeSpend()));
    survivor.setVisits(survivor.getVisits() + source.getVisits());
    if (source.getFirstSeenAt().isBefore(survivor.getFirstSeenAt())) {
      survivor.setFirstSeenAt(source.getFirstSeenAt());
    }
    Instant lastPurchase = source.getLastPurchaseAt();
    if (lastPurchase != null && (survivor.getLastPurchaseAt() == null || lastPurchase.isAfter(survivor.getLastPurchaseAt()))) {
      survivor.setLastPurchaseAt(lastPurchase);
    }
    // The tier year's basis: both counted in the year the survivor is in; a basis of an older year is spent.
    if (source.getTierYear() == survivor.getTierYear()) {
      survivor.setYearBasis(survivor.getYearBasis().add(source.getYearBasis()));
    } else if (source.getTierYear() > survivor.getTierYear()) {
      survivor.setTierYear(source.getTierYear());
      survivor.setYearBasis(source.getYearBasis());
    }
    if (source.getEnrollment() == EnrollmentState.ENROLLED && survivor.getEnrollment() == EnrollmentState.NONE) {
      survivor.setEnrollment(EnrollmentState.ENROLLED);
    }
    survivor.setSignupBonusGranted(survivor.getSignupBonusGranted() || source.getSignupBonusGranted());
  }

  /** Per channel the less permissive of the two: a customer who withdrew consent on either profile stays out. */
  private static void stricterConsent(AccountState survivor, AccountState source) {
    survivor.setEmailConsent(stricter(survivor.getEmailConsent(), source.getEmailConsent()));
    survivor.setSmsConsent(stricter(survivor.getSmsConsent(), source.getSmsConsent()));
    survivor.setPushConsent(stricter(survivor.getPushConsent(), source.getPushConsent()));
  }

  private static ChannelConsent stricter(ChannelConsent one, ChannelConsent other) {
    return one.ordinal() <= other.ordinal() ? one : other;
  }

  private static void fillProfile(AccountState survivor, AccountState source) {
    fill(survivor::getCustomerGroup, survivor::setCustomerGroup, source.getCustomerGroup());
    fill(survivor::getFirstName, survivor::setFirstName, source.getFirstName());
    fill(survivor::getLastName, survivor::setLastName, source.getLastName());
    fill(survivor::getEmail, survivor::setEmail, source.getEmail());
    fill(survivor::getPhone, survivor::setPhone, source.getPhone());
    fill(survivor::getBirthDate, survivor::setBirthDate, source.getBirthDate());
    fill(survivor::getHomeState, survivor::setHomeState, source.getHomeState());
    fill(survivor::getPostalCode, survivor::setPostalCode, source.getPostalCode());
    fill(survivor::getMedicalCardExpiresOn, survivor::setMedicalCardExpiresOn, source.getMedicalCardExpiresOn());
    LinkedHashSet<String> tags = new LinkedHashSet<>(survivor.getTags());
    source.getTags().stream().filter(tag -> tags.size() < EnrollmentRules.TAGS_KEPT).forEach(tags::add);
    survivor.setTags(new ArrayList<>(tags));
    Map<String, String> preferences = new HashMap<>(source.getPreferences());
    preferences.putAll(survivor.getPreferences());
    survivor.setPreferences(preferences);
  }

  private static <T> void fill(Supplier<T> current, Consumer<T> set, T candidate) {
    if (current.get() == null && candidate != null) {
      set.accept(candidate);
    }
  }
}
