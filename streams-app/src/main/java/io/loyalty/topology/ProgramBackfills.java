package io.loyalty.topology;

import io.loyalty.avro.state.Backfill;
import io.loyalty.programs.ProgramRules;
import io.loyalty.runtime.EngineMeters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Campaigns on the customers an organization already has. When the program version in force changes who is
 * reached without an input of theirs ({@link ProgramRules#audienceFingerprint}: segments, workflows, time-relative
 * triggers), every existing account of the organization in the partition is evaluated under it as if it had just
 * changed: segments entered and left, workflows started, birthdays and reviews planned. Clock ticks do the work, in
 * account key order, at most a bounded number of accounts per tick (one transaction each, like the tick's timers).
 * The version is the one in force at the tick's business time and the progress is kept in the partition's
 * backfills-store, so when an evaluation starts and how far it has come follow from the partition's inputs alone:
 * a replay evaluates the same accounts at the same ticks, and a crash half-way resumes after the last account
 * committed, exactly once like any input.
 */
final class ProgramBackfills {
  private final StagedStore<Backfill> store;
  private final ProgramStore programs;
  private final Staging staging;
  private final EngineMeters meters;

  /** The accounts of one organization to evaluate on this tick, under the version in force. */
  record Batch(String organizationId, ProgramRules program, List<String> accountKeys) {}

  ProgramBackfills(StagedStore<Backfill> store, ProgramStore programs, Staging staging, EngineMeters meters) {
    this.store = store;
    this.programs = programs;
    this.staging = staging;
    this.meters = meters;
  }

  /** What a change made by the evaluation names as its cause: unique per account, version and tick. */
  static String cause(String accountKey, ProgramRules program, Instant at) {
    return "backfill/" + accountKey + "/v" + program.version() + "/" + at.toEpochMilli();
  }

  /**
   * Starts an evaluation for each organization whose version in force at the tick changed its audience, and
   * returns what this tick evaluates, at most {@code limit} accounts over the organizations in key order. An
   * evaluation started over an unfinished one starts again from the first account: the audience changed again.
   * Reads ranges of the stores: call it with nothing staged, and commit what it staged.
   */
  List<Batch> due(Instant now, int limit) {
    List<Batch> batches = new ArrayList<>();
    int left = limit;
    for (String organizationId : programs.organizations()) {
      Optional<ProgramRules> inForce = programs.inForceAt(organizationId, now);
      if (inForce.isEmpty()) {
        continue;
      }
      ProgramRules program = inForce.get();
      Backfill backfill = store.get(organizationId);
      if (backfill == null) {
        // The first version the partition sees: its accounts are evaluated under it at their own inputs.
        store.put(organizationId, Backfill.newBuilder().setVersion(program.version()).setFingerprint(program.audienceFingerprint())
            .setFinishedAt(now).build());
        continue;
      }
      if (!backfill.getFingerprint().equals(program.audienceFingerprint())) {
        backfill = Backfill.newBuilder().setVersion(program.version()).setFingerprint(program.audienceFingerprint()).setStartedAt(now)
            .setAccounts(staging.accountCount(organizationId)).build();
        meters.backfill(organizationId, "to_evaluate", backfill.getAccounts());
        store.put(organizationId, backfill);
      }
      if (backfill.getFinishedAt() != null || left == 0) {
        continue;
      }
      // One key more than the tick takes tells whether these are the last.
      List<String> keys = staging.accountKeys(organizationId, backfill.getCursor(), left + 1);
      if (keys.size() > left) {
        keys = keys.subList(0, left);
      } else {
        // The last accounts: the evaluation ends with them (at once when there are none).
        store.put(organizationId, Backfill.newBuilder(backfill).setFinishedAt(now).build());
      }
      left -= keys.size();
      if (!keys.isEmpty()) {
        batches.add(new Batch(organizationId, program, keys));
      }
    }
    return batches;
  }

  /** The account was evaluated, or passed over after a failure: the next tick goes on after it. */
  void evaluated(String organizationId, String accountKey) {
    Backfill backfill = store.get(organizationId);
    store.put(organizationId, Backfill.newBuilder(backfill).setCursor(accountKey).setEvaluated(backfill.getEvaluated() + 1).build());
    meters.backfill(organizationId, "evaluated", 1);
  }
}
