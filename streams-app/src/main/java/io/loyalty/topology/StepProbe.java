package io.loyalty.topology;

/**
 * Observes the steps of the account path as an input goes through them. Production passes {@link #NONE}; the
 * atomicity tests pass one that fails at a chosen step of a chosen input, to prove that nothing of a failed
 * input remains, whichever step failed.
 */
@FunctionalInterface
public interface StepProbe {
  StepProbe NONE = step -> { };

  enum Step { DEDUPE, LOAD, FIRE_TIMER, ASSESS_TIER, APPLY, REACT, NOTIFY, SAVE, EMIT }

  void reached(Step step);
}
