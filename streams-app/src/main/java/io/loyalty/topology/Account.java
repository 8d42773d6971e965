package io.loyalty.topology;

import io.loyalty.avro.state.AccountState;
import io.loyalty.timers.Timers;
import java.util.HashSet;
import java.util.Set;

/**
 * An account being worked on by the account processor: its record, its stored lots, and the timers it had when
 * loaded so the timers store can follow changes.
 */
final class Account {
  final String key;
  final AccountState state;
  final AccountLots lots;
  final Set<String> timersBefore = new HashSet<>();

  Account(String key, AccountState state, AccountLots lots) {
    this.key = key;
    this.state = state;
    this.lots = lots;
    state.getTimers().forEach(timer -> timersBefore.add(Timers.storeKey(timer.getDueAt(), key, timer.getTimerId())));
  }
}
