package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.EventContext;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TimerEntry;
import io.loyalty.intake.Violation;
import io.loyalty.avro.state.SegmentMemberships;
import io.loyalty.programs.ProgramRules;
import io.loyalty.workflows.WorkflowRules;
import io.loyalty.timers.Timers;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;

/** A clock tick: the partition's time moves on and the timers due by then fire. */
final class ClockTickInput extends AccountPath {
  /** What a failure tells the user (the processor's judgement, as for any input). */
  private final java.util.function.BiFunction<RuntimeException, String, Violation> failed;

  private final ProgramBackfills backfills;

  ClockTickInput(Task task, java.util.function.BiFunction<RuntimeException, String, Violation> failed) {
    super(task);
    this.failed = failed;
    this.backfills = new ProgramBackfills(staging.backfills, programs, staging, settings.meters());
  }

  /**
   * A tick moves the partition's clock forward (never back) and fires every timer due by then, in due order,
   * including those that firing schedules within that time (one tick may pass two year ends); then it goes on
   * sweeping existing accounts as the program asks: audience evaluations and broadcasts (ProgramBackfills).
   */
  void apply(Record<String, Object> record, Decoded<?> input, ClockTick tick) {
    Optional<Instant> advanced = time.advance(tick.getAt());
    if (advanced.isEmpty()) {
      reject(record, input, RejectionReason.STALE_TICK, time.staleMessage(tick.getAt()));
      staging.commit();
      return;
    }
    Instant now = advanced.get();
    staging.commit();
    // At most maxTimersPerTick firings per tick: one input is one transaction, and a tick after a long stop of
    // the clock may find a partition's every account due. The rest fire on the next ticks, in due order.
    int left = settings.maxTimersPerTick();
    List<KeyValue<String, TimerEntry>> due;
    while (left > 0 && !(due = time.dueBy(now, left)).isEmpty()) {
      left -= due.size();
      for (KeyValue<String, TimerEntry> entry : due) {
        // Each account's firing is its own unit: one that fails is dropped with a rejection naming it, and
        // the clock goes on for every other account.
        staging.unit(entry.key);
        try {
          Optional<String> refused = staging.refusedWrites.poisoned(entry.key);
          if (refused.isPresent()) {
            dropTimer(record, input, entry, new Violation(RejectionReason.PRODUCTION_ERROR, refused.get()));
          } else {
            fireDue(entry, record.timestamp());
            staging.commit();
          }
        } catch (RuntimeException failure) {
          staging.discard();
          dropTimer(record, input, entry, failed.apply(failure, "firing timer " + entry.value.getTimerId() + " of " + entry.value.getAccountKey()));
        } finally {
          staging.unit("");
        }
      }
    }
    backfill(record, input, now);
  }

  /** Each account is its own unit, as a timer is: one that fails is passed over with a rejection naming it. */
  private void backfill(Record<String, Object> record, Decoded<?> input, Instant now) {
    List<ProgramBackfills.Batch> batches = backfills.due(now, settings.maxBackfillPerTick());
    staging.commit();
    for (ProgramBackfills.Batch batch : batches) {
      for (String accountKey : batch.accountKeys()) {
        staging.unit(accountKey);
        try {
          Optional<String> refused = staging.refusedWrites.poisoned(accountKey);
          if (refused.isPresent()) {
            passOver(record, input, batch, accountKey, new Violation(RejectionReason.PRODUCTION_ERROR, refused.get()));
          } else {
            if (batch.broadcast() == null) {
              evaluate(accountKey, batch.program(), ProgramBackfills.cause(accountKey, batch.program(), now), now, record.timestamp());
            } else if (inSegment(accountKey, batch.broadcast().getTrigger().getSegmentId())) {
              evaluate(accountKey, batch.program(), WorkflowRules.broadcastCause(accountKey, batch.broadcast(), now), now, record.timestamp());
            }
            backfills.swept(batch, accountKey);
            staging.commit();
          }
        } catch (RuntimeException failure) {
          staging.discard();
          passOver(record, input, batch, accountKey, failed.apply(failure, "evaluating " + accountKey + " under program version "
              + batch.program().version()));
        } finally {
          staging.unit("");
        }
      }
    }
  }

  private void passOver(Record<String, Object> record, Decoded<?> input, ProgramBackfills.Batch batch, String accountKey,
      Violation violation) {
    backfills.swept(batch, accountKey);
    reject(record, input, violation.reason(), violation.message() + "; the account was passed over");
    staging.commit();
  }

  /** Whether the account is in the segment as its last change left it (a broadcast goes to the members at its time). */
  private boolean inSegment(String accountKey, String segmentId) {
    SegmentMemberships memberships = staging.segments.get(accountKey);
    return memberships != null && memberships.getMemberships().stream().anyMatch(membership -> membership.getSegmentId().equals(segmentId));
  }

  /**
   * An existing account evaluated under its organization's program as if it had just changed, at the tick's time,
   * with this cause (an audience evaluation, a broadcast): its own timers due by then first, as before any input.
   * An account the evaluation leaves as it was (most of them, when a new segment is for a few) writes nothing:
   * neither its record nor the same profile again.
   */
  private void evaluate(String accountKey, ProgramRules program, String cause, Instant now, long timestamp) {
    probe.reached(StepProbe.Step.LOAD);
    AccountState state = staging.accounts.get(accountKey);
    if (state == null || state.getMergedInto() != null) {
      return;
    }
    Staging.Snapshot before = staging.snapshot(accountKey);
    Account account = account(accountKey, state);
    fireOwnTimers(account, now);
    AccountBook book = new AccountBook(state, account.lots, new EventContext(cause, now, null, program.version(), "system"));
    book.touch();
    publish(book, account, program, timestamp);
    save(account);
    if (staging.changesNothing(accountKey, before, outputs.profiles().topic())) {
      staging.discard();
    }
  }

  private void dropTimer(Record<String, Object> record, Decoded<?> input, KeyValue<String, TimerEntry> entry, Violation violation) {
    time.remove(entry.key);
    reject(record, input, violation.reason(), violation.message() + "; the timer was dropped");
    staging.commit();
  }

  private void fireDue(KeyValue<String, TimerEntry> entry, long timestamp) {
    time.remove(entry.key);
    if (PurchaseRecords.isRemoval(entry.value)) {
      purchases.remove(entry.value, timestamp);
      return;
    }
    probe.reached(StepProbe.Step.LOAD);
    AccountState state = staging.accounts.get(entry.value.getAccountKey());
    if (state == null) {
      return;
    }
    Account account = account(entry.value.getAccountKey(), state);
    Timers.find(state, entry.value.getTimerId()).ifPresent(timer -> fire(account, timer, timestamp));
    save(account);
  }
}
