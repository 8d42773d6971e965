package io.loyalty.offers;

import io.loyalty.accounts.Sha256;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.OfferStatus;
import io.loyalty.avro.OfferTrigger;
import io.loyalty.avro.state.ClosedOffer;
import io.loyalty.avro.state.OfferBook;
import io.loyalty.avro.state.OfferDecision;
import io.loyalty.avro.state.OpenOffer;
import io.loyalty.accounts.Prototypes;
import io.loyalty.holdouts.ControlGroup;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Issuing, redeeming and expiring a customer's offers, and the weekly cap. */
public final class OfferRules {
  public static final String WEEKLY_CAP = "WEEKLY_CAP";
  /** The personalized offers as a campaign with a control group (offers.holdoutPercent), in the KPIs. */
  public static final String CAMPAIGN = "offers";
  static final Duration WEEK = Duration.ofDays(7);
  /** Closed offers remembered, so a late redemption is told "already redeemed" or "expired" rather than "unknown". */
  static final int CLOSED_KEPT = 20;

  private OfferRules() {}

  private static final OfferBook BLANK = OfferBook.newBuilder().build();

  /** A customer's first offer book, copied from a blank one (see {@link Prototypes}). */
  public static OfferBook empty() {
    return Prototypes.copyOf(BLANK);
  }

  /**
   * A short id a budtender can type: the first 12 hex digits of SHA-256 over the account and the cause, so the
   * same cause always makes the same id and a replay re-issues the same offers.
   */
  public static String offerId(String accountKey, String cause) {
    return "OF-" + HexFormat.of().withUpperCase().formatHex(Sha256.of(accountKey + "\n" + cause), 0, 6);
  }

  /** Whether the customer got the week's number of offers already (a rolling 7 days before {@code at}). */
  public static boolean capReached(OfferBook book, OfferSettings settings, Instant at) {
    List<Instant> recent = book.getIssuedAt().stream().filter(issued -> issued.isAfter(at.minus(WEEK))).toList();
    book.setIssuedAt(new ArrayList<>(recent));
    return recent.size() >= settings.getMaxPerWeek();
  }

  public static OpenOffer issue(OfferBook book, String offerId, OfferSettings settings, OfferTrigger trigger, String targetSku,
      String targetCategory, String reason, List<String> recommended, Instant at) {
    return issue(book, offerId, settings.getKind(), settings.getValue(), settings.getValidDays(), trigger,
        settings.getKind() == OfferKind.CATEGORY_DISCOUNT ? null : targetSku,
        settings.getKind() == OfferKind.CATEGORY_DISCOUNT ? targetCategory : null, reason, recommended, at);
  }

  /** An offer of this kind and value, valid validDays from {@code at}, for a product, a category or neither. */
  public static OpenOffer issue(OfferBook book, String offerId, OfferKind kind, BigDecimal value, int validDays, OfferTrigger trigger,
      String targetSku, String targetCategory, String reason, List<String> recommended, Instant at) {
    OpenOffer offer = new OpenOffer(offerId, kind, targetSku, targetCategory, value, at, at.plus(Duration.ofDays(validDays)), trigger,
        reason, recommended);
    List<OpenOffer> open = new ArrayList<>(book.getOpen());
    open.add(offer);
    book.setOpen(open);
    countTowardCap(book, at);
    book.setIssued(book.getIssued() + 1);
    return offer;
  }

  /**
   * Whether the customer is in the offers' control group: chosen from the account alone, so the same customers are
   * kept from every personalized offer, on every replay, instance and program version.
   */
  public static boolean inControlGroup(String accountKey, OfferSettings settings) {
    return ControlGroup.contains(accountKey, CAMPAIGN, settings.getHoldoutPercent());
  }

  /**
   * An offer the program would make, while it keeps a control group: the decision is remembered, so purchases within
   * the offer's validity count for the customer's group. An offer kept from the control group counts toward the
   * weekly cap as a made one does, so both groups are offered at the same pace.
   */
  public static void decided(OfferBook book, boolean heldOut, OfferSettings settings, Instant at) {
    book.setDecision(new OfferDecision(heldOut, at, at.plus(Duration.ofDays(settings.getValidDays())), false));
    if (heldOut) {
      countTowardCap(book, at);
      book.setHeldOut(book.getHeldOut() + 1);
    }
  }

  /** A purchase within the last decision's window: the decision's group, and whether it is the first (a conversion). */
  public record AfterDecision(boolean heldOut, boolean first) {}

  /** Counts a purchase at {@code at} against the last decision when it falls within its window. */
  public static Optional<AfterDecision> purchased(OfferBook book, Instant at) {
    OfferDecision decision = book.getDecision();
    if (decision == null || at.isBefore(decision.getAt()) || at.isAfter(decision.getUntil())) {
      return Optional.empty();
    }
    boolean first = !decision.getConverted();
    decision.setConverted(true);
    return Optional.of(new AfterDecision(decision.getHeldOut(), first));
  }

  /** An offer made or kept at {@code at}: the weekly cap counts it. */
  private static void countTowardCap(OfferBook book, Instant at) {
    List<Instant> issued = new ArrayList<>(book.getIssuedAt());
    issued.add(at);
    book.setIssuedAt(issued);
  }

  /** The open offer a ticket names, or why it cannot be redeemed at {@code at}. */
  public static Redemption find(OfferBook book, String offerId, Instant at) {
    for (OpenOffer offer : book.getOpen()) {
      if (offer.getOfferId().equals(offerId)) {
        if (at.isAfter(offer.getValidUntil())) {
          return Redemption.refused(offer, "offer " + offerId + " expired on " + offer.getValidUntil());
        }
        if (at.isBefore(offer.getValidFrom())) {
          return Redemption.refused(offer, "offer " + offerId + " is valid from " + offer.getValidFrom());
        }
        return new Redemption(offer, null);
      }
    }
    Optional<ClosedOffer> closed = book.getClosed().stream().filter(c -> c.getOfferId().equals(offerId)).findFirst();
    return Redemption.refused(null, closed.map(c -> "offer " + offerId + " was " + c.getStatus().name().toLowerCase()
        + " on " + c.getAt()).orElse("offer " + offerId + " is not an open offer of this customer"));
  }

  /** An offer made, or the reason it was not (one of the two is null). */
  public record Issued(OpenOffer offer, String refusal) {}

  /** What a ticket naming an offer leads to: the offer, and why it is refused (null when it applies). */
  public record Redemption(OpenOffer offer, String refusal) {
    static Redemption refused(OpenOffer offer, String why) {
      return new Redemption(offer, why);
    }
  }

  /** The bonus a redeemed offer adds: its points, or (multiplier - 1) x the points the targeted lines earned. */
  public static BigDecimal bonus(OpenOffer offer, BigDecimal pointsOfTargetedLines) {
    return switch (offer.getKind()) {
      case BONUS_POINTS -> offer.getValue();
      case POINTS_MULTIPLIER -> pointsOfTargetedLines.multiply(offer.getValue().subtract(BigDecimal.ONE)).max(BigDecimal.ZERO);
      case PRODUCT_DISCOUNT, CATEGORY_DISCOUNT -> BigDecimal.ZERO;
    };
  }

  public static void close(OfferBook book, OpenOffer offer, OfferStatus status, Instant at) {
    book.setOpen(new ArrayList<>(book.getOpen().stream().filter(o -> !o.getOfferId().equals(offer.getOfferId())).toList()));
    List<ClosedOffer> closed = new ArrayList<>(book.getClosed());
    closed.add(new ClosedOffer(offer.getOfferId(), status, at));
    book.setClosed(closed.size() > CLOSED_KEPT ? new ArrayList<>(closed.subList(closed.size() - CLOSED_KEPT, closed.size())) : closed);
    if (status == OfferStatus.REDEEMED) {
      book.setRedeemed(book.getRedeemed() + 1);
    } else {
      book.setExpired(book.getExpired() + 1);
    }
  }

  public static void suppressed(OfferBook book, String reason) {
    // Sorted, so the record encodes alike on every run.
    Map<String, Integer> counts = new TreeMap<>(book.getSuppressed());
    counts.merge(reason, 1, Integer::sum);
    book.setSuppressed(counts);
  }
}
