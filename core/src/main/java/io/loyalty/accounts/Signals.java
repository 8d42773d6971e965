package io.loyalty.accounts;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What capabilities tell each other about the change under way: one posts a typed signal (segments entered and
 * left, ...) and those that run after it read it, so that no capability holds another. The signals of a change
 * live as long as its {@link AccountBook}; which capability posts and which reads each signal is declared beside
 * the capability, and the engine checks at start that every reader runs after the poster.
 */
public final class Signals {
  /** Created at the first post: most changes signal nothing. */
  private Map<Class<?>, Object> posted;

  public void post(Object signal) {
    if (posted == null) {
      posted = new HashMap<>(4);
    }
    posted.put(signal.getClass(), signal);
  }

  public <S> Optional<S> get(Class<S> type) {
    return posted == null ? Optional.empty() : Optional.ofNullable(type.cast(posted.get(type)));
  }
}
