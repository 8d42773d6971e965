package io.loyalty.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark measures what it says: the history it names, one unspent lot per past purchase. Timings are not checked. */
class AccountCostBenchmarkTest {
  @Test
  void everyHistoryIsMeasured() {
    List<AccountCostBenchmark.Result> results = AccountCostBenchmark.measure(List.of(0, 50), 20);
    assertEquals(List.of(0, 50), results.stream().map(AccountCostBenchmark.Result::history).toList());
    assertEquals(List.of(0, 50), results.stream().map(AccountCostBenchmark.Result::lotsBefore).toList());
    assertTrue(results.stream().allMatch(result -> result.medianNanos() > 0 && result.p90Nanos() >= result.medianNanos()));
  }

  @Test
  void stateIsCountedInEveryStoreTheCustomerUses() {
    Map<String, Long> bytes = AccountCostBenchmark.stateAfterVisits(12);
    for (String store : List.of("accounts-store", "lots-store", "transactions-store", "timers-store")) {
      assertTrue(bytes.get(store) > 0, store + " " + bytes);
    }
    assertEquals(0L, bytes.get("seen-ids-store"), "purchases within their return window are recognised by their records " + bytes);
    assertEquals(bytes.entrySet().stream().filter(entry -> !entry.getKey().equals("total")).mapToLong(Map.Entry::getValue).sum(),
        bytes.get("total"));
  }
}
