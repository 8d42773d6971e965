package io.loyalty.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down key guessing: a client address that failed authentication {@code limit} times within the window is
 * answered 429 (with the seconds until its oldest failure leaves the window) without its key being checked, so
 * keys cannot be tried at line speed. A success does not clear the count: a caller holding one valid key cannot
 * use it to go on guessing others. The addresses tracked are bounded (the least recently failed go first).
 */
public final class AuthFailures {
  private static final int ADDRESSES_TRACKED = 10_000;

  private final int limit;
  private final Duration window;
  private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
      return size() > ADDRESSES_TRACKED;
    }
  };

  /** @param limit failed authentications an address may have within the window before it is answered 429 */
  public AuthFailures(int limit, Duration window) {
    this.limit = limit;
    this.window = window;
  }

  /** How long the address must wait, when it failed too often within the window. */
  synchronized Optional<Duration> blocked(String address, Instant now) {
    Deque<Instant> recent = failures.get(address);
    if (recent == null) {
      return Optional.empty();
    }
    forgetBefore(recent, now.minus(window));
    if (recent.size() < limit) {
      return Optional.empty();
    }
    Duration wait = Duration.between(now, recent.peekFirst().plus(window));
    return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
  }

  synchronized void failed(String address, Instant now) {
    Deque<Instant> recent = failures.computeIfAbsent(address, any -> new ArrayDeque<>());
    forgetBefore(recent, now.minus(window));
    recent.addLast(now);
    // Only the last `limit` failures decide: the count per address stays bounded.
    while (recent.size() > limit) {
      recent.removeFirst();
    }
  }

  private static void forgetBefore(Deque<Instant> recent, Instant start) {
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(start)) {
      recent.removeFirst();
    }
  }
}
