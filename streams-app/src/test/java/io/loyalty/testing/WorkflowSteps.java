package io.loyalty.testing;

import io.loyalty.avro.Channel;
import io.loyalty.avro.OfferKind;
import io.loyalty.avro.SegmentCondition;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowStepType;
import io.loyalty.avro.WorkflowTrigger;
import io.loyalty.avro.WorkflowTriggerType;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workflow definitions in a line per step, for tests. */
public final class WorkflowSteps {
  private WorkflowSteps() {}

  public static WorkflowDefinition.Builder workflow(String id, WorkflowTrigger trigger, WorkflowStep... steps) {
    return WorkflowDefinition.newBuilder().setId(id).setName(id).setTrigger(trigger).setSteps(List.of(steps));
  }

  public static WorkflowTrigger.Builder on(WorkflowTriggerType type) {
    return WorkflowTrigger.newBuilder().setType(type);
  }

  public static WorkflowTrigger onSegment(String segmentId) {
    return on(WorkflowTriggerType.SEGMENT_ENTERED).setSegmentId(segmentId).build();
  }

  private static WorkflowStep.Builder step(String id, WorkflowStepType type) {
    return WorkflowStep.newBuilder().setId(id).setType(type);
  }

  public static WorkflowStep delay(String id, long minutes) {
    return step(id, WorkflowStepType.DELAY).setDelayMinutes(minutes).build();
  }

  public static WorkflowStep until(String id, String localTime) {
    return step(id, WorkflowStepType.DELAY).setUntilLocalTime(localTime).build();
  }

  public static WorkflowStep condition(String id, SegmentCondition condition, String elseStep) {
    return step(id, WorkflowStepType.CONDITION).setCondition(condition).setElseStep(elseStep).build();
  }

  public static WorkflowStep purchasedSinceEntry(String id, boolean purchased, String elseStep) {
    return step(id, WorkflowStepType.CONDITION).setPurchasedSinceEntry(purchased).setElseStep(elseStep).build();
  }

  public static WorkflowStep boost(String id, String points) {
    return step(id, WorkflowStepType.BOOST_POINTS).setPoints(new BigDecimal(points).setScale(4)).build();
  }

  /** @param variables name, value, name, value... */
  public static WorkflowStep send(String id, Channel channel, String template, String... variables) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < variables.length; i += 2) {
      map.put(variables[i], variables[i + 1]);
    }
    return step(id, WorkflowStepType.SEND_MESSAGE).setChannel(channel).setTemplate(template).setVariables(map).build();
  }

  public static WorkflowStep categoryDiscount(String id, String percent, String category) {
    return step(id, WorkflowStepType.ISSUE_OFFER).setOfferKind(OfferKind.CATEGORY_DISCOUNT)
        .setOfferValue(new BigDecimal(percent).setScale(4)).setOfferCategory(category).build();
  }

  public static WorkflowStep bonusOffer(String id, String points) {
    return step(id, WorkflowStepType.ISSUE_OFFER).setOfferKind(OfferKind.BONUS_POINTS)
        .setOfferValue(new BigDecimal(points).setScale(4)).build();
  }

  public static WorkflowStep tag(String id, String tag) {
    return step(id, WorkflowStepType.ADD_TAG).setValue(tag).build();
  }

  public static WorkflowStep end(String id) {
    return step(id, WorkflowStepType.END).build();
  }
}
