package io.loyalty.metrics;

import io.loyalty.accounts.Amounts;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.HoldoutFigures;
import io.loyalty.avro.state.KpiRow;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
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

  private static final String HOLDOUTS = "holdouts";

  /** Where the figures sit in each record type, looked up once: a delta is added on every input. */
  private record Positions(int[] counts, int[] money, int[] points, int holdouts) {
    static Positions of(Schema schema) {
      return new Positions(positions(schema, COUNTS), positions(schema, MONEY), positions(schema, POINTS), schema.getField(HOLDOUTS).pos());
    }

    private static int[] positions(Schema schema, List<String> names) {
      return names.stream().mapToInt(name -> schema.getField(name).pos()).toArray();
    }
  }

  private static final Positions IN_DELTA = Positions.of(KpiDelta.getClassSchema());
  private static final Positions IN_ROW = Positions.of(KpiRow.getClassSchema());

  private KpiFigures() {}

  /** Adds each figure of {@code delta} to the field of the same name of {@code sum} (a KpiDelta or a KpiRow). */
  static void add(SpecificRecordBase sum, KpiDelta delta) {
    Positions to = sum instanceof KpiDelta ? IN_DELTA : IN_ROW;
    for (int i = 0; i < COUNTS.size(); i++) {
      // A delta counts some figures in an int (one commit's worth), a row in a long.
      Number current = (Number) sum.get(to.counts()[i]);
      long added = current.longValue() + ((Number) delta.get(IN_DELTA.counts()[i])).longValue();
      sum.put(to.counts()[i], current instanceof Integer ? (Object) Math.toIntExact(added) : (Object) added);
    }
    for (int i = 0; i < MONEY.size(); i++) {
      sum.put(to.money()[i], Amounts.money(((BigDecimal) sum.get(to.money()[i])).add((BigDecimal) delta.get(IN_DELTA.money()[i]))));
    }
    for (int i = 0; i < POINTS.size(); i++) {
      sum.put(to.points()[i], Amounts.points(((BigDecimal) sum.get(to.points()[i])).add((BigDecimal) delta.get(IN_DELTA.points()[i]))));
    }
    if (!delta.getHoldouts().isEmpty()) {
      @SuppressWarnings("unchecked")
      Map<String, HoldoutFigures> into = new TreeMap<>((Map<String, HoldoutFigures>) sum.get(to.holdouts()));
      delta.getHoldouts().forEach((campaign, figures) -> into.merge(campaign, figures, KpiFigures::plus));
      sum.put(to.holdouts(), into);
    }
  }

  /** One campaign's figures added up, as a new record (neither is changed: either may be shared). */
  static HoldoutFigures plus(HoldoutFigures one, HoldoutFigures other) {
    return combined(one, other, 1);
  }

  /** The figures of {@code total} less those of {@code later}: a campaign's figures up to a period's end. */
  static HoldoutFigures minus(HoldoutFigures total, HoldoutFigures later) {
    return combined(total, later, -1);
  }

  private static HoldoutFigures combined(HoldoutFigures one, HoldoutFigures other, int sign) {
    BigDecimal times = BigDecimal.valueOf(sign);
    return new HoldoutFigures(one.getTreated() + sign * other.getTreated(), one.getControl() + sign * other.getControl(),
        one.getTreatedConverted() + sign * other.getTreatedConverted(), one.getControlConverted() + sign * other.getControlConverted(),
        Amounts.money(one.getTreatedSales().add(other.getTreatedSales().multiply(times))),
        Amounts.money(one.getControlSales().add(other.getControlSales().multiply(times))),
        one.getTreatedVisits() + sign * other.getTreatedVisits(), one.getControlVisits() + sign * other.getControlVisits());
  }
}
