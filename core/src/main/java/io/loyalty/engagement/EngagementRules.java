package io.loyalty.engagement;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.CartItem;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ChannelEngagement;
import io.loyalty.avro.Engagement;
import io.loyalty.avro.OnlineCart;
import io.loyalty.accounts.Prototypes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A customer's activity outside the POS folded into a bounded summary ({@link Engagement}): the app, the latest
 * online cart, and per channel what became of the messages. The summary does not depend on the order reports
 * arrive in: times keep the latest reported, counts add up, and a cart update older than the cart held changes
 * nothing. Its size is bounded by the cart limit and the three channels, never by the history.
 */
public final class EngagementRules {
  private static final Engagement BLANK = Engagement.newBuilder().build();

  private EngagementRules() {}

  public static Engagement empty() {
    return Prototypes.copyOf(BLANK);
  }

  /** Folds one validated report in. */
  public static void apply(Engagement engagement, ActivityEvent event) {
    Instant at = event.getOccurredAt();
    engagement.setLastActivityAt(latest(engagement.getLastActivityAt(), at));
    switch (event.getType()) {
      case APP_INSTALLED -> engagement.setAppInstalledAt(latest(engagement.getAppInstalledAt(), at));
      case APP_LOGIN -> {
        engagement.setAppLogins(engagement.getAppLogins() + 1);
        engagement.setLastAppLoginAt(latest(engagement.getLastAppLoginAt(), at));
      }
      case CART_UPDATED -> updateCart(engagement, event);
      case CHECKOUT_STARTED -> startCheckout(engagement, event);
      case MESSAGE_DELIVERED -> channel(engagement, event.getChannel()).setDelivered(channel(engagement, event.getChannel()).getDelivered() + 1);
      case MESSAGE_OPENED -> {
        ChannelEngagement channel = channel(engagement, event.getChannel());
        channel.setOpened(channel.getOpened() + 1);
        channel.setLastOpenedAt(latest(channel.getLastOpenedAt(), at));
      }
      case MESSAGE_CLICKED -> {
        ChannelEngagement channel = channel(engagement, event.getChannel());
        channel.setClicked(channel.getClicked() + 1);
        channel.setLastClickedAt(latest(channel.getLastClickedAt(), at));
      }
      case MESSAGE_BOUNCED -> channel(engagement, event.getChannel()).setBounced(channel(engagement, event.getChannel()).getBounced() + 1);
      case MESSAGE_UNSUBSCRIBED -> {
        ChannelEngagement channel = channel(engagement, event.getChannel());
        channel.setUnsubscribedAt(latest(channel.getUnsubscribedAt(), at));
      }
      case UNKNOWN -> throw new IllegalArgumentException("activity of an unknown type reached the rules; the validator refuses it");
    }
  }

  /**
   * Whether the cart waits for a purchase: it holds items and the customer has not bought at or after its last
   * update (a purchase closes the cart it followed; the summary is not rewritten by purchases).
   */
  public static boolean cartOpen(Engagement engagement, Instant lastPurchaseAt) {
    OnlineCart cart = engagement.getCart();
    return cart != null && !cart.getItems().isEmpty() && (lastPurchaseAt == null || lastPurchaseAt.isBefore(cart.getUpdatedAt()));
  }

  /** An item's amount: quantity x unit price, rounded half-up to cents, as a POS line is. */
  public static BigDecimal itemValue(CartItem item) {
    return item.getQuantity().multiply(item.getUnitPrice()).setScale(2, RoundingMode.HALF_UP);
  }

  /**
   * The latest cart wins: an update of the cart held replaces its items unless older than the items held; an
   * update of another cart replaces the cart held unless older than what is known of it (its items' update, or
   * its checkout when only that is known).
   */
  private static void updateCart(Engagement engagement, ActivityEvent event) {
    OnlineCart cart = engagement.getCart();
    Instant at = event.getOccurredAt();
    boolean sameCart = cart != null && Objects.equals(cart.getCartId(), event.getCartId());
    if (sameCart ? cart.getUpdatedAt() != null && at.isBefore(cart.getUpdatedAt()) : cart != null && at.isBefore(knownAt(cart))) {
      return;
    }
    BigDecimal value = new BigDecimal("0.00");
    for (CartItem item : event.getCartItems()) {
      value = value.add(itemValue(item));
    }
    engagement.setCart(new OnlineCart(event.getCartId(), new ArrayList<>(event.getCartItems()), value, at,
        sameCart ? cart.getCheckoutStartedAt() : null));
  }

  /** A checkout of the cart held moves its checkout time; of a newer cart, makes that cart known by its id. */
  private static void startCheckout(Engagement engagement, ActivityEvent event) {
    OnlineCart cart = engagement.getCart();
    Instant at = event.getOccurredAt();
    if (cart != null && Objects.equals(cart.getCartId(), event.getCartId())) {
      cart.setCheckoutStartedAt(latest(cart.getCheckoutStartedAt(), at));
    } else if (cart == null || !at.isBefore(knownAt(cart))) {
      engagement.setCart(new OnlineCart(event.getCartId(), new ArrayList<>(), new BigDecimal("0.00"), null, at));
    }
  }

  private static Instant knownAt(OnlineCart cart) {
    return cart.getUpdatedAt() != null ? cart.getUpdatedAt() : cart.getCheckoutStartedAt();
  }

  /** The channel's counters, added in the order EMAIL, SMS, PUSH when first reported. */
  private static ChannelEngagement channel(Engagement engagement, Channel channel) {
    List<ChannelEngagement> channels = engagement.getChannels();
    int index = 0;
    for (; index < channels.size(); index++) {
      if (channels.get(index).getChannel() == channel) {
        return channels.get(index);
      }
      if (channels.get(index).getChannel().ordinal() > channel.ordinal()) {
        break;
      }
    }
    ChannelEngagement added = ChannelEngagement.newBuilder().setChannel(channel).build();
    List<ChannelEngagement> updated = new ArrayList<>(channels);
    updated.add(index, added);
    engagement.setChannels(updated);
    return added;
  }

  private static Instant latest(Instant current, Instant candidate) {
    return current == null || candidate.isAfter(current) ? candidate : current;
  }
}
