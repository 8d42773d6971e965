package io.loyalty.workflows;

import io.loyalty.holdouts.ControlGroup;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.state.WorkflowHistory;
import io.loyalty.avro.state.WorkflowRun;
import io.loyalty.avro.state.WorkflowRuns;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The rules of workflow runs that need no store: who may enter again, when a delay ends, where a condition
 * leads, when a birthday trigger fires, and the ids that make every action idempotent.
 */
public final class WorkflowRules {
  private static final String ACTION = "/workflow/";

  private WorkflowRules() {}

  /** Index of a step by id; -1 when the workflow has none. */
  public static int indexOf(List<WorkflowStep> steps, String stepId) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).getId().equals(stepId)) {
        return i;
      }
    }
    return -1;
  }

  public static Optional<WorkflowRun> run(WorkflowRuns runs, String workflowId) {
    return runs.getRuns().stream().filter(run -> run.getWorkflowId().equals(workflowId)).findFirst();
  }

  public static Optional<WorkflowHistory> history(WorkflowRuns runs, String workflowId) {
    return runs.getHistory().stream().filter(line -> line.getWorkflowId().equals(workflowId)).findFirst();
  }

  /** Whether the customer may start a run now: never during one, then as the re-entry policy says. */
  public static boolean mayEnter(WorkflowDefinition workflow, WorkflowRuns runs, Instant now) {
    if (run(runs, workflow.getId()).isPresent()) {
      return false;
    }
    Optional<WorkflowHistory> before = history(runs, workflow.getId());
    if (before.isEmpty()) {
      return true;
    }
    return switch (workflow.getReentry()) {
      case ONCE -> false;
      case EVERY_TIME -> true;
      case AFTER_DAYS -> !now.isBefore(before.get().getLastEnteredAt().plus(Duration.ofDays(workflow.getReentryDays())));
    };
  }

  /** When a DELAY reached at {@code from} ends: its minutes, then the next time the local clock shows untilLocalTime. */
  public static Instant delayEnd(WorkflowStep step, Instant from, ZoneId zone) {
    Instant end = step.getDelayMinutes() == null ? from : from.plus(Duration.ofMinutes(step.getDelayMinutes()));
    if (step.getUntilLocalTime() == null) {
      return end;
    }
    LocalTime time = LocalTime.parse(step.getUntilLocalTime());
    ZonedDateTime local = end.atZone(zone);
    ZonedDateTime candidate = local.toLocalDate().atTime(time).atZone(zone);
    return candidate.isBefore(local) ? local.toLocalDate().plusDays(1).atTime(time).atZone(zone).toInstant() : candidate.toInstant();
  }

  /**
   * The next start of the local day {@code leadDays} before a birthday, after {@code now}. A birthday on 29
   * February is kept on the 28th in other years.
   */
  public static Instant nextBirthdayTrigger(LocalDate birthDate, int leadDays, Instant now, ZoneId zone) {
    int year = now.atZone(zone).getYear();
    for (int candidateYear = year; ; candidateYear++) {
      Instant at = birthDate.withYear(candidateYear).minusDays(leadDays).atStartOfDay(zone).toInstant();
      if (at.isAfter(now)) {
        return at;
      }
    }
  }

  /**
   * The id of one action of one run: the account, the workflow and its version, the customer's entry and the
   * step. A retry or a replay makes the same id, so senders and the offer book see it once.
   */
  /**
   * What a broadcast's entry of one account names as its cause: the clock tick's sweep of the organization's accounts
   * (see the engine's ProgramBackfills) evaluates each member of the segment with it.
   */
  public static String broadcastCause(String accountKey, WorkflowDefinition workflow, Instant at) {
    return BROADCAST + accountKey + "/" + workflow.getId() + "/" + workflow.getVersion() + "/" + at.toEpochMilli();
  }

  /** The workflow a change's cause enters the account into as a broadcast, if it is one. */
  public static Optional<String> broadcastOf(String cause, String accountKey) {
    String prefix = BROADCAST + accountKey + "/";
    if (!cause.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = cause.substring(prefix.length());
    return Optional.of(rest.substring(0, rest.indexOf('/')));
  }

  private static final String BROADCAST = "broadcast/";

  /** A workflow (or broadcast) that keeps a control group, as a campaign in the KPIs: its versions together. */
  public static String campaign(String workflowId) {
    return "workflow/" + workflowId;
  }

  /** Whether the customer's entry is kept in the workflow's control group: chosen per workflow version. */
  public static boolean heldOut(String accountKey, WorkflowDefinition workflow) {
    return ControlGroup.contains(accountKey, workflow.getId() + "/" + workflow.getVersion(), workflow.getHoldoutPercent());
  }

  public static String actionId(String accountKey, String workflowId, int version, int entry, String stepId) {
    return accountKey + ACTION + workflowId + "/" + version + "/" + entry + "/" + stepId;
  }

  /** The workflow message a request id (an action id and a channel) names, as the activity topic reports it. */
  public record MessageRef(String workflowId, int version, String stepId) {}

  public static Optional<MessageRef> messageOf(String requestId) {
    if (requestId == null) {
      return Optional.empty();
    }
    int at = requestId.indexOf(ACTION);
    if (at < 0) {
      return Optional.empty();
    }
    String[] parts = requestId.substring(at + ACTION.length()).split("/");
    if (parts.length < 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(new MessageRef(parts[0], Integer.parseInt(parts[1]), parts[3]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
