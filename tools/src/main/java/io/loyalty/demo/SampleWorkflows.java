package io.loyalty.demo;

import io.loyalty.avro.ActivityType;
import io.loyalty.avro.Channel;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentCondition;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowReentry;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowStepType;
import io.loyalty.avro.WorkflowTrigger;
import io.loyalty.avro.WorkflowTriggerType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Campaign workflows of a dispensary, after the reference product's examples, on the standard segments
 * ({@link SampleSegments}): the demo runs the first two (winback, visit deals); `bench --workflows` all five.
 */
public final class SampleWorkflows {
  private SampleWorkflows() {}

  /** The demo's two: a winback of customers away 21 days, and deals told after the first three visits. */
  public static List<WorkflowDefinition> demo() {
    return standard().subList(0, 2);
  }

  public static List<WorkflowDefinition> standard() {
    return List.of(
        workflow("winback", "Winback: no purchase in 21 days", on(WorkflowTriggerType.SEGMENT_ENTERED).setSegmentId("dormant-21-with-email"),
            offer("discount", OfferKind.CATEGORY_DISCOUNT, "10", "flower"),
            send("first-email", Channel.EMAIL, "winback_first"),
            step("wait", WorkflowStepType.DELAY).setDelayMinutes(Duration.ofDays(25).toMinutes()).build(),
            step("still-away", WorkflowStepType.CONDITION).setPurchasedSinceEntry(false).build(),
            send("second-email", Channel.EMAIL, "winback_second"))
            // A fifth of the customers away are held out: the dashboard shows what the winback itself brought back.
            .setExitOnPurchase(true).setReentry(WorkflowReentry.AFTER_DAYS).setReentryDays(90).setHoldoutPercent(20).build(),
        workflow("visit-deals", "Deals after the first three visits", on(WorkflowTriggerType.VISIT).setVisits(List.of(1, 2, 3)),
            step("first", WorkflowStepType.CONDITION).setCondition(visits("1")).setElseStep("second").build(),
            send("after-first", Channel.EMAIL, "next_visit_deal", "deal", "a free pre-roll with a purchase of $25 or more"),
            step("done-first", WorkflowStepType.END).build(),
            step("second", WorkflowStepType.CONDITION).setCondition(visits("2")).setElseStep("after-third").build(),
            send("after-second", Channel.EMAIL, "next_visit_deal", "deal", "$10 off any item"),
            step("done-second", WorkflowStepType.END).build(),
            send("after-third", Channel.EMAIL, "next_visit_deal", "deal", "$5 off flower"))
            .setReentry(WorkflowReentry.EVERY_TIME).build(),
        workflow("abandoned-cart", "Abandoned cart", on(WorkflowTriggerType.ACTIVITY).setActivity(ActivityType.CART_UPDATED),
            step("two-hours", WorkflowStepType.DELAY).setDelayMinutes(120L).build(),
            send("reminder", Channel.EMAIL, "cart_reminder"),
            step("a-day", WorkflowStepType.DELAY).setDelayMinutes(1440L).build(),
            offer("small", OfferKind.CATEGORY_DISCOUNT, "5", "flower"),
            send("small-discount", Channel.EMAIL, "cart_discount"))
            .setAudience(test(SegmentAttribute.CART_OPEN, "true")).setExitOnPurchase(true)
            .setReentry(WorkflowReentry.AFTER_DAYS).setReentryDays(7).build(),
        workflow("birthday", "Birthday", on(WorkflowTriggerType.BIRTHDAY),
            step("at-ten", WorkflowStepType.DELAY).setUntilLocalTime("10:00").build(),
            offer("discount", OfferKind.CATEGORY_DISCOUNT, "15", "edible"),
            send("wish", Channel.EMAIL, "birthday"))
            .setReentry(WorkflowReentry.AFTER_DAYS).setReentryDays(300).build(),
        workflow("new-member", "New member points boost", on(WorkflowTriggerType.ENROLLED),
            step("boost", WorkflowStepType.BOOST_POINTS).setPoints(new BigDecimal("100.0000")).build(),
            step("a-day", WorkflowStepType.DELAY).setDelayMinutes(1440L).build(),
            send("thank-you", Channel.EMAIL, "new_member_thank_you", "points", "100"))
            .build());
  }

  private static WorkflowDefinition.Builder workflow(String id, String name, WorkflowTrigger.Builder trigger, WorkflowStep... steps) {
    return WorkflowDefinition.newBuilder().setId(id).setName(name).setTrigger(trigger.build()).setSteps(List.of(steps));
  }

  private static WorkflowTrigger.Builder on(WorkflowTriggerType type) {
    return WorkflowTrigger.newBuilder().setType(type);
  }

  private static WorkflowStep.Builder step(String id, WorkflowStepType type) {
    return WorkflowStep.newBuilder().setId(id).setType(type);
  }

  private static WorkflowStep send(String id, Channel channel, String template, String... variable) {
    return step(id, WorkflowStepType.SEND_MESSAGE).setChannel(channel).setTemplate(template)
        .setVariables(variable.length == 2 ? Map.of(variable[0], variable[1]) : Map.of()).build();
  }

  private static WorkflowStep offer(String id, OfferKind kind, String percent, String category) {
    return step(id, WorkflowStepType.ISSUE_OFFER).setOfferKind(kind).setOfferValue(new BigDecimal(percent).setScale(4))
        .setOfferCategory(category).build();
  }

  private static SegmentCondition visits(String count) {
    return test(SegmentAttribute.VISITS, count);
  }

  private static SegmentCondition test(SegmentAttribute attribute, String value) {
    return SegmentCondition.newBuilder().setOperator(SegmentOperator.EQUALS).setAttribute(attribute).setValues(List.of(value)).build();
  }
}
