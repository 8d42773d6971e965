package io.loyalty.workflows;

import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.state.WorkflowStats;
import io.loyalty.avro.state.WorkflowStepStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What each workflow version and step did, per organization: counted into the records one input reads, then
 * written once each ({@link #flush}), since one run moves many counters.
 */
public final class WorkflowCounts {
  /** Why a run ended. */
  public enum Exit { COMPLETED, GOAL, SEGMENT, AUDIENCE, CONDITION }

  private final Function<String, WorkflowStats> read;
  private final BiConsumer<String, WorkflowStats> write;
  private final Map<String, WorkflowStats> counting = new LinkedHashMap<>();

  public WorkflowCounts(Function<String, WorkflowStats> read, BiConsumer<String, WorkflowStats> write) {
    this.read = read;
    this.write = write;
  }

  public static String key(String organizationId, String workflowId, int version) {
    return organizationId + "/" + workflowId + "/" + version;
  }

  public void entered(String organizationId, WorkflowDefinition workflow) {
    run(organizationId, workflow, stats -> stats.setEntered(stats.getEntered() + 1));
  }

  /** An entrant kept in the control group: recorded, not messaged. */
  public void heldOut(String organizationId, WorkflowDefinition workflow) {
    run(organizationId, workflow, stats -> stats.setHeldOut(stats.getHeldOut() + 1));
  }

  /**
   * A purchase within the conversion window after an entry of the workflow's version, in the entry's group: a
   * visit and its spend, and the entry's conversion when it is its first such purchase.
   */
  public void afterEntry(String organizationId, String workflowId, int version, boolean heldOut, boolean firstPurchase, long spendCents) {
    count(key(organizationId, workflowId, version), stats -> {
      if (heldOut) {
        stats.setHeldOutVisits(stats.getHeldOutVisits() + 1);
        stats.setHeldOutSpendCents(stats.getHeldOutSpendCents() + spendCents);
        stats.setHeldOutConverted(stats.getHeldOutConverted() + (firstPurchase ? 1 : 0));
      } else {
        stats.setEnteredVisits(stats.getEnteredVisits() + 1);
        stats.setEnteredSpendCents(stats.getEnteredSpendCents() + spendCents);
        stats.setEnteredConverted(stats.getEnteredConverted() + (firstPurchase ? 1 : 0));
      }
    });
  }

  public void exited(String organizationId, WorkflowDefinition workflow, Exit exit) {
    run(organizationId, workflow, stats -> {
      switch (exit) {
        case COMPLETED -> stats.setCompleted(stats.getCompleted() + 1);
        case GOAL -> stats.setExitedOnGoal(stats.getExitedOnGoal() + 1);
        case SEGMENT -> stats.setExitedOnSegment(stats.getExitedOnSegment() + 1);
        case AUDIENCE -> stats.setExitedOnAudience(stats.getExitedOnAudience() + 1);
        case CONDITION -> stats.setExitedOnCondition(stats.getExitedOnCondition() + 1);
      }
    });
  }

  public void step(String organizationId, String workflowId, int version, String stepId, Consumer<WorkflowStepStats> change) {
    count(key(organizationId, workflowId, version), counted -> {
      WorkflowStepStats step = counted.getSteps().stream().filter(candidate -> candidate.getStepId().equals(stepId)).findFirst()
          .orElseGet(() -> {
            WorkflowStepStats created = new WorkflowStepStats(stepId, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
            List<WorkflowStepStats> steps = new ArrayList<>(counted.getSteps());
            steps.add(created);
            counted.setSteps(steps);
            return created;
          });
      change.accept(step);
    });
  }

  /** Writes what this input counted. */
  public void flush() {
    counting.forEach(write);
    counting.clear();
  }

  /** Forgets what a failed input may have counted: the next input starts from the stored records. */
  public void forget() {
    counting.clear();
  }

  private void run(String organizationId, WorkflowDefinition workflow, Consumer<WorkflowStats> change) {
    count(key(organizationId, workflow.getId(), workflow.getVersion()), change);
  }

  private void count(String key, Consumer<WorkflowStats> change) {
    WorkflowStats counted = counting.get(key);
    if (counted == null) {
      WorkflowStats current = read.apply(key);
      counted = current == null ? WorkflowStats.newBuilder().setSteps(new ArrayList<>()).build() : current;
      counting.put(key, counted);
    }
    change.accept(counted);
  }
}
