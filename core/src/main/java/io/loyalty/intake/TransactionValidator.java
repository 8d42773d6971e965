package io.loyalty.intake;

import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.accounts.AccountKey;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a POS event on its own, before any account state is read: required fields, signs and plausible
 * sizes of amounts, and that the lines add up to the subtotal.
 */
public final class TransactionValidator {
  private final BigDecimal maxTicketAmount;
  private final BigDecimal maxLineQuantity;

  public TransactionValidator(BigDecimal maxTicketAmount, BigDecimal maxLineQuantity) {
    this.maxTicketAmount = maxTicketAmount;
    this.maxLineQuantity = maxLineQuantity;
  }

  public Optional<Violation> validate(String key, TransactionEvent event) {
    return identity(key, event)
        .or(() -> amount("subtotal", event.getSubtotal()))
        .or(() -> amount("discounts", event.getDiscounts()))
        .or(() -> amount("tax", event.getTax()))
        .or(() -> amount("total", event.getTotal()))
        .or(() -> lines(event))
        .or(() -> redemptions(event));
  }

  private static Optional<Violation> identity(String key, TransactionEvent event) {
    for (String[] field : new String[][] {
        {"eventId", event.getEventId()}, {"transactionId", event.getTransactionId()},
        {"organizationId", event.getOrganizationId()}, {"locationId", event.getLocationId()}}) {
      if (field[1].isBlank()) {
        return violation(RejectionReason.MISSING_FIELD, field[0] + " is empty");
      }
    }
    if (!AccountKey.isValidOrganizationId(event.getOrganizationId())) {
      return violation(RejectionReason.INVALID_FIELD, AccountKey.ORGANIZATION_ID_RULE);
    }
    if (event.getCustomerId() != null && event.getCustomerId().isBlank()) {
      return violation(RejectionReason.MISSING_FIELD, "customerId is empty (null marks an anonymous sale)");
    }
    String expectedKey = event.getCustomerId() == null
        ? AccountKey.anonymous(event.getOrganizationId())
        : AccountKey.of(event.getOrganizationId(), event.getCustomerId());
    if (event.getCustomerId() != null && !expectedKey.equals(key)) {
      return violation(RejectionReason.KEY_MISMATCH,
          "record key '" + key + "' is not the account key '" + expectedKey + "' of the event");
    }
    if (event.getType() != TransactionType.PURCHASE && event.getOriginalTransactionId() == null) {
      return violation(RejectionReason.MISSING_FIELD, event.getType() + " without originalTransactionId");
    }
    return Optional.empty();
  }

  private Optional<Violation> amount(String name, BigDecimal value) {
    if (value.signum() < 0) {
      return violation(RejectionReason.NEGATIVE_AMOUNT, name + " is negative: " + value.toPlainString());
    }
    if (value.compareTo(maxTicketAmount) > 0) {
      return violation(RejectionReason.ABSURD_AMOUNT,
          name + " " + value.toPlainString() + " exceeds the limit " + maxTicketAmount.toPlainString());
    }
    return Optional.empty();
  }

  private Optional<Violation> lines(TransactionEvent event) {
    if (event.getType() == TransactionType.PURCHASE && event.getLines().isEmpty()) {
      return violation(RejectionReason.MISSING_FIELD, "purchase without lines");
    }
    Set<String> lineIds = new HashSet<>();
    BigDecimal gross = BigDecimal.ZERO;
    BigDecimal lineDiscounts = BigDecimal.ZERO;
    for (TransactionLine line : event.getLines()) {
      String where = "line " + line.getLineId() + ": ";
      if (line.getLineId().isBlank() || !lineIds.add(line.getLineId())) {
        return violation(RejectionReason.INVALID_FIELD, "line ids must be present and unique, got '" + line.getLineId() + "'");
      }
      if (line.getQuantity().signum() < 0) {
        return violation(RejectionReason.NEGATIVE_AMOUNT, where + "quantity is negative: " + line.getQuantity().toPlainString());
      }
      if (line.getQuantity().signum() == 0) {
        return violation(RejectionReason.INVALID_FIELD, where + "quantity is 0: a line sells or returns at least some of a product");
      }
      if (line.getQuantity().compareTo(maxLineQuantity) > 0) {
        return violation(RejectionReason.ABSURD_AMOUNT, where + "quantity " + line.getQuantity().toPlainString()
            + " exceeds the limit " + maxLineQuantity.toPlainString());
      }
      Optional<Violation> price = amount(where + "unitPrice", line.getUnitPrice()).or(() -> amount(where + "discount", line.getDiscount()));
      if (price.isPresent()) {
        return price;
      }
      BigDecimal lineGross = lineGross(line);
      if (line.getDiscount().compareTo(lineGross) > 0) {
        return violation(RejectionReason.INVALID_FIELD, where + "discount " + line.getDiscount().toPlainString()
            + " exceeds the line amount " + lineGross.toPlainString());
      }
      gross = gross.add(lineGross);
      lineDiscounts = lineDiscounts.add(line.getDiscount());
    }
    if (event.getType() != TransactionType.PURCHASE) {
      return Optional.empty();
    }
    if (gross.compareTo(event.getSubtotal()) != 0) {
      return violation(RejectionReason.LINES_DO_NOT_ADD_UP, "lines add up to " + gross.toPlainString()
          + " (quantity x unitPrice, rounded to cents per line) but subtotal is " + event.getSubtotal().toPlainString());
    }
    if (lineDiscounts.compareTo(event.getDiscounts()) > 0) {
      return violation(RejectionReason.LINES_DO_NOT_ADD_UP, "line discounts " + lineDiscounts.toPlainString()
          + " exceed the ticket's discounts " + event.getDiscounts().toPlainString());
    }
    if (event.getDiscounts().compareTo(event.getSubtotal()) > 0) {
      return violation(RejectionReason.INVALID_FIELD, "discounts " + event.getDiscounts().toPlainString()
          + " exceed the subtotal " + event.getSubtotal().toPlainString());
    }
    return Optional.empty();
  }

  /** A line's amount before discounts: quantity x unit price, rounded half-up to cents, as POS systems print it. */
  public static BigDecimal lineGross(TransactionLine line) {
    return line.getQuantity().multiply(line.getUnitPrice()).setScale(2, RoundingMode.HALF_UP);
  }

  private Optional<Violation> redemptions(TransactionEvent event) {
    BigDecimal preTaxValue = BigDecimal.ZERO;
    for (PointRedemption redemption : event.getRedemptions()) {
      if (redemption.getPoints().signum() <= 0) {
        return violation(RejectionReason.NEGATIVE_AMOUNT, "redeemed points must be positive, got " + redemption.getPoints().toPlainString());
      }
      Optional<Violation> value = amount("redemption value", redemption.getValue());
      if (value.isPresent()) {
        return value;
      }
      if (redemption.getKind() != RedemptionKind.PAYMENT_AFTER_TAX) {
        preTaxValue = preTaxValue.add(redemption.getValue());
      }
    }
    if (event.getType() == TransactionType.PURCHASE
        && event.getDiscounts().add(preTaxValue).compareTo(event.getSubtotal()) > 0) {
      return violation(RejectionReason.INVALID_FIELD, "discounts plus pre-tax point redemptions ("
          + event.getDiscounts().add(preTaxValue).toPlainString() + ") exceed the subtotal " + event.getSubtotal().toPlainString());
    }
    return Optional.empty();
  }

  private static Optional<Violation> violation(RejectionReason reason, String message) {
    return Optional.of(new Violation(reason, message));
  }
}
