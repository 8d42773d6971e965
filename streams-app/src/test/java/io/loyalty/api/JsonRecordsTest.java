package io.loyalty.api;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loyalty.avro.Enroll;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.contract.Contract;
import io.loyalty.testing.Samples;
import java.time.Instant;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonRecordsTest {
  private static final Schema TRANSACTION = TransactionEvent.getClassSchema();

  @Test
  void parsesThePurchaseOfTheReadme() {
    TransactionEvent event = JsonRecords.parse(Samples.json(TRANSACTION), TRANSACTION);
    assertEquals(TransactionType.PURCHASE, event.getType());
    assertEquals(Instant.parse("2026-11-23T18:05:00Z"), event.getOccurredAt());
    assertEquals(d("2.000"), event.getLines().get(0).getQuantity());
    assertEquals(d("0.00"), event.getLines().get(1).getDiscount());
    assertEquals(null, event.getLines().get(1).getStrain(), "an omitted optional field takes its default");
    assertEquals(RedemptionKind.PAYMENT_BEFORE_TAX, event.getRedemptions().get(0).getKind());
    assertEquals(d("5.0000"), event.getRedemptions().get(0).getPoints());
    assertEquals("USD", event.getCurrency());
    assertEquals(d("102.00"), event.getTotal());
  }

  @Test
  void aUnionOfRecordsNamesItsBranch() {
    LoyaltyCommand command = JsonRecords.parse(Samples.json(LoyaltyCommand.getClassSchema()), LoyaltyCommand.getClassSchema());
    Enroll enroll = (Enroll) command.getCommand();
    assertEquals("medical", enroll.getCustomerGroup());
    assertEquals(LocalDate.of(1990, 4, 20), enroll.getBirthDate());
    assertEquals(true, JsonRecords.toJson(command).contains("\"command\":{\"Enroll\":{\"customerGroup\":\"medical\""));
  }

  static Stream<Schema> everyRecordType() {
    return Contract.all().stream();
  }

  @ParameterizedTest
  @MethodSource("everyRecordType")
  void printedJsonParsesBackToTheSameJson(Schema schema) {
    SpecificRecord record = Samples.record(schema);
    String printed = JsonRecords.toJson(record);
    assertEquals(printed, JsonRecords.toJson(JsonRecords.parse(printed, schema)));
  }

  @Test
  void mistakesAreReportedWithTheirPath() {
    String sample = Samples.json(TRANSACTION);
    assertEquals("TransactionEvent: unknown field 'customer'",
        assertThrows(IllegalArgumentException.class, () -> JsonRecords.parse(sample.replace("\"customerId\"", "\"customer\""), TRANSACTION)).getMessage());
    assertEquals("TransactionEvent.subtotal: 100.001 has more than 2 decimals",
        assertThrows(IllegalArgumentException.class, () -> JsonRecords.parse(sample.replace("\"100.00\"", "\"100.001\""), TRANSACTION)).getMessage());
    assertEquals("TransactionEvent.type: expected one of [PURCHASE, RETURN, VOID]",
        assertThrows(IllegalArgumentException.class, () -> JsonRecords.parse(sample.replace("\"PURCHASE\"", "\"SALE\""), TRANSACTION)).getMessage());
    assertEquals("TransactionEvent.occurredAt: expected an ISO-8601 instant such as 2026-11-23T18:05:00Z, got '2026-11-23 18:05'",
        assertThrows(IllegalArgumentException.class, () -> JsonRecords.parse(sample.replace("2026-11-23T18:05:00Z", "2026-11-23 18:05"), TRANSACTION)).getMessage());
    assertEquals("TransactionEvent.eventId: missing (required)",
        assertThrows(IllegalArgumentException.class, () -> JsonRecords.parse(sample.replace("\"eventId\": \"pos-evt-90211\", ", ""), TRANSACTION)).getMessage());
    assertEquals("TransactionEvent.lines[0].quantity: 'two' is not a decimal number",
        assertThrows(IllegalArgumentException.class, () -> JsonRecords.parse(sample.replace("\"quantity\": \"2\"", "\"quantity\": \"two\""), TRANSACTION)).getMessage());
  }
}
