package io.loyalty.programs;

import io.loyalty.accounts.Sha256;
import io.loyalty.avro.AdjustmentReason;
import io.loyalty.avro.EnrollmentMode;
import io.loyalty.avro.LocationOverride;
import io.loyalty.avro.NegativeBalancePolicy;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.WorkflowTriggerType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Optional;

/** Reads of a program version that several rules share, with the per-location overrides applied. */
public final class ProgramRules {
  private final ProgramConfig program;
  private final ZoneId zone;
  /** Computed when first asked (on a clock tick), then kept with the decoded version. */
  private volatile String audienceFingerprint;

  public ProgramRules(ProgramConfig program) {
    this.program = program;
    this.zone = ZoneId.of(program.getTimeZone());
  }

  public ProgramConfig config() {
    return program;
  }

  public long version() {
    return program.getVersion();
  }

  /**
   * What in this version decides who is reached without an input of theirs, as a SHA-256: the segments, the
   * workflows (their segment, birthday and other triggers; broadcasts aside), inactivity expiry and its warning. A version that
   * changes it is evaluated on every existing account of the organization; one that keeps it (new accrual rates,
   * rewards, tiers) is not.
   */
  public String audienceFingerprint() {
    String fingerprint = audienceFingerprint;
    if (fingerprint == null) {
      // A broadcast reaches its segment by a sweep of its own: adding one re-evaluates no account.
      String audience = program.getSegments() + "|" + program.getWorkflows().stream()
          .filter(workflow -> workflow.getTrigger().getType() != WorkflowTriggerType.BROADCAST).toList() + "|"
          + program.getInactivityExpiryDays() + "|" + program.getExpiryWarningDays();
      fingerprint = HexFormat.of().formatHex(Sha256.of(audience));
      audienceFingerprint = fingerprint;
    }
    return fingerprint;
  }

  /** Points per currency unit at the location; empty when accrual is disabled there. */
  public Optional<BigDecimal> accrualRate(String locationId) {
    return location(locationId).map(LocationOverride::getAccrualRate)
        .or(() -> Optional.ofNullable(program.getAccrualRate()));
  }

  public ZoneId zone() {
    return zone;
  }

  public NegativeBalancePolicy negativeBalancePolicy() {
    return program.getNegativeBalancePolicy();
  }

  public boolean automaticEnrollment() {
    return program.getEnrollment() == EnrollmentMode.AUTOMATIC;
  }

  /** Sign-up bonus at the location: its override, else the program's. */
  public BigDecimal signupBonus(String locationId) {
    return location(locationId).map(LocationOverride::getSignupBonus).orElse(program.getSignupBonus());
  }

  /** How long after a purchase a return or void may occur. */
  public Duration returnWindow() {
    return Duration.ofDays(program.getReturnWindowDays());
  }

  public Optional<Duration> pendingPeriod() {
    return Optional.ofNullable(program.getPendingDays()).map(Duration::ofDays);
  }

  /** Currency value of one point used as payment. */
  public BigDecimal pointValue() {
    return program.getPointValue() == null ? BigDecimal.ONE : program.getPointValue();
  }

  public Optional<AdjustmentReason> adjustmentReason(String name) {
    return program.getAdjustmentReasons().stream().filter(reason -> reason.getName().equals(name)).findFirst();
  }

  public Optional<RewardDefinition> reward(String rewardId) {
    return program.getRewards().stream().filter(reward -> reward.getRewardId().equals(rewardId)).findFirst();
  }

  public int pointsScale() {
    return program.getRounding().getScale();
  }

  public RoundingMode pointsRoundingMode() {
    return RoundingMode.valueOf(program.getRounding().getMode().name());
  }

  private Optional<LocationOverride> location(String locationId) {
    return program.getLocationOverrides().stream()
        .filter(override -> override.getLocationId().equals(locationId))
        .findFirst();
  }
}
