package io.loyalty.bench;

import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.demo.SampleCatalog;
import io.loyalty.demo.SampleStream;
import io.loyalty.demo.SampleStream.Item;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * An endless, deterministic POS stream over many accounts, for load: customer activity follows a power law
 * (Zipf-like, exponent 0.8 by default: the busiest fifth of customers make about 70% of the visits), baskets
 * from the dispensary catalog with line and order discounts and tax, point redemptions by customers who have
 * the points, 5% returns (half of one unit of one line, half the whole ticket), 1% voids, 0.5% redelivered
 * duplicates, 0.1% malformed records, 0.05% returns published ahead of their purchase, 3% anonymous sales,
 * two organizations (the demo's programs) and four locations. Memory is bounded whatever the number of
 * accounts: a points estimate per account (an int) and a window of recent purchases to return or void.
 */
public final class LoadGenerator implements Iterator<Item> {
  private static final BigDecimal TAX_RATE = new BigDecimal("0.20");
  private static final int RECENT_PURCHASES = 50_000;
  private static final int RECENT_EVENTS = 1_000;

  private final Random random;
  private final int accounts;
  private final double exponentComplement;
  private final double rankSpan;
  private final int[] estimatedPoints;
  private final TransactionEvent[] recentPurchases = new TransactionEvent[RECENT_PURCHASES];
  private final TransactionEvent[] recentEvents = new TransactionEvent[RECENT_EVENTS];
  private final Deque<Item> pending = new ArrayDeque<>();
  private long purchases;
  private long events;
  private long sequence;
  private Instant clock;

  public LoadGenerator(long seed, int accounts, double zipfExponent, Instant start) {
    if (zipfExponent < 0 || zipfExponent >= 1) {
      throw new IllegalArgumentException("the Zipf exponent must be at least 0 (uniform) and below 1, not " + zipfExponent);
    }
    this.random = new Random(seed);
    this.accounts = accounts;
    this.exponentComplement = 1 - zipfExponent;
    this.rankSpan = Math.pow(accounts, exponentComplement) - 1;
    this.estimatedPoints = new int[accounts];
    this.clock = start;
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public Item next() {
    if (!pending.isEmpty()) {
      return pending.poll();
    }
    clock = clock.plusMillis(200 + random.nextInt(1800));
    double roll = random.nextDouble();
    if (roll < 0.001) {
      byte[] garbage = new byte[8 + random.nextInt(40)];
      random.nextBytes(garbage);
      return new Item(null, null, "greenleaf:c" + customer(), garbage);
    } else if (roll < 0.006 && events > 0) {
      return Item.of(recentEvents[random.nextInt((int) Math.min(events, RECENT_EVENTS))]);
    } else if (roll < 0.056 && purchases > 0) {
      return emit(reversal(recentPurchase(), TransactionType.RETURN, random.nextBoolean()));
    } else if (roll < 0.066 && purchases > 0) {
      return emit(reversal(recentPurchase(), TransactionType.VOID, false));
    } else if (roll < 0.0665) {
      TransactionEvent purchase = purchase(customer());
      TransactionEvent early = reversal(purchase, TransactionType.RETURN, true);
      pending.add(emit(purchase));
      return emit(early);
    }
    return emit(purchase(random.nextDouble() < 0.03 ? -1 : customer()));
  }

  /** A rank drawn from the power law, spread over the ids so that busy customers land on every partition. */
  private int customer() {
    double rank = Math.pow(1 + random.nextDouble() * rankSpan, 1 / exponentComplement);
    long index = Math.min(accounts, (long) rank) - 1;
    return (int) ((index * 2_654_435_761L) % accounts) + 1;
  }

  private TransactionEvent purchase(int customer) {
    boolean harbor = customer > 0 && customer % 5 == 0;
    String org = harbor ? SampleStream.HARBOR : SampleStream.GREENLEAF;
    String location = harbor ? "harbor-main" : switch (random.nextInt(3)) {
      case 0 -> "greenleaf-downtown";
      case 1 -> "greenleaf-eastside";
      default -> "greenleaf-online";
    };
    SampleCatalog.Basket basket = customer > 0
        ? SampleCatalog.basket(random, SampleCatalog.Taste.of(SampleStream.TASTE_SEED, org + ":c" + customer))
        : SampleCatalog.basket(random);
    BigDecimal base = basket.subtotal().subtract(basket.discounts());
    List<PointRedemption> redemptions = new ArrayList<>();
    if (customer > 0 && random.nextDouble() < 0.3) {
      int points = estimatedPoints[customer - 1];
      if (!harbor && points >= 150 && base.compareTo(BigDecimal.TEN) > 0) {
        redemptions.add(new PointRedemption(RedemptionKind.CATALOG_REWARD, new BigDecimal("100.0000"), new BigDecimal("10.00"), "ten-off", null));
        estimatedPoints[customer - 1] -= 100;
      } else if (harbor && points >= 8 && base.compareTo(new BigDecimal("5")) > 0) {
        redemptions.add(new PointRedemption(RedemptionKind.PAYMENT_BEFORE_TAX, new BigDecimal("5.0000"), new BigDecimal("5.00"), null, null));
        estimatedPoints[customer - 1] -= 5;
      }
    }
    BigDecimal redeemed = redemptions.stream().map(PointRedemption::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal taxable = base.subtract(redeemed);
    BigDecimal tax = taxable.multiply(TAX_RATE).setScale(2, RoundingMode.HALF_UP);
    if (customer > 0) {
      estimatedPoints[customer - 1] += harbor ? taxable.intValue() / 10 : taxable.intValue();
    }
    String id = "b" + (++sequence);
    TransactionEvent event = TransactionEvent.newBuilder()
        .setEventId("e-" + id).setTransactionId(id).setType(TransactionType.PURCHASE)
        .setOrganizationId(org).setLocationId(location).setCustomerId(customer > 0 ? "c" + customer : null).setOccurredAt(clock)
        .setLines(basket.lines()).setSubtotal(basket.subtotal()).setDiscounts(basket.discounts()).setRedemptions(redemptions)
        .setTax(tax).setTotal(taxable.add(tax)).setSource(harbor ? "treez" : "dutchie")
        .build();
    if (customer > 0) {
      recentPurchases[(int) (purchases++ % RECENT_PURCHASES)] = event;
    }
    return event;
  }

  private TransactionEvent recentPurchase() {
    return recentPurchases[random.nextInt((int) Math.min(purchases, RECENT_PURCHASES))];
  }

  /** A void, a whole-ticket return, or a return of one unit of one line. */
  private TransactionEvent reversal(TransactionEvent original, TransactionType type, boolean partial) {
    List<TransactionLine> lines = original.getLines();
    BigDecimal amount = original.getSubtotal();
    if (type == TransactionType.RETURN && partial) {
      TransactionLine line = lines.get(random.nextInt(lines.size()));
      lines = List.of(TransactionLine.newBuilder(line).setQuantity(BigDecimal.ONE.setScale(3)).setDiscount(new BigDecimal("0.00")).build());
      amount = line.getUnitPrice();
    } else if (type == TransactionType.VOID) {
      lines = List.of();
    }
    String id = "b" + (++sequence);
    return TransactionEvent.newBuilder(original)
        .setEventId("e-" + id).setTransactionId(id).setType(type).setOccurredAt(clock.plusMillis(1))
        .setLines(lines).setSubtotal(amount).setDiscounts(new BigDecimal("0.00")).setRedemptions(List.of())
        .setTax(new BigDecimal("0.00")).setTotal(amount).setOriginalTransactionId(original.getTransactionId())
        .build();
  }

  private Item emit(TransactionEvent event) {
    recentEvents[(int) (events++ % RECENT_EVENTS)] = event;
    return Item.of(event);
  }
}
