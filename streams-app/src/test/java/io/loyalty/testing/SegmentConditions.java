package io.loyalty.testing;

import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentCondition;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.SegmentOperator;
import java.util.List;

/** Segment definitions in a line each, for tests. */
public final class SegmentConditions {
  private SegmentConditions() {}

  public static SegmentCondition test(SegmentOperator operator, SegmentAttribute attribute, String... values) {
    return SegmentCondition.newBuilder().setOperator(operator).setAttribute(attribute).setValues(List.of(values)).build();
  }

  public static SegmentCondition combine(SegmentOperator operator, SegmentCondition... conditions) {
    return SegmentCondition.newBuilder().setOperator(operator).setConditions(List.of(conditions)).build();
  }

  public static SegmentDefinition segment(String id, SegmentCondition condition) {
    return new SegmentDefinition(id, id, condition);
  }
}
