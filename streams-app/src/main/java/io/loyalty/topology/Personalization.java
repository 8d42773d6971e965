package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.PersonalizationSettings;
import io.loyalty.avro.Product;
import io.loyalty.avro.RecommendedProduct;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.LineRecord;
import io.loyalty.avro.state.Recommendation;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.catalog.Catalog;
import io.loyalty.offers.Compliance;
import io.loyalty.preferences.BasketItem;
import io.loyalty.preferences.Insights;
import io.loyalty.preferences.PreferenceRules;
import io.loyalty.preferences.RecentPurchases;
import io.loyalty.programs.ProgramRules;
import io.loyalty.recommendations.OrganizationBaskets;
import io.loyalty.recommendations.Recommender;
import io.loyalty.serde.AvroCodec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Purchase history, preferences and recommendations: every applied purchase, return and void updates the
 * customer's preferences (preferences-store) and the organization's basket counts as this partition sees them
 * (co-purchases-store, see {@link OrganizationBaskets}), and re-ranks the customer's recommendations; every profile snapshot carries the
 * resulting insights.
 */
final class Personalization implements Reaction {
  private final Stored<CustomerPreferences> preferences;
  private final StagedStore<CoPurchases> coPurchases;
  private final Catalog catalog;

  Personalization(Stored<CustomerPreferences> preferences, StagedStore<CoPurchases> coPurchases, Catalog catalog) {
    this.preferences = preferences;
    this.coPurchases = coPurchases;
    this.catalog = catalog;
  }

  private static final String HANDED_OVER = "preferences";
  private static final AvroCodec<CustomerPreferences> CODEC = LoyaltyTopology.STATE_SERDES.codec(CustomerPreferences.class);

  /** A merged duplicate's preferences follow the customer: its tastes and cadence add to the survivor's. */
  @Override
  public void handOver(String accountKey, Map<String, ByteBuffer> handedOver) {
    CustomerPreferences current = preferences.get(accountKey);
    if (current != null) {
      handedOver.put(HANDED_OVER, ByteBuffer.wrap(CODEC.encode(HANDED_OVER, current)));
    }
  }

  @Override
  public void takeOver(String accountKey, Map<String, ByteBuffer> handedOver, AccountBook book, ProgramRules program) {
    ByteBuffer bytes = handedOver.get(HANDED_OVER);
    if (bytes == null) {
      return;
    }
    byte[] encoded = new byte[bytes.remaining()];
    bytes.duplicate().get(encoded);
    CustomerPreferences current = preferences.get(accountKey);
    if (current == null) {
      current = PreferenceRules.empty(book.now());
    }
    PreferenceRules.merge(current, CODEC.decode(encoded), halfLife(program));
    preferences.put(accountKey, current);
  }

  @Override
  public void applied(String accountKey, TransactionEvent event, TransactionRecord purchase, AccountBook book,
      ProgramRules program, long timestamp) {
    String organizationId = event.getOrganizationId();
    Catalog products = catalog.memoized();
    Duration halfLife = halfLife(program);
    CustomerPreferences current = preferences.get(accountKey);
    if (current == null) {
      current = PreferenceRules.empty(event.getOccurredAt());
    }
    BigDecimal spend = book.spendChange();
    if (event.getType() == TransactionType.PURCHASE) {
      List<BasketItem> items = new ArrayList<>();
      for (TransactionLine line : event.getLines()) {
        items.add(BasketItem.of(line, products.product(organizationId, line.getSku()).orElse(null), 1.0));
      }
      Set<String> boughtBefore = PreferenceRules.productsHeld(current);
      PreferenceRules.purchase(current, items, event.getLocationId(), spend, event.getOccurredAt(), halfLife);
      RecentPurchases.add(current, event.getOccurredAt(), program.zone(), 1, cents(spend));
      baskets(organizationId).count(items, false, boughtBefore);
    } else {
      boolean voided = event.getType() == TransactionType.VOID;
      List<BasketItem> items = taken(products, organizationId, event, purchase);
      PreferenceRules.reverse(current, items, spend.negate(), purchase.getOccurredAt(), event.getOccurredAt(), voided,
          event.getLocationId(), halfLife);
      RecentPurchases.add(current, purchase.getOccurredAt(), program.zone(), voided ? -1 : 0, cents(spend));
      if (voided) {
        // What the customer still holds without the voided basket was bought before it: its repeat is taken back.
        baskets(organizationId).count(items, true, PreferenceRules.productsHeld(current));
      }
    }
    AccountState state = book.state();
    current.setRecommendations(Recommender.rank(current, baskets(organizationId),
        sku -> products.product(organizationId, sku).filter(product -> recommendable(product, state, program)).isPresent(),
        program.config().getPersonalization().getRecommendations(), program.config().getPersonalization().getExploreSlots()));
    preferences.put(accountKey, current);
  }

  private static long cents(BigDecimal amount) {
    return amount.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {
    CustomerPreferences current = preferences.get(accountKey);
    if (current == null) {
      return;
    }
    List<RecommendedProduct> shown = new ArrayList<>();
    Catalog products = catalog.memoized();
    // Naming products to a customer is marketing: the profile (the register, the API, senders that read it)
    // holds no recommendation for one the marketing policy keeps from it.
    List<Recommendation> recommendations = Compliance.forbidsMarketing(state, program, state.getClock()).isEmpty()
        ? current.getRecommendations() : List.of();
    for (Recommendation recommendation : recommendations) {
      // Stock and menus change between purchases: what is no longer recommendable is left out until the next ranking.
      products.product(state.getOrganizationId(), recommendation.getSku())
          .filter(product -> recommendable(product, state, program))
          .ifPresent(product -> shown.add(new RecommendedProduct(product.getSku(), product.getName(),
              reason(products, state.getOrganizationId(), recommendation))));
    }
    profile.setInsights(Insights.of(current, state.getClock(), halfLife(program), shown));
  }

  /**
   * The organization's basket counts as this partition sees them: customers are spread over partitions at
   * random, so each sees a sample of the organization's baskets.
   */
  private OrganizationBaskets baskets(String organizationId) {
    return new OrganizationBaskets(organizationId, OrganizationBaskets.Counts.of(coPurchases::get, coPurchases::put));
  }

  /** The lines a return takes back (with the part of each), or what a void leaves of the purchase. */
  private static List<BasketItem> taken(Catalog products, String organizationId, TransactionEvent event, TransactionRecord purchase) {
    List<BasketItem> items = new ArrayList<>();
    if (event.getType() == TransactionType.RETURN) {
      for (TransactionLine line : event.getLines()) {
        LineRecord bought = line(purchase, line.getLineId());
        double share = bought == null || bought.getQuantity().signum() == 0 ? 1.0
            : line.getQuantity().doubleValue() / bought.getQuantity().doubleValue();
        items.add(BasketItem.of(line, products.product(organizationId, line.getSku()).orElse(null), share));
      }
      return items;
    }
    for (LineRecord line : purchase.getLines()) {
      if (line.getSku() == null || line.getQuantity().signum() == 0) {
        continue;
      }
      double left = line.getQuantity().subtract(line.getReturnedQuantity()).doubleValue() / line.getQuantity().doubleValue();
      if (left > 0) {
        items.add(BasketItem.of(line.getSku(), products.product(organizationId, line.getSku()).orElse(null), left));
      }
    }
    return items;
  }

  /** Only what the customer can buy now: active, in stock, and medical-only products to medical patients alone. */
  static boolean recommendable(Product product, AccountState state, ProgramRules program) {
    return product.getActive() && product.getInStock() && (!product.getMedicalOnly()
        || Compliance.isMedicalPatient(state, program));
  }


  private static String reason(Catalog products, String organizationId, Recommendation recommendation) {
    return switch (recommendation.getBasis()) {
      case BUY_AGAIN -> "you often buy it";
      case BOUGHT_TOGETHER -> "often bought with " + products.product(organizationId, recommendation.getBecause())
          .map(Product::getName).orElse(recommendation.getBecause());
      case POPULAR_IN_FAVOURITES -> "popular in " + recommendation.getBecause();
      case POPULAR -> "popular at this store";
    };
  }


  private static Duration halfLife(ProgramRules program) {
    PersonalizationSettings settings = program.config().getPersonalization();
    return Duration.ofDays(settings.getHalfLifeDays());
  }

  private static LineRecord line(TransactionRecord purchase, String lineId) {
    for (LineRecord line : purchase.getLines()) {
      if (line.getLineId().equals(lineId)) {
        return line;
      }
    }
    return null;
  }

}
