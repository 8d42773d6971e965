package io.loyalty.intake;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.CartItem;
import io.loyalty.avro.RejectionReason;
import io.loyalty.engagement.EngagementRules;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Checks an activity report on its own, before any account state is read: identity and key, a type this
 * version knows, what each type needs (a message report names its request and channel), and plausible carts
 * (the POS limits: no line beyond the quantity limit, no cart beyond the ticket limit).
 */
public final class ActivityValidator {
  private final BigDecimal maxCartValue;
  private final BigDecimal maxItemQuantity;

  public ActivityValidator(BigDecimal maxCartValue, BigDecimal maxItemQuantity) {
    this.maxCartValue = maxCartValue;
    this.maxItemQuantity = maxItemQuantity;
  }

  public Optional<Violation> validate(String key, ActivityEvent event) {
    for (String[] field : new String[][] {
        {"eventId", event.getEventId()}, {"organizationId", event.getOrganizationId()}, {"customerId", event.getCustomerId()}}) {
      if (field[1].isBlank()) {
        return violation(RejectionReason.MISSING_FIELD, field[0] + " is empty");
      }
    }
    if (!AccountKey.isValidOrganizationId(event.getOrganizationId())) {
      return violation(RejectionReason.INVALID_FIELD, AccountKey.ORGANIZATION_ID_RULE);
    }
    String expectedKey = AccountKey.of(event.getOrganizationId(), event.getCustomerId());
    if (!expectedKey.equals(key)) {
      return violation(RejectionReason.KEY_MISMATCH, "record key '" + key + "' is not the account key '" + expectedKey + "' of the report");
    }
    return switch (event.getType()) {
      case UNKNOWN -> violation(RejectionReason.UNSUPPORTED_EVENT,
          "activity type unknown to this version of the engine (written with a later contract)");
      case MESSAGE_DELIVERED, MESSAGE_OPENED, MESSAGE_CLICKED, MESSAGE_BOUNCED, MESSAGE_UNSUBSCRIBED -> message(event);
      case CART_UPDATED -> cart(event);
      case CHECKOUT_STARTED, APP_INSTALLED, APP_LOGIN -> Optional.empty();
    };
  }

  private static Optional<Violation> message(ActivityEvent event) {
    if (event.getRequestId() == null || event.getRequestId().isBlank()) {
      return violation(RejectionReason.MISSING_FIELD, event.getType() + " without the requestId of the message it reports on");
    }
    if (event.getChannel() == null) {
      return violation(RejectionReason.MISSING_FIELD, event.getType() + " without the channel the message went out on");
    }
    return Optional.empty();
  }

  private Optional<Violation> cart(ActivityEvent event) {
    BigDecimal value = BigDecimal.ZERO;
    for (CartItem item : event.getCartItems()) {
      String where = "cart item " + item.getSku() + ": ";
      if (item.getSku().isBlank()) {
        return violation(RejectionReason.MISSING_FIELD, "cart item without a sku");
      }
      if (item.getQuantity().signum() <= 0) {
        return violation(item.getQuantity().signum() < 0 ? RejectionReason.NEGATIVE_AMOUNT : RejectionReason.INVALID_FIELD,
            where + "quantity must be positive, got " + item.getQuantity().toPlainString());
      }
      if (item.getQuantity().compareTo(maxItemQuantity) > 0) {
        return violation(RejectionReason.ABSURD_AMOUNT, where + "quantity " + item.getQuantity().toPlainString()
            + " exceeds the limit " + maxItemQuantity.toPlainString());
      }
      if (item.getUnitPrice().signum() < 0) {
        return violation(RejectionReason.NEGATIVE_AMOUNT, where + "unitPrice is negative: " + item.getUnitPrice().toPlainString());
      }
      value = value.add(EngagementRules.itemValue(item));
    }
    if (value.compareTo(maxCartValue) > 0) {
      return violation(RejectionReason.ABSURD_AMOUNT, "cart value " + value.toPlainString() + " exceeds the limit "
          + maxCartValue.toPlainString());
    }
    return Optional.empty();
  }

  private static Optional<Violation> violation(RejectionReason reason, String message) {
    return Optional.of(new Violation(reason, message));
  }
}
