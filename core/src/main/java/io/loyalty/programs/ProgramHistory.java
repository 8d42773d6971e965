package io.loyalty.programs;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Chooses the program version in force at a business time: the latest effectiveFrom not after it, then the highest version. */
public final class ProgramHistory {
  private static final Comparator<ProgramRules> PRECEDENCE =
      Comparator.comparing((ProgramRules rules) -> rules.config().getEffectiveFrom()).thenComparingLong(ProgramRules::version);

  private ProgramHistory() {}

  public static Optional<ProgramRules> inForceAt(Stream<ProgramRules> versions, Instant time) {
    return versions.filter(version -> !version.config().getEffectiveFrom().isAfter(time)).max(PRECEDENCE);
  }
}
