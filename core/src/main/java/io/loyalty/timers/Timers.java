package io.loyalty.timers;

import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Timer;
import io.loyalty.avro.state.TimerKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An account's scheduled work, kept in its state; the topology mirrors it into a store ordered by due time
 * so that the partition's clock finds due timers with a range scan.
 */
public final class Timers {
  private Timers() {}

  public static String id(TimerKind kind, String ref) {
    return kind.name() + ":" + ref;
  }

  /** Schedules a timer; one already scheduled with the same kind and reference is moved to the new time. */
  public static void schedule(AccountState state, TimerKind kind, String ref, Instant dueAt) {
    String id = id(kind, ref);
    List<Timer> timers = new ArrayList<>(state.getTimers());
    timers.removeIf(timer -> timer.getTimerId().equals(id));
    timers.add(new Timer(id, kind, dueAt, ref));
    timers.sort(Comparator.comparing(Timer::getDueAt).thenComparing(Timer::getTimerId));
    state.setTimers(timers);
  }

  public static void cancel(AccountState state, TimerKind kind, String ref) {
    String id = id(kind, ref);
    List<Timer> timers = new ArrayList<>(state.getTimers());
    if (timers.removeIf(timer -> timer.getTimerId().equals(id))) {
      state.setTimers(timers);
    }
  }

  /** The earliest timer due at or before the time, if any. */
  public static Optional<Timer> nextDue(AccountState state, Instant time) {
    return state.getTimers().stream().filter(timer -> !timer.getDueAt().isAfter(time)).findFirst();
  }

  public static Optional<Timer> find(AccountState state, String timerId) {
    return state.getTimers().stream().filter(timer -> timer.getTimerId().equals(timerId)).findFirst();
  }

  /**
   * The cause id of a timer's firing: the account, the timer and its due time. Ledger entries, reward events
   * and notification requests it causes derive their ids from it, so they are unique across accounts and
   * across the firings of a timer that is scheduled again.
   */
  public static String cause(String accountKey, Timer timer) {
    return "timer/" + accountKey + "/" + timer.getTimerId() + "/" + timer.getDueAt().toEpochMilli();
  }

  /** Whether a change's cause is the firing of one of the account's timers of this kind (see {@link #cause}). */
  public static boolean isFiringOf(String cause, String accountKey, TimerKind kind) {
    return cause.startsWith("timer/" + accountKey + "/" + kind.name() + ":");
  }

  /** The key that orders timers by due time in the timers store. */
  public static String storeKey(Instant dueAt, String accountKey, String timerId) {
    return sortable(dueAt) + "|" + accountKey + "|" + timerId;
  }

  /** Upper bound of the store keys due at or before the time. */
  public static String storeKeyBound(Instant time) {
    return sortable(time) + "|\uffff";
  }

  /**
   * Epoch milliseconds zero-padded to 19 digits, so that string order is time order (from 1970 on). Written out
   * rather than with String.format, which profiling showed on every event.
   */
  public static String sortable(Instant time) {
    String digits = Long.toString(time.toEpochMilli());
    return "0".repeat(19 - digits.length()) + digits;
  }
}
