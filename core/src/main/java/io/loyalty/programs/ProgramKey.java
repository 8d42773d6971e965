package io.loyalty.programs;

import io.loyalty.avro.ProgramConfig;

/**
 * Key of a program version on the programs topic: {@code organizationId/version}. One key per version means
 * compaction keeps the whole history, so a replay applies the version in force at each event's time.
 */
public final class ProgramKey {
  private ProgramKey() {}

  public static String of(ProgramConfig program) {
    return prefix(program.getOrganizationId()) + program.getVersion();
  }

  public static String prefix(String organizationId) {
    return organizationId + "/";
  }
}
