package io.loyalty.programs;

import io.loyalty.avro.ProgramConfig;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Chooses the program version in force at a business time: the latest effectiveFrom not after it, then the highest version. */
public final class ProgramHistory {
  private static final Comparator<ProgramConfig> PRECEDENCE =
      Comparator.comparing(ProgramConfig::getEffectiveFrom).thenComparingLong(ProgramConfig::getVersion);

  private ProgramHistory() {}

  public static Optional<ProgramConfig> inForceAt(Stream<ProgramConfig> versions, Instant time) {
    return versions.filter(version -> !version.getEffectiveFrom().isAfter(time)).max(PRECEDENCE);
  }
}
