package io.loyalty.demo;

import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentCondition;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.SegmentOperator;
import java.util.List;

/**
 * The standard segments a dispensary loyalty product ships (inactive 90+ days, VIP spenders, first-time buyers,
 * birthday month, the most bought category, with and without email), as segment definitions of this engine:
 * the demo's programs define them, and `bench --segments` measures what they cost.
 */
public final class SampleSegments {
  private SampleSegments() {}

  public static List<SegmentDefinition> standard() {
    return List.of(
        segment("inactive-90", "Inactive 90+ days", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "90")),
        segment("vip-spenders", "VIP spenders ($500+)", test(SegmentOperator.AT_LEAST, SegmentAttribute.SPEND, "500")),
        segment("first-time-buyers", "First-time buyers", test(SegmentOperator.EQUALS, SegmentAttribute.FIRST_TIME_BUYER, "true")),
        segment("birthday-month", "Birthday this month", test(SegmentOperator.EQUALS, SegmentAttribute.BIRTHDAY_MONTH, "true")),
        segment("flower-buyers", "Most commonly bought: flower", test(SegmentOperator.EQUALS, SegmentAttribute.PREFERRED_CATEGORY, "flower")),
        segment("edibles-buyers", "Most commonly bought: edibles", test(SegmentOperator.EQUALS, SegmentAttribute.PREFERRED_CATEGORY, "edible")),
        segment("concentrate-buyers", "Most commonly bought: concentrates",
            test(SegmentOperator.EQUALS, SegmentAttribute.PREFERRED_CATEGORY, "concentrate")),
        segment("with-email", "With email", test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "true")),
        segment("without-email", "Without email", test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "false")),
        segment("dormant-21-with-email", "No purchase in 21 days, with email", SegmentCondition.newBuilder()
            .setOperator(SegmentOperator.ALL).setConditions(List.of(
                test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21"),
                test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "true"))).build()));
  }

  private static SegmentDefinition segment(String id, String name, SegmentCondition condition) {
    return new SegmentDefinition(id, name, condition);
  }

  private static SegmentCondition test(SegmentOperator operator, SegmentAttribute attribute, String value) {
    return SegmentCondition.newBuilder().setOperator(operator).setAttribute(attribute).setValues(List.of(value)).build();
  }
}
