package io.loyalty.workflows;

import io.loyalty.avro.ActivityType;
import io.loyalty.avro.Channel;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowTrigger;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.WorkflowRuns;
import io.loyalty.notifications.ConsentRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What starts a workflow: the triggers one change of an account brings, and whether a workflow's trigger
 * definition matches one. Enrollment, opt-in and tier changes are edges: they are read by comparing the account
 * with what it was at its last change (kept in the customer's runs record).
 */
public final class WorkflowTriggers {
  /** Reference of the birthday timers, followed by the lead in days. */
  public static final String BIRTHDAY_TIMER = "workflow-birthday:";

  private WorkflowTriggers() {}

  /**
   * One trigger: its type, the visit number (VISIT), the activity type (ACTIVITY), and a reference (segment
   * entered, channel confirmed, new tier, or the timer that fired).
   */
  public record Trigger(WorkflowTriggerType type, int visit, ActivityType activity, String ref) {
    public static Trigger of(WorkflowTriggerType type) {
      return new Trigger(type, 0, null, null);
    }

    public static Trigger timer(String ref) {
      return new Trigger(ref.startsWith(BIRTHDAY_TIMER) ? WorkflowTriggerType.BIRTHDAY : null, 0, null, ref);
    }

    public boolean isTimer(String timerRef) {
      return timerRef.equals(ref);
    }
  }

  /** Whether the trigger starts this workflow (a broadcast's trigger names the workflow it is for). */
  public static boolean fires(WorkflowDefinition workflow, Trigger trigger) {
    WorkflowTrigger definition = workflow.getTrigger();
    if (definition.getType() != trigger.type()) {
      return false;
    }
    return switch (definition.getType()) {
      case BROADCAST -> workflow.getId().equals(trigger.ref());
      case VISIT -> definition.getVisits().contains(trigger.visit());
      case ACTIVITY -> definition.getActivity() == trigger.activity();
      case SEGMENT_ENTERED -> definition.getSegmentId().equals(trigger.ref());
      case OPTED_IN -> definition.getChannel() == null || definition.getChannel().name().equals(trigger.ref());
      case TIER_CHANGED -> definition.getTierId() == null || definition.getTierId().equals(trigger.ref());
      case BIRTHDAY -> trigger.ref().equals(BIRTHDAY_TIMER + definition.getBirthdayLeadDays());
      case PURCHASE, ENROLLED, POINTS_EXPIRING -> true;
    };
  }

  /**
   * Adds the edges since the account's last change (became a member, by enrollment or, in an automatic program,
   * at its first event; a channel confirmed; a new tier) and records what the account is now; returns whether
   * that record changed.
   */
  public static boolean edges(AccountState state, boolean member, WorkflowRuns customer, List<Trigger> into) {
    boolean enrolled = member;
    if (enrolled && !customer.getEnrolled()) {
      into.add(Trigger.of(WorkflowTriggerType.ENROLLED));
    }
    List<Channel> confirmed = confirmedChannels(state);
    for (Channel channel : confirmed) {
      if (!customer.getConfirmedChannels().contains(channel)) {
        into.add(new Trigger(WorkflowTriggerType.OPTED_IN, 0, null, channel.name()));
      }
    }
    String tier = state.getTier();
    if (tier != null && customer.getTier() != null && !tier.equals(customer.getTier())) {
      into.add(new Trigger(WorkflowTriggerType.TIER_CHANGED, 0, null, tier));
    }
    if (enrolled == customer.getEnrolled() && confirmed.equals(customer.getConfirmedChannels())
        && Objects.equals(tier, customer.getTier())) {
      return false;
    }
    customer.setEnrolled(enrolled);
    customer.setConfirmedChannels(confirmed);
    customer.setTier(tier);
    return true;
  }

  /**
   * The first record of a customer: a new account starts from nothing (its enrollment is a trigger); an account the
   * engine knew before the program had workflows starts from what it is, so existing members are not "enrolled" again.
   */
  public static WorkflowRuns firstSeen(AccountState state, boolean member) {
    WorkflowRuns customer = new WorkflowRuns(new ArrayList<>(), new ArrayList<>(), false, null, new ArrayList<>());
    boolean isNew = state.getFirstSeenAt().equals(state.getUpdatedAt()) && state.getPosEventsApplied() <= 1;
    if (!isNew) {
      customer.setEnrolled(member);
      customer.setConfirmedChannels(confirmedChannels(state));
    }
    customer.setTier(state.getTier());
    return customer;
  }

  private static List<Channel> confirmedChannels(AccountState state) {
    List<Channel> confirmed = new ArrayList<>();
    for (Channel channel : Channel.values()) {
      if (ConsentRules.consent(state, channel) == ChannelConsent.CONFIRMED) {
        confirmed.add(channel);
      }
    }
    return confirmed;
  }
}
