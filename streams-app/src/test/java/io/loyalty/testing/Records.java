package io.loyalty.testing;

import io.loyalty.avro.Enroll;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Test data: valid records by default, changed through the generated builders. */
public final class Records {
  public static final String ORG = "greenleaf";
  public static final Instant PROGRAM_START = Instant.parse("2026-01-01T00:00:00Z");

  private Records() {}

  public static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  public static ProgramConfig.Builder program(String accrualRate) {
    return ProgramConfig.newBuilder()
        .setOrganizationId(ORG)
        .setVersion(1)
        .setEffectiveFrom(PROGRAM_START)
        .setName("Greenleaf Rewards")
        .setAccrualRate(accrualRate == null ? null : d(accrualRate).setScale(4));
  }

  public static TransactionLine line(String lineId, String quantity, String unitPrice, String discount) {
    return TransactionLine.newBuilder()
        .setLineId(lineId).setSku("SKU-" + lineId).setProductName("Product " + lineId).setCategory("flower")
        .setBrand("Emerald Valley").setStrain("Blue Dream")
        .setQuantity(d(quantity).setScale(3)).setUnitPrice(d(unitPrice).setScale(2)).setDiscount(d(discount).setScale(2))
        .build();
  }

  /** A purchase of one line at the subtotal, no discount, no tax. */
  public static TransactionEvent.Builder purchase(String transactionId, String customerId, String subtotal, Instant at) {
    return TransactionEvent.newBuilder()
        .setEventId("e-" + transactionId)
        .setTransactionId(transactionId)
        .setType(TransactionType.PURCHASE)
        .setOrganizationId(ORG)
        .setLocationId("downtown")
        .setCustomerId(customerId)
        .setOccurredAt(at)
        .setLines(List.of(line("L1", "1", subtotal, "0")))
        .setSubtotal(d(subtotal).setScale(2))
        .setDiscounts(d("0.00"))
        .setTax(d("0.00"))
        .setTotal(d(subtotal).setScale(2));
  }

  public static LoyaltyCommand command(String commandId, String customerId, Instant at, Object body) {
    return LoyaltyCommand.newBuilder()
        .setCommandId(commandId).setCorrelationId("corr-" + commandId).setOrganizationId(ORG).setCustomerId(customerId)
        .setLocationId("downtown").setIssuedAt(at).setActor("budtender-7").setCommand(body)
        .build();
  }

  public static Enroll enroll() {
    return Enroll.newBuilder().build();
  }

  public static HoldPoints hold(String holdId, String points, Instant expiresAt) {
    return HoldPoints.newBuilder().setHoldId(holdId).setPoints(points == null ? null : d(points).setScale(4))
        .setExpiresAt(expiresAt).build();
  }

  public static PointRedemption redemption(String points, String value, String holdId) {
    return new PointRedemption(RedemptionKind.PAYMENT_BEFORE_TAX, d(points).setScale(4), d(value).setScale(2), null, holdId);
  }

  /** A return of some quantity of one line of an earlier purchase. */
  public static TransactionEvent.Builder returnOf(String transactionId, String originalId, String customerId, Instant at,
      String lineId, String quantity) {
    return purchase(transactionId, customerId, "0.00", at)
        .setType(TransactionType.RETURN)
        .setOriginalTransactionId(originalId)
        .setLines(List.of(line(lineId, quantity, "0", "0")));
  }

  public static TransactionEvent.Builder voidOf(String transactionId, String originalId, String customerId, Instant at) {
    return purchase(transactionId, customerId, "0.00", at)
        .setType(TransactionType.VOID)
        .setOriginalTransactionId(originalId)
        .setLines(List.of());
  }

  /**
   * Dutchie's worked example: subtotal $100, discounts $10, $5 paid with points, 20% tax on $85 = $17,
   * the customer pays $102.
   */
  public static TransactionEvent.Builder dutchieExample(String transactionId, String customerId, Instant at) {
    return purchase(transactionId, customerId, "100.00", at)
        .setLines(List.of(line("L1", "2", "30.00", "10.00"), line("L2", "1", "40.00", "0")))
        .setDiscounts(d("10.00"))
        .setRedemptions(List.of(new PointRedemption(RedemptionKind.PAYMENT_BEFORE_TAX, d("5.0000"), d("5.00"), null, null)))
        .setTax(d("17.00"))
        .setTotal(d("102.00"));
  }
}
