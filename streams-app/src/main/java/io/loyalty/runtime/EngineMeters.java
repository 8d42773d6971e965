package io.loyalty.runtime;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.SegmentChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The engine's business counters for Prometheus ({@code loyalty_*}): inputs by type and outcome, and what the
 * engine produced, by the fields an operator slices by. They count what this process produced, including the
 * records of a transaction that aborted and was processed again after a crash: for exact figures read the
 * topics (the ledger, the KPIs). Points are a Prometheus double here, for watching rates, never for accounting.
 */
public final class EngineMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public EngineMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counters kept in memory only: tests and tools read them, nothing exports them. */
  public static EngineMeters inMemory() {
    return new EngineMeters(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** An input the account path finished: applied (ledger entries, a no-op, a result) or rejected. */
  public void input(SpecificRecord input, boolean rejected) {
    count("loyalty.inputs", "inputs the account path finished, by type", 1, "type", typeOf(input),
        "outcome", rejected ? "rejected" : "applied");
  }

  private static String typeOf(SpecificRecord input) {
    if (input instanceof TransactionEvent event) {
      return event.getType().name();
    } else if (input instanceof ActivityEvent activity) {
      return "ACTIVITY_" + activity.getType().name();
    } else if (input instanceof LoyaltyCommand command) {
      return command.getCommand().getClass().getSimpleName();
    }
    return input.getSchema().getName();
  }

  /** A customer entered a workflow (ENTERED) or left it, by how (COMPLETED, GOAL, CONDITION, SEGMENT, AUDIENCE). */
  public void workflowRun(String workflowId, String event) {
    count("loyalty.workflow.runs", "workflow runs entered and ended, by workflow and how they ended", 1, "workflow", workflowId,
        "event", event);
  }

  /** A POS event without a customer: no account to credit, counted in the KPIs' sales. */
  public void anonymousSale() {
    count("loyalty.anonymous.sales", "POS events without a customer (no account credited; counted in the KPIs' sales)", 1);
  }

  /**
   * An organization's accounts to evaluate under a program version that changed its audience ({@code to_evaluate},
   * counted when the evaluation starts) and those evaluated since ({@code evaluated}): their ratio is its progress.
   */
  public void backfill(String organizationId, String event, long accounts) {
    count("loyalty.backfill.accounts", "existing accounts evaluated under a program version that changed its audience, by organization",
        accounts, "organization", organizationId, "event", event);
  }

  public void timerFired(String kind) {
    count("loyalty.timers.fired", "timers fired (expiry, warnings, digests, holds, workflow delays)", 1, "kind", kind);
  }

  /** A record the engine produced to one of its output topics. */
  public void produced(SpecificRecord record) {
    if (record instanceof LedgerEntry entry) {
      String type = entry.getType().name();
      count("loyalty.ledger.entries", "ledger entries by type", 1, "type", type);
      count("loyalty.ledger.points", "points moved by ledger entries, by type (absolute value)", entry.getDelta().abs().doubleValue(),
          "type", type);
    } else if (record instanceof Rejection rejection) {
      count("loyalty.rejections", "inputs rejected, by reason", 1, "reason", rejection.getReasonCode().name());
    } else if (record instanceof NotificationRequest notification) {
      count("loyalty.notifications", "notification requests by template and channel", 1,
          "template", notification.getTemplate(), "channel", notification.getChannel().name());
    } else if (record instanceof OfferEvent offer) {
      count("loyalty.offer.events", "offer events by status and trigger", 1,
          "status", offer.getStatus().name(), "trigger", offer.getTrigger().name());
    } else if (record instanceof RewardEvent reward) {
      count("loyalty.reward.events", "reward and tier events by type", 1, "type", reward.getType().name());
    } else if (record instanceof CommandResult result) {
      count("loyalty.command.results", "command results by status", 1, "status", result.getStatus().name());
    } else if (record instanceof SegmentChange change) {
      count("loyalty.segment.changes", "segment entries and exits", 1, "change", change.getChange().name());
    } else if (record instanceof ProgramKpis) {
      count("loyalty.kpi.snapshots", "KPI rows published", 1);
    }
  }

  private void count(String name, String description, double amount, String... tags) {
    String key = name + String.join("\u0000", tags);
    Counter counter = counters.get(key);
    if (counter == null) {
      counter = counters.computeIfAbsent(key, ignored -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
    counter.increment(amount);
  }
}
