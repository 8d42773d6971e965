package io.loyalty.intake;

import static io.loyalty.testing.Records.d;
import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.testing.Records;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransactionValidatorTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TransactionValidator validator = new TransactionValidator(d("100000.00"), d("10000"));

  private Optional<Violation> validate(TransactionEvent event) {
    String key = event.getCustomerId() == null ? event.getOrganizationId() + ":" : event.getOrganizationId() + ":" + event.getCustomerId();
    return validator.validate(key, event);
  }

  private static TransactionEvent.Builder valid() {
    return Records.dutchieExample("t1", "c1", AT);
  }

  @Test
  void acceptsTheWorkedExampleAndAnAnonymousSale() {
    assertEquals(Optional.empty(), validate(valid().build()));
    assertEquals(Optional.empty(), validate(valid().setCustomerId(null).build()));
  }

  @Test
  void rejectsMissingIdentifiers() {
    assertEquals(Optional.of(new Violation(RejectionReason.MISSING_FIELD, "eventId is empty")),
        validate(valid().setEventId("").build()));
    assertEquals(Optional.of(new Violation(RejectionReason.MISSING_FIELD, "locationId is empty")),
        validate(valid().setLocationId(" ").build()));
    assertEquals(Optional.of(new Violation(RejectionReason.MISSING_FIELD, "customerId is empty (null marks an anonymous sale)")),
        validate(valid().setCustomerId("").build()));
    assertEquals(Optional.of(new Violation(RejectionReason.MISSING_FIELD, "RETURN without originalTransactionId")),
        validate(valid().setType(TransactionType.RETURN).build()));
  }

  @Test
  void rejectsAnOrganizationIdThatWouldMakeKeysAmbiguous() {
    assertEquals(RejectionReason.INVALID_FIELD, validate(valid().setOrganizationId("a:b").build()).orElseThrow().reason());
  }

  @Test
  void rejectsARecordKeyedForAnotherAccount() {
    assertEquals(Optional.of(new Violation(RejectionReason.KEY_MISMATCH,
            "record key 'greenleaf:c2' is not the account key 'greenleaf:c1' of the event")),
        validator.validate("greenleaf:c2", valid().build()));
  }

  @Test
  void rejectsNegativeAndAbsurdAmounts() {
    assertEquals(Optional.of(new Violation(RejectionReason.NEGATIVE_AMOUNT, "tax is negative: -1.00")),
        validate(valid().setTax(d("-1.00")).build()));
    assertEquals(Optional.of(new Violation(RejectionReason.ABSURD_AMOUNT, "total 100000.01 exceeds the limit 100000.00")),
        validate(valid().setTotal(d("100000.01")).build()));
    assertEquals(Optional.of(new Violation(RejectionReason.INVALID_FIELD, "line L1: quantity is 0: a line sells or returns at least some of a product")),
        validate(valid().setLines(List.of(line("L1", "0", "100", "0"))).build()), "0 is not negative: the reason says what is wrong");
    assertEquals(Optional.of(new Violation(RejectionReason.NEGATIVE_AMOUNT, "line L1: quantity is negative: -1.000")),
        validate(valid().setLines(List.of(line("L1", "-1", "100", "0"))).build()));
    assertEquals(Optional.of(new Violation(RejectionReason.ABSURD_AMOUNT, "line L1: quantity 10001.000 exceeds the limit 10000")),
        validate(valid().setLines(List.of(line("L1", "10001", "0.01", "0"))).setSubtotal(d("100.01")).build()));
    assertEquals(Optional.of(new Violation(RejectionReason.NEGATIVE_AMOUNT, "redeemed points must be positive, got -5.0000")),
        validate(valid().setRedemptions(List.of(new PointRedemption(RedemptionKind.PAYMENT_BEFORE_TAX, d("-5.0000"), d("5.00"), null, null))).build()));
  }

  @Test
  void rejectsLinesThatDoNotAddUpToTheSubtotal() {
    assertEquals(Optional.of(new Violation(RejectionReason.LINES_DO_NOT_ADD_UP,
            "lines add up to 100.00 (quantity x unitPrice, rounded to cents per line) but subtotal is 101.00")),
        validate(valid().setSubtotal(d("101.00")).build()));
    assertEquals(Optional.of(new Violation(RejectionReason.LINES_DO_NOT_ADD_UP,
            "line discounts 10.00 exceed the ticket's discounts 9.00")),
        validate(valid().setDiscounts(d("9.00")).build()));
    assertEquals(Optional.of(new Violation(RejectionReason.MISSING_FIELD, "purchase without lines")),
        validate(valid().setLines(List.of()).build()));
  }

  @Test
  void rejectsDuplicateLineIdsAndDiscountsAboveTheLine() {
    assertEquals(RejectionReason.INVALID_FIELD, validate(valid()
        .setLines(List.of(line("L1", "2", "30.00", "10.00"), line("L1", "1", "40.00", "0"))).build()).orElseThrow().reason());
    assertEquals(Optional.of(new Violation(RejectionReason.INVALID_FIELD, "line L1: discount 70.00 exceeds the line amount 60.00")),
        validate(valid().setLines(List.of(line("L1", "2", "30.00", "70.00"), line("L2", "1", "40.00", "0")))
            .setDiscounts(d("70.00")).build()));
  }

  @Test
  void rejectsPreTaxRedemptionsBeyondWhatIsLeftToPay() {
    assertEquals(Optional.of(new Violation(RejectionReason.INVALID_FIELD,
            "discounts plus pre-tax point redemptions (101.00) exceed the subtotal 100.00")),
        validate(valid().setRedemptions(List.of(new PointRedemption(RedemptionKind.CATALOG_REWARD, d("910.0000"), d("91.00"), "r", null))).build()));
  }
}
