package io.loyalty.demo;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.EnrollmentMode;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LocationOverride;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.PointsRounding;
import io.loyalty.avro.PointsRoundingMode;
import io.loyalty.avro.Product;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.offers.OfferRules;
import io.loyalty.runtime.Topics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic sample of dispensary traffic for two organizations: sign-ups, purchases with line and order
 * discounts, point redemptions, taxes, anonymous sales, returns (some ahead of their purchase), voids, online
 * orders holding a reward, POS retries of the same event, and a few damaged records. The same seed always
 * gives the same stream.
 */
public final class SampleStream {
  public static final String GREENLEAF = "greenleaf";
  public static final String HARBOR = "harbor";
  static final Instant START = Instant.parse("2026-09-01T16:00:00Z");
  private static final BigDecimal TAX_RATE = new BigDecimal("0.20");
  /** Customers' tastes do not depend on the stream's seed: the same customer likes the same products in the demo and the load. */
  public static final long TASTE_SEED = 7;

  /** One record to publish: a POS event, a command, or raw bytes (damaged on purpose). */
  public record Item(TransactionEvent event, LoyaltyCommand command, String rawTopicKey, byte[] rawValue) {
    public static Item of(TransactionEvent event) {
      return new Item(event, null, null, null);
    }

    public static Item of(LoyaltyCommand command) {
      return new Item(null, command, null, null);
    }
  }

  private final Random random;
  private final int customers;
  private final Map<String, BigDecimal> estimatedBalance = new HashMap<>();
  private final List<TransactionEvent> purchases = new ArrayList<>();
  private Instant clock = START;
  private int sequence;

  public SampleStream(long seed, int customers) {
    this.random = new Random(seed);
    this.customers = customers;
  }

  /** Publishes items as a POS connector and a checkout would; returns how many records were sent. */
  public static int publish(RecordPublisher publisher, Topics topics, List<Item> items) {
    TopicContract<?> transactions = TopicContract.of(topics, topics.transactions());
    TopicContract<?> commands = TopicContract.of(topics, topics.commands());
    for (Item item : items) {
      publish(publisher, transactions, commands, item);
    }
    publisher.flush();
    return items.size();
  }

  /** Publishes one item: events and damaged bytes to the transactions topic, commands to the commands topic. */
  public static void publish(RecordPublisher publisher, TopicContract<?> transactions, TopicContract<?> commands, Item item) {
    if (item.event() != null) {
      publisher.publish(transactions, item.event());
    } else if (item.command() != null) {
      publisher.publish(commands, item.command());
    } else {
      publisher.sendRaw(transactions.topic(), item.rawTopicKey().getBytes(StandardCharsets.UTF_8), item.rawValue());
    }
  }

  /** Both organizations' catalogs, as published before any sale. */
  public static List<Product> catalog() {
    List<Product> products = new ArrayList<>(SampleCatalog.products(GREENLEAF, Instant.parse("2026-01-01T00:00:00Z")));
    products.addAll(SampleCatalog.products(HARBOR, Instant.parse("2026-01-01T00:00:00Z")));
    return products;
  }

  /** The sample programs with these segments and workflows defined. */
  public static List<ProgramConfig> programs(List<SegmentDefinition> segments, List<WorkflowDefinition> workflows) {
    return programs().stream().map(program -> ProgramConfig.newBuilder(program).setSegments(segments).setWorkflows(workflows).build())
        .toList();
  }

  public static List<ProgramConfig> programs() {
    return List.of(
        ProgramConfig.newBuilder()
            .setOrganizationId(GREENLEAF).setVersion(1).setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
            .setName("Greenleaf Rewards").setTimeZone("America/Los_Angeles")
            .setAccrualRate(new BigDecimal("1.0000"))
            .setSignupBonus(new BigDecimal("25.0000"))
            .setRounding(new PointsRounding(2, PointsRoundingMode.HALF_UP))
            .setEnrollment(EnrollmentMode.AUTOMATIC)
            .setLocationOverrides(List.of(new LocationOverride("greenleaf-eastside", new BigDecimal("1.5000"), null)))
            .setRewards(List.of(new RewardDefinition("ten-off", "$10 off", new BigDecimal("100.0000"), new BigDecimal("10.00"), true)))
            .setOffers(OfferSettings.newBuilder().setEnabled(true).setKind(OfferKind.BONUS_POINTS)
                .setValue(new BigDecimal("25.0000")).setValidDays(14).setMaxPerWeek(1).setReplenishmentLeadDays(2).build())
            .build(),
        ProgramConfig.newBuilder()
            .setOrganizationId(HARBOR).setVersion(1).setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
            .setName("Harbor Points").setTimeZone("America/Denver")
            .setAccrualRate(new BigDecimal("0.1000"))
            .build());
  }

  /** Most members are adults; a few gave no birth date, a few are 19 (no marketing may reach either). */
  private static LocalDate birthDate(int customer) {
    if (customer % 17 == 0) {
      return null;
    }
    return customer % 13 == 0 ? LocalDate.of(2007, 5, 1) : LocalDate.of(1960 + customer % 40, 1 + customer % 12, 1 + customer % 28);
  }

  /** Sign-ups first (a third of the customers, at the register, some consenting to email or SMS), then the given number of POS events and commands. */
  public List<Item> generate(int count) {
    List<Item> items = new ArrayList<>();
    Instant signUp = START.minus(Duration.ofDays(1));
    for (int c = 1; c <= customers; c += 3) {
      String customer = "c" + c;
      items.add(Item.of(command("enroll-" + customer, GREENLEAF, customer, signUp, Enroll.newBuilder()
          .setFirstName("Customer " + c).setEmail(customer + "@example.com").setPhone(String.format("+1303555%04d", c))
          .setBirthDate(birthDate(c)).build())));
      if (c % 2 == 1) {
        items.add(Item.of(command("email-optin-" + customer, GREENLEAF, customer, signUp.plusSeconds(1),
            new ChangeConsent(Channel.EMAIL, ConsentAction.GRANT, "sign-up form"))));
      }
      if (c % 5 == 1) {
        items.add(Item.of(command("sms-optin-" + customer, GREENLEAF, customer, signUp.plusSeconds(2),
            new ChangeConsent(Channel.SMS, ConsentAction.GRANT, "sign-up form"))));
        items.add(Item.of(command("sms-yes-" + customer, GREENLEAF, customer, signUp.plusSeconds(60),
            new ChangeConsent(Channel.SMS, ConsentAction.CONFIRM, "YES"))));
      }
    }
    for (int i = 0; i < count; i++) {
      clock = clock.plus(Duration.ofSeconds(60 + random.nextInt(3600)));
      double roll = random.nextDouble();
      if (roll < 0.03 && !purchases.isEmpty()) {
        items.add(Item.of(reversal(TransactionType.RETURN)));
      } else if (roll < 0.045 && !purchases.isEmpty()) {
        items.add(Item.of(reversal(TransactionType.VOID)));
      } else if (roll < 0.06 && !purchases.isEmpty()) {
        items.add(Item.of(purchases.get(random.nextInt(purchases.size()))));
      } else if (roll < 0.07) {
        items.addAll(onlineOrderWithHold());
      } else if (roll < 0.075) {
        TransactionEvent purchase = purchase(false);
        items.add(Item.of(reversalOf(purchase, TransactionType.RETURN, clock.plusSeconds(600))));
        items.add(Item.of(purchase));
      } else {
        items.add(Item.of(purchase(random.nextDouble() < 0.05)));
      }
    }
    items.addAll(damaged());
    return items;
  }

  /** An e-commerce cart reserving the $10-off reward; most are paid (the purchase commits the hold), some abandoned. */
  private List<Item> onlineOrderWithHold() {
    String customer = "c" + (1 + random.nextInt(customers));
    if (estimatedBalance.getOrDefault(GREENLEAF + ":" + customer, BigDecimal.ZERO).compareTo(new BigDecimal("150")) < 0) {
      return List.of(Item.of(purchase(false)));
    }
    String holdId = "cart-" + (++sequence);
    LoyaltyCommand hold = command("hold-" + holdId, GREENLEAF, customer, clock, HoldPoints.newBuilder()
        .setHoldId(holdId).setRewardId("ten-off").setExpiresAt(clock.plus(Duration.ofHours(2))).build());
    if (random.nextInt(4) == 0) {
      return List.of(Item.of(hold));
    }
    clock = clock.plusSeconds(300);
    TransactionEvent paid = purchase(false);
    List<TransactionLine> lines = paid.getLines();
    BigDecimal subtotal = paid.getSubtotal();
    if (subtotal.subtract(paid.getDiscounts()).compareTo(new BigDecimal("20")) < 0) {
      return List.of(Item.of(hold), Item.of(paid));
    }
    estimatedBalance.merge(GREENLEAF + ":" + customer, new BigDecimal("-100"), BigDecimal::add);
    BigDecimal taxable = subtotal.subtract(paid.getDiscounts()).subtract(BigDecimal.TEN);
    BigDecimal tax = taxable.multiply(TAX_RATE).setScale(2, RoundingMode.HALF_UP);
    TransactionEvent committing = TransactionEvent.newBuilder(paid)
        .setOrganizationId(GREENLEAF).setLocationId("greenleaf-online").setCustomerId(customer).setLines(lines)
        .setRedemptions(List.of(new PointRedemption(RedemptionKind.CATALOG_REWARD, new BigDecimal("100.0000"),
            new BigDecimal("10.00"), "ten-off", holdId)))
        .setTax(tax).setTotal(taxable.add(tax)).setSource("ecommerce")
        .build();
    return List.of(Item.of(hold), Item.of(committing));
  }

  private static LoyaltyCommand command(String id, String org, String customer, Instant at, Object body) {
    return LoyaltyCommand.newBuilder().setCommandId(id).setOrganizationId(org).setCustomerId(customer)
        .setLocationId(org + "-downtown").setIssuedAt(at).setActor("demo").setCommand(body).build();
  }

  /** Each customer's last purchase event, whose offer they may show next time. */
  private final Map<String, String> lastVisit = new HashMap<>();

  private TransactionEvent purchase(boolean anonymous) {
    boolean greenleaf = random.nextInt(5) != 0;
    String org = greenleaf ? GREENLEAF : HARBOR;
    String customer = anonymous ? null : "c" + (1 + (int) Math.floor(Math.pow(random.nextDouble(), 2) * customers));
    String location = greenleaf ? (random.nextBoolean() ? "greenleaf-downtown" : "greenleaf-eastside") : "harbor-main";
    SampleCatalog.Basket basket = customer == null ? SampleCatalog.basket(random)
        : SampleCatalog.basket(random, SampleCatalog.Taste.of(TASTE_SEED, org + ":" + customer));
    List<TransactionLine> lines = basket.lines();
    BigDecimal subtotal = basket.subtotal();
    BigDecimal discounts = basket.discounts();
    List<PointRedemption> redemptions = new ArrayList<>();
    String account = org + ":" + customer;
    BigDecimal balance = estimatedBalance.getOrDefault(account, BigDecimal.ZERO);
    BigDecimal base = subtotal.subtract(discounts);
    if (customer != null && random.nextDouble() < 0.3) {
      if (greenleaf && balance.compareTo(new BigDecimal("150")) >= 0 && base.compareTo(BigDecimal.TEN) > 0) {
        redemptions.add(new PointRedemption(RedemptionKind.CATALOG_REWARD, new BigDecimal("100.0000"), new BigDecimal("10.00"), "ten-off", null));
      } else if (!greenleaf && balance.compareTo(new BigDecimal("8")) >= 0 && base.compareTo(new BigDecimal("5")) > 0) {
        redemptions.add(new PointRedemption(RedemptionKind.PAYMENT_BEFORE_TAX, new BigDecimal("5.0000"), new BigDecimal("5.00"), null, null));
      }
    }
    BigDecimal redeemedValue = redemptions.stream().map(PointRedemption::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal redeemedPoints = redemptions.stream().map(PointRedemption::getPoints).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal taxable = base.subtract(redeemedValue);
    BigDecimal tax = taxable.multiply(TAX_RATE).setScale(2, RoundingMode.HALF_UP);
    if (customer != null) {
      BigDecimal rate = greenleaf ? BigDecimal.ONE : new BigDecimal("0.1");
      estimatedBalance.put(account, balance.subtract(redeemedPoints).add(taxable.multiply(rate)));
    }
    String id = "t" + (++sequence);
    // A third of Greenleaf's returning customers show the offer their last visit earned them (the engine derives
    // its id from the visit, so the POS of this sample can too); one the engine did not make is refused.
    List<String> offerIds = greenleaf && customer != null && lastVisit.containsKey(account) && random.nextInt(3) == 0
        ? List.of(OfferRules.offerId(account, lastVisit.get(account))) : List.of();
    TransactionEvent event = TransactionEvent.newBuilder()
        .setEventId("e-" + id).setTransactionId(id).setType(TransactionType.PURCHASE)
        .setOrganizationId(org).setLocationId(location).setCustomerId(customer).setOccurredAt(clock)
        .setLines(lines).setSubtotal(subtotal).setDiscounts(discounts).setRedemptions(redemptions)
        .setTax(tax).setTotal(taxable.add(tax)).setSource(greenleaf ? "dutchie" : "treez").setOfferIds(offerIds)
        .build();
    if (customer != null) {
      purchases.add(event);
      lastVisit.put(account, event.getEventId());
    }
    return event;
  }

  private TransactionEvent reversal(TransactionType type) {
    return reversalOf(purchases.get(random.nextInt(purchases.size())), type, clock);
  }

  private TransactionEvent reversalOf(TransactionEvent original, TransactionType type, Instant at) {
    List<TransactionLine> lines = type == TransactionType.RETURN ? List.of(original.getLines().get(0)) : List.of();
    BigDecimal amount = type == TransactionType.RETURN
        ? original.getLines().get(0).getQuantity().multiply(original.getLines().get(0).getUnitPrice()).setScale(2, RoundingMode.HALF_UP)
        : original.getSubtotal();
    String id = "t" + (++sequence);
    return TransactionEvent.newBuilder(original)
        .setEventId("e-" + id).setTransactionId(id).setType(type).setOccurredAt(at)
        .setLines(lines).setSubtotal(amount).setDiscounts(new BigDecimal("0.00")).setRedemptions(List.of())
        .setTax(new BigDecimal("0.00")).setTotal(amount).setOriginalTransactionId(original.getTransactionId())
        .build();
  }

  private List<Item> damaged() {
    TransactionEvent valid = purchase(false);
    return List.of(
        new Item(null, null, "greenleaf:c1", "not avro at all".getBytes(StandardCharsets.UTF_8)),
        new Item(null, null, "greenleaf:c2", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
        new Item(null, null, "greenleaf:c3", new byte[] {0, 0, 0, 0, 42, 1}),
        Item.of(TransactionEvent.newBuilder(valid).setEventId("e-bad-1").setTransactionId("bad-1")
            .setTax(new BigDecimal("-3.00")).build()),
        Item.of(TransactionEvent.newBuilder(valid).setEventId("e-bad-2").setTransactionId("bad-2")
            .setSubtotal(valid.getSubtotal().add(new BigDecimal("1.00"))).build()),
        Item.of(TransactionEvent.newBuilder(valid).setEventId("e-bad-3").setTransactionId("bad-3")
            .setOrganizationId("unknown-dispensary").build()),
        Item.of(TransactionEvent.newBuilder(valid).setEventId("e-bad-4").setTransactionId("bad-4")
            .setTotal(new BigDecimal("5000000.00")).build()));
  }
}
