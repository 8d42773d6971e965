package io.loyalty.topology;

import io.loyalty.avro.state.Timer;
import io.loyalty.avro.state.TimerEntry;
import io.loyalty.timers.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A partition's business time: its clock, which ticks move forward and never back, and the timers store that
 * orders every account's timers by due time, so a tick finds what is due without reading any account.
 */
final class PartitionTime {
  static final String CLOCK_KEY = "partition-clock";

  private final StagedStore<Long> clock;
  private final StagedStore<TimerEntry> timers;
  private final Duration staleTolerance;

  PartitionTime(StagedStore<Long> clock, StagedStore<TimerEntry> timers, Duration staleTolerance) {
    this.clock = clock;
    this.timers = timers;
    this.staleTolerance = staleTolerance;
  }

  /**
   * Moves the clock to a tick's time (or keeps it, when later); empty when the tick is further behind than the
   * tolerance: a stale tick changes nothing.
   */
  Optional<Instant> advance(Instant tickAt) {
    Long current = clock.get(CLOCK_KEY);
    if (current != null && current - tickAt.toEpochMilli() > staleTolerance.toMillis()) {
      return Optional.empty();
    }
    Instant now = current != null && current > tickAt.toEpochMilli() ? Instant.ofEpochMilli(current) : tickAt;
    clock.put(CLOCK_KEY, now.toEpochMilli());
    return Optional.of(now);
  }

  /** Why a tick was refused as stale. */
  String staleMessage(Instant tickAt) {
    return "tick at " + tickAt + " is behind the partition's clock " + Instant.ofEpochMilli(clock.get(CLOCK_KEY)) + " by more than "
        + staleTolerance + "; time never goes back, nothing changed";
  }

  /** The first {@code limit} timers due by {@code now}, in due order. */
  List<KeyValue<String, TimerEntry>> dueBy(Instant now, int limit) {
    List<KeyValue<String, TimerEntry>> due = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> range = timers.committedRange(Timers.storeKey(Instant.EPOCH, "", ""),
        Timers.storeKeyBound(now))) {
      while (due.size() < limit && range.hasNext()) {
        KeyValue<String, byte[]> entry = range.next();
        due.add(KeyValue.pair(entry.key, timers.decode(entry.value)));
      }
    }
    return due;
  }

  /** A timer taken out of the store: it fires now, or failed and is dropped. */
  void remove(String storeKey) {
    timers.delete(storeKey);
  }

  /** Makes the store follow the account's timers: new ones added, moved and cancelled ones removed. */
  void follow(Account account) {
    Set<String> after = new HashSet<>();
    for (Timer timer : account.state.getTimers()) {
      String storeKey = Timers.storeKey(timer.getDueAt(), account.key, timer.getTimerId());
      after.add(storeKey);
      if (!account.timersBefore.contains(storeKey)) {
        timers.put(storeKey, new TimerEntry(account.key, timer.getTimerId()));
      }
    }
    for (String storeKey : account.timersBefore) {
      if (!after.contains(storeKey)) {
        timers.delete(storeKey);
      }
    }
    account.timersBefore.clear();
    account.timersBefore.addAll(after);
  }
}
