package io.loyalty.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.CartItem;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.testing.Records;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputLimitsTest {
  private static final InputLimits LIMITS = new InputLimits(3, 2, 4, 20);
  private static final Instant AT = Instant.parse("2026-10-01T17:00:00Z");

  private static Optional<Violation> exceeded(String message) {
    return Optional.of(new Violation(RejectionReason.LIMIT_EXCEEDED, message + "; nothing of it was applied"));
  }

  @Test
  void aTicketMayHaveAsManyLinesAsTheLimitAndNotOneMore() {
    List<TransactionLine> lines = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      lines.add(Records.line("L" + i, "1", "0.01", "0"));
    }
    assertEquals(Optional.empty(), LIMITS.check(Records.purchase("t1", "c1", "0.03", AT).setLines(lines).build()));
    lines.add(Records.line("L4", "1", "0.01", "0"));
    assertEquals(exceeded("a ticket of 4 lines is more than limits.ticket.lines (3)"),
        LIMITS.check(Records.purchase("t1", "c1", "0.04", AT).setLines(lines).build()));
  }

  @Test
  void aTextLongerThanTheLimitIsNamedByItsPath() {
    assertEquals(exceeded("lines[0].sku has 21 characters, more than limits.text.chars (20)"),
        LIMITS.check(Records.purchase("t1", "c1", "0.01", AT).setLines(List.of(TransactionLine.newBuilder(Records.line("L1", "1", "0.01", "0"))
            .setSku("x".repeat(21)).build())).build()));
    assertEquals(exceeded("command.firstName has 21 characters, more than limits.text.chars (20)"),
        LIMITS.check(Records.command("k1", "c1", AT, UpdateProfile.newBuilder().setFirstName("y".repeat(21)).build())));
    assertEquals(Optional.empty(),
        LIMITS.check(Records.command("k1", "c1", AT, UpdateProfile.newBuilder().setFirstName("y".repeat(20)).build())));
  }

  @Test
  void cartsAndOtherListsAndMapsHaveTheirOwnLimits() {
    ActivityEvent.Builder cart = ActivityEvent.newBuilder().setEventId("a1").setOrganizationId("greenleaf").setCustomerId("c1")
        .setOccurredAt(AT).setType(ActivityType.CART_UPDATED);
    CartItem item = new CartItem("BD-35", BigDecimal.ONE, new BigDecimal("1.00"));
    assertEquals(Optional.empty(), LIMITS.check(cart.setCartItems(Collections.nCopies(2, item)).build()));
    assertEquals(exceeded("a cart of 3 items is more than limits.cart.items (2)"),
        LIMITS.check(cart.setCartItems(Collections.nCopies(3, item)).build()));
    assertEquals(exceeded("command.addTags has 5 entries, more than limits.list.entries (4)"),
        LIMITS.check(Records.command("k1", "c1", AT, UpdateProfile.newBuilder().setAddTags(List.of("a", "b", "c", "d", "e")).build())));
    Map<String, String> preferences = new HashMap<>();
    preferences.put("store", "z".repeat(21));
    assertEquals(exceeded("command.preferences[store] has 21 characters, more than limits.text.chars (20)"),
        LIMITS.check(Records.command("k1", "c1", AT, UpdateProfile.newBuilder().setPreferences(preferences).build())));
  }
}
