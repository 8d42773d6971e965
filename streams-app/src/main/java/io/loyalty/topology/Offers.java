package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.metrics.KpiTally;
import io.loyalty.accounts.AccountKey;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.OfferStatus;
import io.loyalty.avro.OfferTrigger;
import io.loyalty.avro.Product;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.LineRecord;
import io.loyalty.avro.state.OfferBook;
import io.loyalty.avro.state.OpenOffer;
import io.loyalty.avro.state.Recommendation;
import io.loyalty.avro.state.RecommendationBasis;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.catalog.Catalog;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.offers.Compliance;
import io.loyalty.offers.OfferRules;
import io.loyalty.preferences.Insights;
import io.loyalty.preferences.PreferenceRules;
import io.loyalty.programs.ProgramRules;
import io.loyalty.timers.Timers;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Personalized offers (offers-store): made after a purchase, and before the customer's expected next visit
 * (replenishment, by timer), from the customer's recommendations, within the weekly cap and the program's
 * marketing policy; redeemed by a POS ticket or line that names them (bonus points and multipliers are posted
 * as OFFER_BONUS, discounts recorded); expired by timer. Every step is an event on loyalty.offers; every offer
 * or message the policy or the cap stops is counted by reason, on the profile and in a metric.
 */
final class Offers implements Reaction {
  private static final String EXPIRY = "offer-expiry:";
  private static final String REPLENISHMENT = "offer-replenishment";

  private final Stored<OfferBook> offers;
  private final Stored<CustomerPreferences> preferences;
  private final Catalog catalog;
  private final Outbox outbox;
  private final Output<OfferEvent> offerEvents;
  private final Output<NotificationRequest> notifications;
  private final Function<String, EngineCounter> suppressedCounter;
  private final KpiTally kpis;
  private final Map<String, EngineCounter> suppressed = new HashMap<>();

  Offers(Stored<OfferBook> offers, Stored<CustomerPreferences> preferences, Catalog catalog, Outbox outbox,
      Output<OfferEvent> offerEvents, Output<NotificationRequest> notifications, Function<String, EngineCounter> suppressedCounter,
      KpiTally kpis) {
    this.kpis = kpis;
    this.offers = offers;
    this.preferences = preferences;
    this.catalog = catalog;
    this.outbox = outbox;
    this.offerEvents = offerEvents;
    this.notifications = notifications;
    this.suppressedCounter = suppressedCounter;
  }

  @Override
  public void applied(String accountKey, TransactionEvent event, TransactionRecord purchase, AccountBook book, ProgramRules program,
      long timestamp) {
    if (event.getType() != TransactionType.PURCHASE) {
      return;
    }
    Set<String> named = new LinkedHashSet<>(event.getOfferIds());
    event.getLines().stream().map(TransactionLine::getOfferId).filter(Objects::nonNull).forEach(named::add);
    OfferSettings settings = program.config().getOffers();
    if (named.isEmpty() && !settings.getEnabled()) {
      return;
    }
    OfferBook stored = offers.get(accountKey);
    OfferBook offerBook = stored == null ? OfferRules.empty() : stored;
    for (String offerId : named) {
      redeem(accountKey, offerBook, offerId, event, purchase, book, program, timestamp);
    }
    // Before the purchase makes an offer of its own: it counts for the group of the last decision.
    OfferRules.purchased(offerBook, event.getOccurredAt())
        .ifPresent(after -> kpis.purchasedAfter(OfferRules.CAMPAIGN, after.heldOut(), after.first(), book.spendChange()));
    if (settings.getEnabled()) {
      offer(accountKey, offerBook, OfferTrigger.AFTER_PURCHASE, event.getEventId(), book, program, timestamp);
      planReplenishment(accountKey, offerBook, book.state(), settings);
    }
    offers.put(accountKey, offerBook);
  }

  @Override
  public void due(String accountKey, String ref, AccountBook book, ProgramRules program, long timestamp) {
    OfferBook offerBook = offers.get(accountKey);
    if (offerBook == null) {
      return;
    }
    Instant at = book.context().occurredAt();
    if (ref.startsWith(EXPIRY)) {
      String offerId = ref.substring(EXPIRY.length());
      offerBook.getOpen().stream().filter(offer -> offer.getOfferId().equals(offerId)).findFirst().ifPresent(offer -> {
        OfferRules.close(offerBook, offer, OfferStatus.EXPIRED, at);
        send(accountKey, offer, OfferStatus.EXPIRED, at, book.context().sourceEventId(), null, null, null, timestamp);
      });
    } else if (ref.equals(REPLENISHMENT) && program.config().getOffers().getEnabled()) {
      offerBook.setReplenishmentAt(null);
      offer(accountKey, offerBook, OfferTrigger.REPLENISHMENT, book.context().sourceEventId(), book, program, timestamp);
    }
    offers.put(accountKey, offerBook);
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {
    // Insights come with a purchase history: without one there is nothing to count and no store read to make.
    if (profile.getInsights() == null) {
      return;
    }
    OfferBook offerBook = offers.get(accountKey);
    if (offerBook == null) {
      return;
    }
    profile.getInsights().setOffersIssued(offerBook.getIssued());
    profile.getInsights().setOffersRedeemed(offerBook.getRedeemed());
    profile.getInsights().setOffersExpired(offerBook.getExpired());
    profile.getInsights().setMarketingSuppressed(offerBook.getSuppressed());
  }

  private void redeem(String accountKey, OfferBook offerBook, String offerId, TransactionEvent event, TransactionRecord purchase,
      AccountBook book, ProgramRules program, long timestamp) {
    OfferRules.Redemption redemption = OfferRules.find(offerBook, offerId, event.getOccurredAt());
    OpenOffer offer = redemption.offer();
    String refusal = redemption.refusal();
    if (refusal == null && !holdsTarget(event, offer)) {
      refusal = "the ticket holds no " + (offer.getTargetSku() != null ? "line of " + offer.getTargetSku()
          : "line of category " + offer.getTargetCategory()) + ", which offer " + offerId + " is for";
    }
    if (refusal != null) {
      OfferEvent refused = event(accountKey, offer, offerId, OfferStatus.REDEMPTION_REFUSED, event.getOccurredAt(),
          event.getEventId() + "/" + offerId);
      refused.setTransactionId(event.getTransactionId());
      refused.setDetail(refusal);
      outbox.add(offerEvents, accountKey, refused, timestamp);
      return;
    }
    BigDecimal bonus = OfferRules.bonus(offer, targetedPoints(purchase, event, offer))
        .setScale(program.pointsScale(), program.pointsRoundingMode());
    BigDecimal awarded = null;
    if (bonus.signum() > 0) {
      book.credit(Posting.of(LedgerEntryType.OFFER_BONUS, bonus, event.getTransactionId()).withReason("offer " + offerId),
          null, null);
      awarded = bonus;
    }
    OfferRules.close(offerBook, offer, OfferStatus.REDEEMED, event.getOccurredAt());
    Timers.cancel(book.state(), TimerKind.CAPABILITY, EXPIRY + offerId);
    send(accountKey, offer, OfferStatus.REDEEMED, event.getOccurredAt(), event.getEventId(), event.getTransactionId(), awarded,
        null, timestamp);
  }

  /** Makes the offer this cause calls for, unless the customer has nothing to be offered, the cap or the policy stops it. */
  private void offer(String accountKey, OfferBook offerBook, OfferTrigger trigger, String cause, AccountBook book,
      ProgramRules program, long timestamp) {
    AccountState state = book.state();
    Instant at = book.context().occurredAt();
    OfferSettings settings = program.config().getOffers();
    CompliancePolicy policy = program.config().getCompliance();
    CustomerPreferences customer = preferences.get(accountKey);
    Optional<Recommendation> pick = customer == null ? Optional.empty() : customer.getRecommendations().stream()
        .filter(r -> r.getBasis() == RecommendationBasis.BUY_AGAIN || r.getBasis() == RecommendationBasis.BOUGHT_TOGETHER)
        .findFirst();
    if (pick.isEmpty()) {
      return;
    }
    boolean medical = Compliance.isMedicalPatient(state, policy, LocalDate.ofInstant(at, program.zone()));
    Product target = catalog.product(state.getOrganizationId(), pick.get().getSku()).orElse(null);
    if (target == null || !target.getActive() || !target.getInStock()) {
      return;
    }
    Optional<String> stop = Compliance.forbidsMarketing(state, policy, medical, at, program.zone())
        .or(() -> Compliance.forbidsOffer(settings.getKind(), settings.getValue(), target, policy, medical))
        .or(() -> OfferRules.capReached(offerBook, settings, at) ? Optional.of(OfferRules.WEEKLY_CAP) : Optional.empty());
    if (stop.isPresent()) {
      OfferRules.suppressed(offerBook, stop.get());
      suppressed.computeIfAbsent(stop.get(), suppressedCounter).increment();
      return;
    }
    if (settings.getHoldoutPercent() > 0) {
      boolean heldOut = OfferRules.inControlGroup(accountKey, settings);
      OfferRules.decided(offerBook, heldOut, settings, at);
      kpis.decided(OfferRules.CAMPAIGN, heldOut);
      if (heldOut) {
        // The control group: the offer is recorded as kept, nothing is made or sent.
        return;
      }
    }
    List<String> recommended = customer.getRecommendations().stream().map(Recommendation::getSku).limit(3).toList();
    OpenOffer offer = OfferRules.issue(offerBook, OfferRules.offerId(accountKey, cause), settings, trigger, target.getSku(),
        target.getCategory(), reason(trigger, pick.get(), target, customer), recommended, at);
    Timers.schedule(state, TimerKind.CAPABILITY, EXPIRY + offer.getOfferId(), offer.getValidUntil());
    OfferEvent issued = send(accountKey, offer, OfferStatus.ISSUED, at, cause, null, null, null, timestamp);
    List<String> names = recommended.stream().map(sku -> catalog.product(state.getOrganizationId(), sku).map(Product::getName)
        .orElse(sku)).toList();
    Optional<List<NotificationRequest>> messages = NotificationPlanner.forOffer(state, program, issued, names);
    if (messages.isEmpty()) {
      OfferRules.suppressed(offerBook, "DAILY_CAP");
      suppressed.computeIfAbsent("DAILY_CAP", suppressedCounter).increment();
    } else {
      messages.get().forEach(message -> outbox.add(notifications, accountKey, message, timestamp));
    }
  }

  /**
   * A campaign workflow's offer: issued as the step defines it (the personalized weekly cap is for the engine's
   * own offers, not a marketer's campaign), unless the marketing policy forbids it. Its id derives from the
   * action id, so a replay issues the same offer once.
   *
   * @return the offer issued, or the policy's reason it was not
   */
  OfferRules.Issued issueForWorkflow(String accountKey, String actionId, OfferKind kind, BigDecimal value, int validDays,
      String targetSku, String targetCategory, String reason, AccountBook book, ProgramRules program, long timestamp) {
    AccountState state = book.state();
    Instant at = book.context().occurredAt();
    CompliancePolicy policy = program.config().getCompliance();
    boolean medical = Compliance.isMedicalPatient(state, policy, LocalDate.ofInstant(at, program.zone()));
    Product target = targetSku == null ? null : catalog.product(state.getOrganizationId(), targetSku).orElse(null);
    Optional<String> stop = Compliance.forbidsMarketing(state, policy, medical, at, program.zone())
        .or(() -> Compliance.forbidsOffer(kind, value, target, policy, medical));
    OfferBook stored = offers.get(accountKey);
    OfferBook offerBook = stored == null ? OfferRules.empty() : stored;
    if (stop.isPresent()) {
      OfferRules.suppressed(offerBook, stop.get());
      suppressed.computeIfAbsent(stop.get(), suppressedCounter).increment();
      offers.put(accountKey, offerBook);
      return new OfferRules.Issued(null, stop.get());
    }
    OpenOffer offer = OfferRules.issue(offerBook, OfferRules.offerId(accountKey, actionId), kind, value, validDays,
        OfferTrigger.WORKFLOW, targetSku, targetCategory, reason, List.of(), at);
    Timers.schedule(state, TimerKind.CAPABILITY, EXPIRY + offer.getOfferId(), offer.getValidUntil());
    send(accountKey, offer, OfferStatus.ISSUED, at, actionId, null, null, null, timestamp);
    offers.put(accountKey, offerBook);
    return new OfferRules.Issued(offer, null);
  }

  /** The next replenishment offer: the lead time before the customer's expected next purchase, replacing the last plan. */
  private void planReplenishment(String accountKey, OfferBook offerBook, AccountState state, OfferSettings settings) {
    CustomerPreferences customer = preferences.get(accountKey);
    Instant expected = customer == null ? null : Insights.expectedNextPurchase(customer);
    Timers.cancel(state, TimerKind.CAPABILITY, REPLENISHMENT);
    offerBook.setReplenishmentAt(null);
    if (expected == null) {
      return;
    }
    Instant due = expected.minus(Duration.ofDays(settings.getReplenishmentLeadDays()));
    if (due.isAfter(state.getClock())) {
      Timers.schedule(state, TimerKind.CAPABILITY, REPLENISHMENT, due);
      offerBook.setReplenishmentAt(due);
    }
  }

  private String reason(OfferTrigger trigger, Recommendation pick, Product target, CustomerPreferences customer) {
    if (trigger == OfferTrigger.REPLENISHMENT) {
      Double gap = PreferenceRules.meanDaysBetween(customer);
      return "time to restock " + target.getName() + (gap == null ? "" : ": you usually come back every "
          + Math.round(gap) + " days");
    }
    if (pick.getBasis() == RecommendationBasis.BOUGHT_TOGETHER && pick.getBecause() != null) {
      String with = catalog.product(target.getOrganizationId(), pick.getBecause()).map(Product::getName).orElse(pick.getBecause());
      return "because " + target.getName() + " is often bought with " + with;
    }
    return "because you often buy " + target.getName();
  }

  private static boolean holdsTarget(TransactionEvent event, OpenOffer offer) {
    if (offer.getTargetSku() == null && offer.getTargetCategory() == null) {
      return true;
    }
    return event.getLines().stream().anyMatch(line -> offer.getTargetSku() != null ? offer.getTargetSku().equals(line.getSku())
        : offer.getTargetCategory().equalsIgnoreCase(line.getCategory() == null ? "" : line.getCategory()));
  }

  /** Points the purchase earned on the lines the offer targets (every line when it targets no product). */
  private static BigDecimal targetedPoints(TransactionRecord purchase, TransactionEvent event, OpenOffer offer) {
    BigDecimal points = BigDecimal.ZERO;
    for (int i = 0; i < purchase.getLines().size() && i < event.getLines().size(); i++) {
      LineRecord line = purchase.getLines().get(i);
      TransactionLine sold = event.getLines().get(i);
      boolean targeted = offer.getTargetSku() != null ? offer.getTargetSku().equals(sold.getSku())
          : offer.getTargetCategory() == null || offer.getTargetCategory().equalsIgnoreCase(String.valueOf(sold.getCategory()));
      if (targeted) {
        points = points.add(line.getPoints());
      }
    }
    return points;
  }

  private OfferEvent send(String accountKey, OpenOffer offer, OfferStatus status, Instant at, String cause, String transactionId,
      BigDecimal pointsAwarded, String detail, long timestamp) {
    OfferEvent event = event(accountKey, offer, offer.getOfferId(), status, at, cause);
    event.setTransactionId(transactionId);
    event.setPointsAwarded(pointsAwarded);
    event.setDetail(detail);
    outbox.add(offerEvents, accountKey, event, timestamp);
    if (status == OfferStatus.ISSUED) {
      kpis.offerIssued();
    } else if (status == OfferStatus.REDEEMED) {
      kpis.offerRedeemed();
    }
    return event;
  }

  private static OfferEvent event(String accountKey, OpenOffer offer, String offerId, OfferStatus status, Instant at, String cause) {
    // An organization id never holds ':' (validated): the account key splits at its first.
    int separator = accountKey.indexOf(AccountKey.SEPARATOR);
    OfferEvent.Builder builder = OfferEvent.newBuilder()
        .setEventId(offerId + "/" + status + "/" + cause)
        .setOfferId(offerId)
        .setAccountKey(accountKey)
        .setOrganizationId(accountKey.substring(0, separator))
        .setCustomerId(accountKey.substring(separator + 1))
        .setStatus(status)
        .setOccurredAt(at)
        .setSourceEventId(cause);
    if (offer != null) {
      builder.setKind(offer.getKind()).setTargetSku(offer.getTargetSku()).setTargetCategory(offer.getTargetCategory())
          .setValue(offer.getValue()).setValidFrom(offer.getValidFrom()).setValidUntil(offer.getValidUntil())
          .setTrigger(offer.getTrigger()).setReason(offer.getReason()).setRecommendedProducts(offer.getRecommendedProducts());
    } else {
      builder.setKind(OfferKind.BONUS_POINTS).setValue(BigDecimal.ZERO.setScale(4)).setValidFrom(at).setValidUntil(at)
          .setTrigger(OfferTrigger.AFTER_PURCHASE).setReason("");
    }
    return builder.build();
  }
}
