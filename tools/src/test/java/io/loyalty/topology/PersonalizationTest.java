package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.CustomerInsights;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.PersonalizationSettings;
import io.loyalty.avro.Product;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.demo.SampleCatalog;
import io.loyalty.serde.AvroCodec;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Purchases, returns and voids through the topology: the customer's insights on each profile snapshot, the
 * organization's basket counts, and recommendations limited to what the customer may buy now.
 */
class PersonalizationTest {
  private static final Instant T0 = Instant.parse("2026-03-02T18:00:00Z");
  private static final Duration HALF_LIFE = Duration.ofDays(10);
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private void setUp() {
    // These customers never gave a birth date: a policy that does not ask for one lets their profiles name products
    // (OffersTest: the default policy's does not, for them or a customer under age).
    harness.program(Records.program("1").setPersonalization(new PersonalizationSettings(10, 5, 0))
        .setCompliance(CompliancePolicy.newBuilder().setRequireBirthDate(false).build()).build());
    SampleCatalog.products(Records.ORG, Records.PROGRAM_START).forEach(harness::product);
  }

  private static TransactionLine line(String lineId, String sku, String price) {
    Product product = SampleCatalog.products(Records.ORG, Records.PROGRAM_START).stream()
        .filter(p -> p.getSku().equals(sku)).findFirst().orElse(null);
    return TransactionLine.newBuilder().setLineId(lineId).setSku(sku)
        .setCategory(product == null ? "flower" : product.getCategory())
        .setQuantity(new BigDecimal("2.000")).setUnitPrice(new BigDecimal(price)).setDiscount(new BigDecimal("0.00")).build();
  }

  private void purchase(String transactionId, String customerId, Instant at, TransactionLine... lines) {
    BigDecimal subtotal = List.of(lines).stream().map(l -> l.getUnitPrice().multiply(l.getQuantity()))
        .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
    TransactionEvent event = Records.purchase(transactionId, customerId, subtotal.toPlainString(), at).setLines(List.of(lines))
        .setSubtotal(subtotal).setTotal(subtotal).build();
    harness.transaction(event);
  }

  private CustomerInsights latestInsights(String accountKey) {
    List<CustomerProfile> profiles = harness.profiles();
    return profiles.stream().filter(p -> p.getAccountKey().equals(accountKey)).reduce((a, b) -> b).orElseThrow().getInsights();
  }

  private static String recommended(CustomerInsights insights) {
    return insights.getRecommendedProducts().stream().map(p -> p.getSku() + " (" + p.getReason() + ")").collect(Collectors.joining(", "));
  }

  private String coPurchases(String key) {
    KeyValueStore<String, byte[]> store = harness.driver().getKeyValueStore(LoyaltyTopology.CO_PURCHASES_STORE);
    byte[] bytes = store.get(key);
    if (bytes == null) {
      return null;
    }
    AvroCodec<CoPurchases> codec = LoyaltyTopology.STATE_SERDES.codec(CoPurchases.class);
    CoPurchases counts = codec.decode(bytes);
    return counts.getBaskets() + ": " + counts.getEntries().stream().map(e -> e.getSku() + " " + e.getCount())
        .collect(Collectors.joining(", "));
  }

  @Test
  void purchasesBecomeInsightsBasketCountsAndRecommendationsOfWhatTheCustomerMayBuy() {
    setUp();
    purchase("t1", "c1", T0, line("L1", "FL-BD-35", "35.00"), line("L2", "AC-PAPER", "2.49"));
    purchase("t2", "c2", T0.plusSeconds(60), line("L1", "FL-BD-35", "35.00"), line("L2", "FL-SD-14", "110.00"),
        line("L3", "TI-RSO-1", "55.00"));
    purchase("t3", "c1", T0.plus(HALF_LIFE), line("L1", "FL-BD-35", "35.00"), line("L2", "ED-GUM-10", "18.00"));

    assertEquals("3: AC-PAPER 1, ED-GUM-10 1, FL-SD-14 1, TI-RSO-1 1", coPurchases("greenleaf/p/FL-BD-35"), "three baskets held Blue Dream");
    assertEquals("3: FL-BD-35 3, AC-PAPER 1, ED-GUM-10 1, FL-SD-14 1, TI-RSO-1 1", coPurchases("greenleaf/*"));
    assertEquals("3: FL-BD-35 3, FL-SD-14 1", coPurchases("greenleaf/c/flower"));

    CustomerInsights insights = latestInsights("greenleaf:c1");
    assertEquals("flower", insights.getPreferredCategory());
    assertEquals("HYBRID", insights.getPreferredStrainType());
    assertEquals("SMOKE", insights.getPreferredMethod());
    assertEquals("Emerald Valley", insights.getPreferredBrand());
    assertEquals(List.of("Blue Dream"), insights.getPreferredStrains());
    assertEquals(List.of("FL-BD-35", "ED-GUM-10", "AC-PAPER"), insights.getFavouriteProducts());
    assertEquals(2, insights.getVisits());
    assertEquals(new BigDecimal("180.98"), insights.getSpend());
    assertEquals(new BigDecimal("10.0"), insights.getAverageDaysBetweenPurchases());
    assertEquals(T0.plus(HALF_LIFE).plus(HALF_LIFE), insights.getExpectedNextPurchaseAt());
    assertEquals(new BigDecimal("143.49"), insights.getValueScore(), "74.98 halved plus 106.00");
    // Five places, three filled: out of stock (FL-SD-14) and medical-only (TI-RSO-1) never reach a recreational
    // customer, though bought with Blue Dream and popular in flower.
    assertEquals("FL-BD-35 (you often buy it), ED-GUM-10 (you often buy it), AC-PAPER (you often buy it)", recommended(insights));

    harness.command(Records.command("k1", "c1", T0.plus(HALF_LIFE).plusSeconds(60),
        UpdateProfile.newBuilder().setCustomerGroup("medical").build()));
    purchase("t4", "c1", T0.plus(HALF_LIFE).plusSeconds(120), line("L1", "AC-LIGHT", "1.99"));
    // AC-LIGHT, in 1 of the store's 4 baskets like ED-GUM-10 and bought alike, now; TI-RSO-1, new to c1, in a quarter
    // of the store's baskets, above its co-purchase part (0.2 x c1's share on Blue Dream 1.5/4 x 1/3).
    assertEquals("FL-BD-35 (you often buy it), AC-LIGHT (you often buy it), ED-GUM-10 (you often buy it), "
        + "AC-PAPER (you often buy it), TI-RSO-1 (popular at this store)", recommended(latestInsights("greenleaf:c1")),
        "a medical patient is recommended what patients may buy");
  }

  @Test
  void returnsAndVoidsTakeBackWhatTheirPurchaseAdded() {
    setUp();
    purchase("t1", "c1", T0, line("L1", "FL-BD-35", "35.00"), line("L2", "AC-PAPER", "2.49"));
    purchase("t2", "c1", T0.plus(HALF_LIFE), line("L1", "VP-GDP-05", "30.00"));
    harness.transaction(Records.returnOf("r1", "t1", "c1", T0.plus(HALF_LIFE).plusSeconds(60), "L1", "1").setLines(
        List.of(TransactionLine.newBuilder(line("L1", "FL-BD-35", "35.00")).setQuantity(new BigDecimal("1.000")).build())).build());
    CustomerInsights afterReturn = latestInsights("greenleaf:c1");
    assertEquals(List.of("VP-GDP-05", "AC-PAPER", "FL-BD-35"), afterReturn.getFavouriteProducts(),
        "half of Blue Dream (0.5 at its age) went back: 0.25 left, below the papers' 0.5");
    assertEquals(new BigDecimal("99.98"), afterReturn.getSpend(), "134.98 less the 35.00 returned");

    harness.transaction(Records.voidOf("v1", "t2", "c1", T0.plus(HALF_LIFE).plusSeconds(120)).build());
    CustomerInsights afterVoid = latestInsights("greenleaf:c1");
    assertEquals(List.of("AC-PAPER", "FL-BD-35"), afterVoid.getFavouriteProducts(), "the voided cartridge is gone");
    assertEquals(1, afterVoid.getVisits());
    assertEquals("0: ", coPurchases("greenleaf/p/VP-GDP-05"), "a voided basket leaves the counts");
    assertEquals(new BigDecimal("10.0"), afterVoid.getAverageDaysBetweenPurchases(), "the cadence keeps the gaps it saw");
  }
}
