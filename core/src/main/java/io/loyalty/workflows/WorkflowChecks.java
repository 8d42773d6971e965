package io.loyalty.workflows;

import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowTrigger;
import io.loyalty.segments.SegmentChecks;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The limits a program's workflows keep: a customer's runs are read and written on every change of the account,
 * so their number and length are bounded, and every reference (segment, step, activity) must resolve before a
 * version is put in force.
 */
public final class WorkflowChecks {
  public static final int MAX_WORKFLOWS = 20;
  public static final int MAX_STEPS = 20;
  static final long MAX_DELAY_MINUTES = 525_600;
  private static final BigDecimal MAX_BOOST = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private WorkflowChecks() {}

  /** What is wrong with the workflows, naming the workflow and step; empty when they keep every limit. */
  public static Optional<String> problem(List<WorkflowDefinition> workflows, List<SegmentDefinition> segments) {
    if (workflows.size() > MAX_WORKFLOWS) {
      return Optional.of(workflows.size() + " workflows; at most " + MAX_WORKFLOWS);
    }
    Optional<String> badId = ids("workflow", workflows.stream().map(WorkflowDefinition::getId).toList());
    if (badId.isPresent()) {
      return badId;
    }
    for (WorkflowDefinition workflow : workflows) {
      Optional<String> problem = workflow(workflow, segments);
      if (problem.isPresent()) {
        return Optional.of("workflow " + workflow.getId() + ": " + problem.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> workflow(WorkflowDefinition workflow, List<SegmentDefinition> segments) {
    if (workflow.getVersion() < 1) {
      return Optional.of("version " + workflow.getVersion() + " must be 1 or more");
    }
    Optional<String> trigger = trigger(workflow.getTrigger(), segments);
    if (trigger.isPresent()) {
      return trigger;
    }
    if (workflow.getAudience() != null) {
      Optional<String> audience = SegmentChecks.problem(workflow.getAudience());
      if (audience.isPresent()) {
        return Optional.of("audience: " + audience.get());
      }
    }
    if (workflow.getExitOnSegmentExit() && workflow.getTrigger().getSegmentId() == null) {
      return Optional.of("exitOnSegmentExit needs a SEGMENT_ENTERED trigger");
    }
    switch (workflow.getReentry()) {
      case AFTER_DAYS -> {
        if (workflow.getReentryDays() < 1 || workflow.getReentryDays() > 3650) {
          return Optional.of("reentryDays " + workflow.getReentryDays() + " must be between 1 and 3650");
        }
      }
      case ONCE, EVERY_TIME -> { }
    }
    if (workflow.getConversionWindowDays() < 1 || workflow.getConversionWindowDays() > 90) {
      return Optional.of("conversionWindowDays " + workflow.getConversionWindowDays() + " must be between 1 and 90");
    }
    if (workflow.getHoldoutPercent() < 0 || workflow.getHoldoutPercent() > 50) {
      return Optional.of("holdoutPercent " + workflow.getHoldoutPercent() + " must be between 0 and 50");
    }
    List<WorkflowStep> steps = workflow.getSteps();
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      return Optional.of(steps.size() + " steps; 1 to " + MAX_STEPS);
    }
    Optional<String> badStepId = ids("step", steps.stream().map(WorkflowStep::getId).toList());
    if (badStepId.isPresent()) {
      return badStepId;
    }
    for (int i = 0; i < steps.size(); i++) {
      Optional<String> problem = step(steps.get(i), steps, i);
      if (problem.isPresent()) {
        return Optional.of("step " + steps.get(i).getId() + ": " + problem.get());
      }
    }
    return Optional.empty();
  }

  /** Ids that events and statistics carry: short, readable, unique. */
  private static Optional<String> ids(String kind, List<String> ids) {
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (!SegmentChecks.ID.matcher(id).matches()) {
        return Optional.of(kind + " id '" + id + "' is not 1 to 40 lowercase letters, digits, - or _");
      }
      if (!seen.add(id)) {
        return Optional.of(kind + " id '" + id + "' is used twice");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> trigger(WorkflowTrigger trigger, List<SegmentDefinition> segments) {
    return switch (trigger.getType()) {
      case SEGMENT_ENTERED -> trigger.getSegmentId() == null
          || segments.stream().noneMatch(segment -> segment.getId().equals(trigger.getSegmentId()))
          ? Optional.of("trigger SEGMENT_ENTERED names no segment the program defines ('" + trigger.getSegmentId() + "')")
          : Optional.empty();
      case VISIT -> trigger.getVisits().isEmpty() || trigger.getVisits().stream().anyMatch(visit -> visit < 1 || visit > 10_000)
          ? Optional.of("trigger VISIT needs visit numbers from 1 to 10000") : Optional.empty();
      case ACTIVITY -> trigger.getActivity() == null ? Optional.of("trigger ACTIVITY needs an activity type") : Optional.empty();
      case BIRTHDAY -> trigger.getBirthdayLeadDays() < 0 || trigger.getBirthdayLeadDays() > 30
          ? Optional.of("birthdayLeadDays " + trigger.getBirthdayLeadDays() + " must be between 0 and 30") : Optional.empty();
      case BROADCAST -> trigger.getAt() == null || trigger.getSegmentId() == null
          || segments.stream().noneMatch(segment -> segment.getId().equals(trigger.getSegmentId()))
          ? Optional.of("trigger BROADCAST needs a time (at) and a segment the program defines ('" + trigger.getSegmentId() + "')")
          : Optional.empty();
      case PURCHASE, ENROLLED, OPTED_IN, TIER_CHANGED, POINTS_EXPIRING -> Optional.empty();
    };
  }

  private static Optional<String> step(WorkflowStep step, List<WorkflowStep> steps, int index) {
    return switch (step.getType()) {
      case DELAY -> delay(step);
      case CONDITION -> {
        if (step.getCondition() == null && step.getPurchasedSinceEntry() == null) {
          yield Optional.of("CONDITION needs a condition or purchasedSinceEntry");
        }
        if (step.getCondition() != null) {
          Optional<String> problem = SegmentChecks.problem(step.getCondition());
          if (problem.isPresent()) {
            yield problem;
          }
        }
        // Only forward: every run ends after at most one pass over the steps.
        if (step.getElseStep() != null && WorkflowRules.indexOf(steps, step.getElseStep()) <= index) {
          yield Optional.of("elseStep '" + step.getElseStep() + "' is not a later step");
        }
        yield Optional.empty();
      }
      case BOOST_POINTS -> step.getPoints() == null || step.getPoints().signum() <= 0 || step.getPoints().compareTo(MAX_BOOST) > 0
          ? Optional.of("BOOST_POINTS needs points above 0 and at most " + MAX_BOOST) : Optional.empty();
      case SEND_MESSAGE -> step.getChannel() == null && step.getChannels().isEmpty() || step.getTemplate() == null
          || step.getTemplate().isBlank() || step.getChannels().size() != Set.copyOf(step.getChannels()).size()
          ? Optional.of("SEND_MESSAGE needs a channel (or channels in order, each once) and a template") : Optional.empty();
      case ISSUE_OFFER -> offer(step);
      case SET_GROUP, ADD_TAG, REMOVE_TAG -> step.getValue() == null || step.getValue().isBlank() || step.getValue().length() > 64
          ? Optional.of(step.getType() + " needs a value of 1 to 64 characters") : Optional.empty();
      case END -> Optional.empty();
    };
  }

  private static Optional<String> delay(WorkflowStep step) {
    if (step.getDelayMinutes() == null && step.getUntilLocalTime() == null) {
      return Optional.of("DELAY needs delayMinutes or untilLocalTime");
    }
    if (step.getDelayMinutes() != null && (step.getDelayMinutes() < 0 || step.getDelayMinutes() > MAX_DELAY_MINUTES)) {
      return Optional.of("delayMinutes " + step.getDelayMinutes() + " must be between 0 and " + MAX_DELAY_MINUTES);
    }
    if (step.getUntilLocalTime() != null) {
      try {
        LocalTime.parse(step.getUntilLocalTime());
      } catch (DateTimeParseException e) {
        return Optional.of("untilLocalTime '" + step.getUntilLocalTime() + "' is not HH:mm");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> offer(WorkflowStep step) {
    if (step.getOfferKind() == null || step.getOfferValue() == null || step.getOfferValue().signum() <= 0) {
      return Optional.of("ISSUE_OFFER needs an offerKind and an offerValue above 0");
    }
    if (step.getOfferValidDays() < 1 || step.getOfferValidDays() > 365) {
      return Optional.of("offerValidDays " + step.getOfferValidDays() + " must be between 1 and 365");
    }
    return switch (step.getOfferKind()) {
      case PRODUCT_DISCOUNT -> step.getOfferSku() == null || step.getOfferValue().compareTo(HUNDRED) > 0
          ? Optional.of("PRODUCT_DISCOUNT needs an offerSku and a percent of at most 100") : Optional.empty();
      case CATEGORY_DISCOUNT -> step.getOfferCategory() == null || step.getOfferValue().compareTo(HUNDRED) > 0
          ? Optional.of("CATEGORY_DISCOUNT needs an offerCategory and a percent of at most 100") : Optional.empty();
      case BONUS_POINTS -> step.getOfferValue().compareTo(MAX_BOOST) > 0
          ? Optional.of("BONUS_POINTS of at most " + MAX_BOOST) : Optional.empty();
      case POINTS_MULTIPLIER -> step.getOfferValue().compareTo(BigDecimal.ONE) <= 0 || step.getOfferValue().compareTo(BigDecimal.TEN) > 0
          ? Optional.of("POINTS_MULTIPLIER factor above 1 and at most 10") : Optional.empty();
    };
  }
}
