package io.loyalty.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.CartItem;
import io.loyalty.avro.Channel;
import io.loyalty.avro.RejectionReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityValidatorTest {
  private final ActivityValidator validator = new ActivityValidator(new BigDecimal("100000.00"), new BigDecimal("1000"));

  private static ActivityEvent.Builder report(ActivityType type) {
    return ActivityEvent.newBuilder().setEventId("a1").setOrganizationId("greenleaf").setCustomerId("c1")
        .setOccurredAt(Instant.parse("2026-10-01T17:00:00Z")).setType(type);
  }

  private static CartItem item(String quantity, String unitPrice) {
    return new CartItem("BD-35", new BigDecimal(quantity), new BigDecimal(unitPrice));
  }

  private Optional<RejectionReason> check(ActivityEvent.Builder event) {
    return check("greenleaf:c1", event);
  }

  private Optional<RejectionReason> check(String key, ActivityEvent.Builder event) {
    return validator.validate(key, event.build()).map(Violation::reason);
  }

  @Test
  void acceptsEveryKnownTypeWithWhatItNeeds() {
    for (ActivityType type : ActivityType.values()) {
      if (type == ActivityType.UNKNOWN) {
        continue;
      }
      ActivityEvent.Builder event = report(type).setChannel(Channel.EMAIL).setRequestId("r1").setCartItems(List.of(item("1", "35.00")));
      assertEquals(Optional.empty(), check(event), type.name());
    }
  }

  @Test
  void rejectsEachProblemWithItsReason() {
    assertEquals(Optional.of(RejectionReason.UNSUPPORTED_EVENT), check(report(ActivityType.UNKNOWN)));
    assertEquals(Optional.of(RejectionReason.MISSING_FIELD), check(report(ActivityType.APP_LOGIN).setEventId(" ")));
    assertEquals(Optional.of(RejectionReason.MISSING_FIELD), check(report(ActivityType.APP_LOGIN).setCustomerId("")));
    assertEquals(Optional.of(RejectionReason.INVALID_FIELD), check("gl/x:c1", report(ActivityType.APP_LOGIN).setOrganizationId("gl/x")));
    assertEquals(Optional.of(RejectionReason.KEY_MISMATCH), check("greenleaf:c2", report(ActivityType.APP_LOGIN)));
    assertEquals(Optional.of(RejectionReason.MISSING_FIELD), check(report(ActivityType.MESSAGE_OPENED).setChannel(Channel.SMS)),
        "a message report names its request");
    assertEquals(Optional.of(RejectionReason.MISSING_FIELD), check(report(ActivityType.MESSAGE_CLICKED).setRequestId("r1")),
        "and its channel");
    assertEquals(Optional.of(RejectionReason.INVALID_FIELD), check(report(ActivityType.CART_UPDATED).setCartItems(List.of(item("0", "1.00")))));
    assertEquals(Optional.of(RejectionReason.NEGATIVE_AMOUNT),
        check(report(ActivityType.CART_UPDATED).setCartItems(List.of(item("-1", "1.00")))));
    assertEquals(Optional.of(RejectionReason.NEGATIVE_AMOUNT),
        check(report(ActivityType.CART_UPDATED).setCartItems(List.of(item("1", "-1.00")))));
    assertEquals(Optional.of(RejectionReason.ABSURD_AMOUNT),
        check(report(ActivityType.CART_UPDATED).setCartItems(List.of(item("1000.001", "1.00")))));
    assertEquals(Optional.of(RejectionReason.ABSURD_AMOUNT),
        check(report(ActivityType.CART_UPDATED).setCartItems(List.of(item("1000", "100.01")))), "a cart over the ticket limit");
  }
}
