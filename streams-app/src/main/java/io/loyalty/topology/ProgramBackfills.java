package io.loyalty.topology;

import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.avro.state.Backfill;
import io.loyalty.programs.ProgramRules;
import io.loyalty.runtime.EngineMeters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Campaigns on the customers an organization already has: what a program version asks of every existing account,
 * done by the clock's ticks in account key order, at most a bounded number of accounts per tick (one transaction
 * each, like the tick's timers).
 * <ul>
 *   <li>An audience evaluation: when the version in force changes who is reached without an input of theirs
 *       ({@link ProgramRules#audienceFingerprint}: segments, workflows, time-relative triggers), every account is
 *       evaluated under it as if it had just changed: segments entered and left, workflows started, birthdays and
 *       reviews planned.</li>
 *   <li>A broadcast: a workflow triggered BROADCAST, once its time has come, enters every member of its segment.</li>
 * </ul>
 * The version is the one in force at the tick's business time and the progress is kept in the partition's
 * backfills-store (per organization, and per organization and broadcast), so when a sweep starts and how far it has
 * come follow from the partition's inputs alone: a replay sweeps the same accounts at the same ticks, and a crash
 * half-way resumes after the last account committed, exactly once like any input.
 */
final class ProgramBackfills {
  private final StagedStore<Backfill> store;
  private final ProgramStore programs;
  private final Staging staging;
  private final EngineMeters meters;

  /**
   * The accounts of one organization to sweep on this tick, under the version in force.
   *
   * @param progressKey where the sweep's progress is kept
   * @param broadcast the broadcast workflow the accounts are for; null for an audience evaluation
   */
  record Batch(String organizationId, String progressKey, ProgramRules program, WorkflowDefinition broadcast, List<String> accountKeys) {}

  ProgramBackfills(StagedStore<Backfill> store, ProgramStore programs, Staging staging, EngineMeters meters) {
    this.store = store;
    this.programs = programs;
    this.staging = staging;
    this.meters = meters;
  }

  /** What a change made by an audience evaluation names as its cause: unique per account, version and tick. */
  static String cause(String accountKey, ProgramRules program, Instant at) {
    return "backfill/" + accountKey + "/v" + program.version() + "/" + at.toEpochMilli();
  }

  /**
   * Starts the sweeps the program in force at the tick calls for (an audience evaluation when its audience changed,
   * broadcasts whose time has come) and returns what this tick sweeps, at most {@code limit} accounts over the
   * organizations in key order. An evaluation started over an unfinished one starts again from the first account:
   * the audience changed again. Reads ranges of the stores: call it with nothing staged, and commit what it staged.
   */
  List<Batch> due(Instant now, int limit) {
    List<Batch> batches = new ArrayList<>();
    int[] left = {limit};
    for (String organizationId : programs.organizations()) {
      Optional<ProgramRules> inForce = programs.inForceAt(organizationId, now);
      if (inForce.isEmpty()) {
        continue;
      }
      ProgramRules program = inForce.get();
      Backfill evaluation = store.get(organizationId);
      if (evaluation == null) {
        // The first version the partition sees: its accounts are evaluated under it at their own inputs.
        store.put(organizationId, Backfill.newBuilder().setVersion(program.version()).setFingerprint(program.audienceFingerprint())
            .setFinishedAt(now).build());
      } else {
        if (!evaluation.getFingerprint().equals(program.audienceFingerprint())) {
          store.put(organizationId, start(organizationId, program, program.audienceFingerprint(), now));
        }
        next(organizationId, organizationId, program, null, now, left).ifPresent(batches::add);
      }
      for (WorkflowDefinition workflow : program.config().getWorkflows()) {
        if (workflow.getTrigger().getType() == WorkflowTriggerType.BROADCAST && !workflow.getTrigger().getAt().isAfter(now)) {
          String progressKey = organizationId + "/broadcast/" + workflow.getId() + "/" + workflow.getVersion();
          if (store.get(progressKey) == null) {
            store.put(progressKey, start(organizationId, program, workflow.getId() + "/" + workflow.getVersion(), now));
          }
          next(organizationId, progressKey, program, workflow, now, left).ifPresent(batches::add);
        }
      }
    }
    return batches;
  }

  private Backfill start(String organizationId, ProgramRules program, String fingerprint, Instant now) {
    Backfill started = Backfill.newBuilder().setVersion(program.version()).setFingerprint(fingerprint).setStartedAt(now)
        .setAccounts(staging.accountCount(organizationId)).build();
    meters.backfill(organizationId, "to_evaluate", started.getAccounts());
    return started;
  }

  /** The next accounts of a sweep under way, within what is left of the tick's accounts. */
  private Optional<Batch> next(String organizationId, String progressKey, ProgramRules program, WorkflowDefinition broadcast, Instant now,
      int[] left) {
    Backfill sweep = store.get(progressKey);
    if (sweep.getFinishedAt() != null || left[0] == 0) {
      return Optional.empty();
    }
    // One key more than the tick takes tells whether these are the last.
    List<String> keys = staging.accountKeys(organizationId, sweep.getCursor(), left[0] + 1);
    if (keys.size() > left[0]) {
      keys = keys.subList(0, left[0]);
    } else {
      // The last accounts: the sweep ends with them (at once when there are none).
      store.put(progressKey, Backfill.newBuilder(sweep).setFinishedAt(now).build());
    }
    left[0] -= keys.size();
    return keys.isEmpty() ? Optional.empty() : Optional.of(new Batch(organizationId, progressKey, program, broadcast, keys));
  }

  /** The account was swept (evaluated, entered, passed by as no member, or passed over after a failure). */
  void swept(Batch batch, String accountKey) {
    Backfill sweep = store.get(batch.progressKey());
    store.put(batch.progressKey(), Backfill.newBuilder(sweep).setCursor(accountKey).setEvaluated(sweep.getEvaluated() + 1).build());
    meters.backfill(batch.organizationId(), "evaluated", 1);
  }
}
