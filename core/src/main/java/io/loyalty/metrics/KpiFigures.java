package io.loyalty.metrics;

import io.loyalty.accounts.Amounts;
import io.loyalty.avro.state.KpiDelta;
import java.math.BigDecimal;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The figures a delta adds, the same by name in a sum of deltas ({@link KpiDeltas}) and in a row ({@link KpiSums}):
 * one list of them, so that a new figure cannot be added to one sum and forgotten in the other.
 */
final class KpiFigures {
  private static final List<String> COUNTS = List.of("inputs", "memberOrders", "nonMemberOrders", "enrollments", "optOuts",
      "offersIssued", "offersRedeemed", "workflowEntries", "workflowConversions");
  private static final List<String> MONEY = List.of("memberSales", "nonMemberSales");
  private static final List<String> POINTS = List.of("pointsIssued", "pointsRedeemed", "pointsExpired", "pointsOutstanding");

  private KpiFigures() {}

  /** Adds each figure of {@code delta} to the field of the same name of {@code sum} (a KpiDelta or a KpiRow). */
  static void add(SpecificRecordBase sum, KpiDelta delta) {
    for (String count : COUNTS) {
      // A delta counts some figures in an int (one commit's worth), a row in a long.
      Number current = (Number) sum.get(count);
      long added = current.longValue() + ((Number) delta.get(count)).longValue();
      sum.put(count, current instanceof Integer ? (Object) Math.toIntExact(added) : (Object) added);
    }
    for (String money : MONEY) {
      sum.put(money, Amounts.money(((BigDecimal) sum.get(money)).add((BigDecimal) delta.get(money))));
    }
    for (String points : POINTS) {
      sum.put(points, Amounts.points(((BigDecimal) sum.get(points)).add((BigDecimal) delta.get(points))));
    }
  }
}
