package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.RewardEventType;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InactivityExpiryTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private static Instant days(Instant from, int days) {
    return from.plus(Duration.ofDays(days));
  }

  @Test
  void anInactiveCustomersWholeBalanceExpiresByTheClockAfterAWarning() {
    harness.program(Records.program("1").setInactivityExpiryDays(90).setExpiryWarningDays(14).build());
    harness.transaction(Records.purchase("t1", "c1", "20.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "5.00", days(AT, 10)).build());
    harness.ledger();
    harness.tick(days(AT, 85));
    assertEquals(List.of(), harness.rewards(), "the warning is due 14 days before day 100");
    harness.tick(days(AT, 86));
    RewardEvent warning = harness.rewards().get(0);
    assertEquals(RewardEventType.POINTS_EXPIRING, warning.getType());
    assertEquals(d("25.0000"), warning.getPoints());
    assertEquals(days(AT, 100), warning.getDueAt());
    assertEquals(List.of(), harness.ledger());

    harness.tick(days(AT, 100).minusMillis(1));
    assertEquals(List.of(), harness.ledger());
    harness.tick(days(AT, 101));
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(1, ledger.size());
    assertEquals(LedgerEntryType.EXPIRY, ledger.get(0).getType());
    assertEquals(d("-25.0000"), ledger.get(0).getDelta());
    assertEquals(d("0.0000"), ledger.get(0).getBalanceAfter());
    assertEquals(days(AT, 100), ledger.get(0).getOccurredAt(), "the due time, not the tick that noticed it");
    assertEquals(2, ledger.get(0).getLots().size(), "the entry names the lots that expired");
    RewardEvent expired = harness.rewards().get(0);
    assertEquals(RewardEventType.POINTS_EXPIRED, expired.getType());
    assertEquals(d("25.0000"), expired.getPoints());

    harness.tick(days(AT, 300));
    assertEquals(List.of(), harness.ledger(), "nothing expires twice");
  }

  @Test
  void aPurchaseStartsANewPeriod() {
    harness.program(Records.program("1").setInactivityExpiryDays(90).build());
    harness.transaction(Records.purchase("t1", "c1", "20.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "5.00", days(AT, 80)).build());
    harness.ledger();
    harness.tick(days(AT, 169));
    assertEquals(List.of(), harness.ledger());
    harness.tick(days(AT, 170));
    assertEquals(d("-25.0000"), harness.ledger().get(0).getDelta());
  }

  @Test
  void configuringExpiryIsNotRetroactive() {
    harness.program(Records.program("1").build());
    harness.program(Records.program("1").setVersion(2).setEffectiveFrom(days(AT, 200)).setInactivityExpiryDays(90).build());
    harness.transaction(Records.purchase("t1", "c1", "20.00", AT).build());
    harness.command(Records.command("k1", "c1", days(AT, 210), UpdateProfile.newBuilder().build()));
    harness.ledger();
    harness.tick(days(AT, 289));
    assertEquals(List.of(), harness.ledger(), "counted from when the setting took effect, not from the old purchase");
    harness.tick(days(AT, 290));
    assertEquals(d("-20.0000"), harness.ledger().get(0).getDelta());
  }
}
