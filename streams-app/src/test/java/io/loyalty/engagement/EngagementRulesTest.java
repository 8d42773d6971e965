package io.loyalty.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.CartItem;
import io.loyalty.avro.Channel;
import io.loyalty.avro.Engagement;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EngagementRulesTest {
  private static final Instant T0 = Instant.parse("2026-10-01T17:00:00Z");

  static ActivityEvent.Builder activity(String id, ActivityType type, int minutes) {
    return ActivityEvent.newBuilder().setEventId(id).setOrganizationId("greenleaf").setCustomerId("c1")
        .setOccurredAt(T0.plusSeconds(60L * minutes)).setType(type);
  }

  static CartItem item(String sku, String quantity, String unitPrice) {
    return new CartItem(sku, new BigDecimal(quantity), new BigDecimal(unitPrice));
  }

  private static List<ActivityEvent> history() {
    return List.of(
        activity("a1", ActivityType.APP_INSTALLED, 0).build(),
        activity("a2", ActivityType.APP_LOGIN, 5).build(),
        activity("a3", ActivityType.APP_LOGIN, 90).build(),
        activity("a4", ActivityType.CART_UPDATED, 10).setCartId("k1").setCartItems(List.of(item("BD-35", "1", "35.00"))).build(),
        activity("a5", ActivityType.CART_UPDATED, 20).setCartId("k1")
            .setCartItems(List.of(item("BD-35", "2", "35.00"), item("GUM-10", "1.5", "12.99"))).build(),
        activity("a6", ActivityType.CHECKOUT_STARTED, 25).setCartId("k1").build(),
        activity("a7", ActivityType.MESSAGE_DELIVERED, 30).setChannel(Channel.SMS).setRequestId("r1").build(),
        activity("a8", ActivityType.MESSAGE_CLICKED, 40).setChannel(Channel.SMS).setRequestId("r1").build(),
        activity("a9", ActivityType.MESSAGE_OPENED, 35).setChannel(Channel.EMAIL).setRequestId("r2").build(),
        activity("a10", ActivityType.MESSAGE_BOUNCED, 36).setChannel(Channel.PUSH).setRequestId("r3").build(),
        activity("a11", ActivityType.MESSAGE_UNSUBSCRIBED, 50).setChannel(Channel.EMAIL).setRequestId("r2").build());
  }

  private static Engagement fold(List<ActivityEvent> events) {
    Engagement engagement = EngagementRules.empty();
    events.forEach(event -> EngagementRules.apply(engagement, event));
    return engagement;
  }

  @Test
  void foldsEveryKindOfReportWithExactFigures() {
    Engagement engagement = fold(history());
    assertEquals(T0, engagement.getAppInstalledAt());
    assertEquals(T0.plusSeconds(5400), engagement.getLastAppLoginAt());
    assertEquals(2, engagement.getAppLogins());
    assertEquals("k1", engagement.getCart().getCartId());
    assertEquals(new BigDecimal("89.49"), engagement.getCart().getValue(), "2 x 35.00 + 1.5 x 12.99 = 70.00 + 19.485 -> 19.49");
    assertEquals(T0.plusSeconds(1200), engagement.getCart().getUpdatedAt());
    assertEquals(T0.plusSeconds(1500), engagement.getCart().getCheckoutStartedAt());
    assertEquals(List.of(Channel.EMAIL, Channel.SMS, Channel.PUSH), engagement.getChannels().stream().map(c -> c.getChannel()).toList(),
        "channels in a fixed order, whatever order they were first reported in");
    assertEquals(1, engagement.getChannels().get(0).getOpened());
    assertEquals(T0.plusSeconds(3000), engagement.getChannels().get(0).getUnsubscribedAt());
    assertEquals(1, engagement.getChannels().get(1).getDelivered());
    assertEquals(1, engagement.getChannels().get(1).getClicked());
    assertEquals(T0.plusSeconds(2400), engagement.getChannels().get(1).getLastClickedAt());
    assertEquals(1, engagement.getChannels().get(2).getBounced());
    assertEquals(T0.plusSeconds(5400), engagement.getLastActivityAt());
  }

  @Test
  void theSummaryDoesNotDependOnArrivalOrder() {
    Engagement inOrder = fold(history());
    Random random = new Random(7);
    for (int run = 0; run < 20; run++) {
      List<ActivityEvent> shuffled = new ArrayList<>(history());
      Collections.shuffle(shuffled, random);
      assertEquals(inOrder, fold(shuffled), "order " + shuffled.stream().map(ActivityEvent::getEventId).toList());
    }
  }

  @Test
  void theLatestOfTwoCartsWinsWhateverTheOrder() {
    List<ActivityEvent> twoCarts = new ArrayList<>(history());
    twoCarts.add(activity("a12", ActivityType.CART_UPDATED, 60).setCartId("k2").setCartItems(List.of(item("PR-1", "3", "8.00"))).build());
    twoCarts.add(activity("a13", ActivityType.CHECKOUT_STARTED, 70).setCartId("k2").build());
    Random random = new Random(11);
    for (int run = 0; run < 50; run++) {
      Collections.shuffle(twoCarts, random);
      Engagement engagement = fold(twoCarts);
      assertEquals("k2", engagement.getCart().getCartId());
      assertEquals(new BigDecimal("24.00"), engagement.getCart().getValue());
      assertEquals(T0.plusSeconds(3600), engagement.getCart().getUpdatedAt());
      assertEquals(T0.plusSeconds(4200), engagement.getCart().getCheckoutStartedAt(), "k1's checkout is not k2's");
    }
  }

  @Test
  void aCartIsOpenUntilAPurchaseFollowsItsLastUpdate() {
    Engagement engagement = fold(List.of(
        activity("a1", ActivityType.CART_UPDATED, 10).setCartId("k1").setCartItems(List.of(item("BD-35", "1", "35.00"))).build()));
    assertTrue(EngagementRules.cartOpen(engagement, null), "never purchased");
    assertTrue(EngagementRules.cartOpen(engagement, T0), "purchased before the cart");
    assertFalse(EngagementRules.cartOpen(engagement, T0.plusSeconds(600)), "a purchase at the cart's last update closes it");
    EngagementRules.apply(engagement, activity("a2", ActivityType.CART_UPDATED, 20).setCartId("k1").build());
    assertFalse(EngagementRules.cartOpen(engagement, null), "an emptied cart waits for nothing");
    assertEquals(new BigDecimal("0.00"), engagement.getCart().getValue());
  }

  @Test
  void aCheckoutBeforeItsCartKeepsTheCartIdAndANewCartForgetsTheOldCheckout() {
    Engagement engagement = fold(List.of(activity("a1", ActivityType.CHECKOUT_STARTED, 5).setCartId("k1").build()));
    assertEquals("k1", engagement.getCart().getCartId());
    assertEquals(T0.plusSeconds(300), engagement.getCart().getCheckoutStartedAt());
    EngagementRules.apply(engagement, activity("a2", ActivityType.CART_UPDATED, 10).setCartId("k1")
        .setCartItems(List.of(item("BD-35", "1", "35.00"))).build());
    assertEquals(T0.plusSeconds(300), engagement.getCart().getCheckoutStartedAt(), "same cart: its checkout stays");
    EngagementRules.apply(engagement, activity("a3", ActivityType.CART_UPDATED, 15).setCartId("k2")
        .setCartItems(List.of(item("GUM-10", "1", "12.99"))).build());
    assertNull(engagement.getCart().getCheckoutStartedAt(), "another cart starts without a checkout");
  }
}
