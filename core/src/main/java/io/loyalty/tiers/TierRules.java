package io.loyalty.tiers;

import io.loyalty.accounts.RewardEvents;
import io.loyalty.accounts.Amounts;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.RewardEventType;
import io.loyalty.avro.TierAssessment;
import io.loyalty.avro.TierBasis;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.programs.ProgramRules;
import io.loyalty.timers.Timers;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Tiers by calendar year in the program's time zone. The basis (net purchase spend, or points earned from
 * purchases) counts purchases only, net of returns and voids of the same year; sign-up bonuses, adjustments
 * and boosts never count. A customer is in the highest tier whose threshold the year's basis reaches, from
 * the purchase that crosses it (which still earns at the old rate). RETAIN_THROUGH_NEXT_YEAR keeps the tier
 * a year ended with through the whole next year; RESET_ANNUALLY starts everyone at the bottom each 1 January.
 * A return that takes the basis below a threshold demotes, unless the tier is retained. A customer group
 * with a default tier is always in it. Year ends are timers, so customers without activity move too.
 */
public final class TierRules {
  private static final String REF = "year-end";

  private TierRules() {}

  /** Adds a purchase's basis (spend or points, by the program) when it happened in the account's tier year. */
  public static void count(AccountState state, ProgramRules program, Instant at, BigDecimal spend, BigDecimal points) {
    if (program.config().getTiers().isEmpty()) {
      return;
    }
    if (state.getTierYear() != 0 && year(at, program.zone()) != state.getTierYear()) {
      return;
    }
    BigDecimal delta = program.config().getTierBasis() == TierBasis.SPEND ? spend : points;
    state.setYearBasis(Amounts.points(state.getYearBasis().add(delta).max(BigDecimal.ZERO)));
  }

  /** The tier's accrual rate and bonus multiplier replace and scale the program's. */
  public static Optional<TierDefinition> current(AccountState state, ProgramRules program) {
    return program.config().getTiers().stream().filter(tier -> tier.getTierId().equals(state.getTier())).findFirst();
  }

  /**
   * Brings the account to the calendar year of {@code now} and to the tier it should have; returns the tier
   * change as a reward event when there is one.
   */
  public static Optional<RewardEvent> assess(AccountState state, ProgramRules program, Instant now, String reason,
      String sourceEventId) {
    List<TierDefinition> ladder = ladder(program);
    if (ladder.isEmpty()) {
      return Optional.empty();
    }
    int year = year(now, program.zone());
    String because = reason;
    if (state.getTierYear() == 0) {
      state.setTierYear(year);
    }
    while (state.getTierYear() < year) {
      boolean retains = program.config().getTierAssessment() == TierAssessment.RETAIN_THROUGH_NEXT_YEAR;
      state.setRetainedTier(retains ? tierFor(state.getYearBasis(), ladder) : null);
      state.setYearBasis(Amounts.ZERO_POINTS);
      state.setTierYear(state.getTierYear() + 1);
      because = "year " + (state.getTierYear() - 1) + " ended";
    }
    String before = state.getTier();
    String after = target(state, program, ladder);
    if (java.util.Objects.equals(before, after)) {
      return Optional.empty();
    }
    state.setTier(after);
    return Optional.of(event(state, RewardEventType.TIER_CHANGED, before, after, now, null, because, sourceEventId));
  }

  /** Plans the year-end timer and, if the tier would drop then, the warning before it. */
  public static void schedule(AccountState state, ProgramRules program) {
    List<TierDefinition> ladder = ladder(program);
    if (ladder.isEmpty() || state.getTierYear() == 0) {
      Timers.cancel(state, TimerKind.TIER_YEAR_END, REF);
      Timers.cancel(state, TimerKind.TIER_DOWNGRADE_WARNING, REF);
      return;
    }
    Instant yearEnd = startOfYear(state.getTierYear() + 1, program.zone());
    Timers.schedule(state, TimerKind.TIER_YEAR_END, REF, yearEnd);
    Instant warning = yearEnd.minus(Duration.ofDays(program.config().getTierDowngradeWarningDays()));
    if (rank(tierNextYear(state, program, ladder), ladder) < rank(state.getTier(), ladder) && warning.isAfter(state.getClock())) {
      Timers.schedule(state, TimerKind.TIER_DOWNGRADE_WARNING, REF, warning);
    } else {
      Timers.cancel(state, TimerKind.TIER_DOWNGRADE_WARNING, REF);
    }
  }

  /** The warning timer fired: tells which tier the customer moves to at the year end, if it is still lower. */
  public static Optional<RewardEvent> warn(AccountState state, ProgramRules program, Instant at, String sourceEventId) {
    List<TierDefinition> ladder = ladder(program);
    String next = tierNextYear(state, program, ladder);
    if (rank(next, ladder) >= rank(state.getTier(), ladder)) {
      return Optional.empty();
    }
    return Optional.of(event(state, RewardEventType.TIER_DOWNGRADE_WARNING, state.getTier(), next, at,
        startOfYear(state.getTierYear() + 1, program.zone()), "year " + state.getTierYear() + " basis "
            + state.getYearBasis().stripTrailingZeros().toPlainString(), sourceEventId));
  }

  /** Last day the current tier is guaranteed. */
  public static LocalDate validUntil(AccountState state, ProgramRules program) {
    List<TierDefinition> ladder = ladder(program);
    if (state.getTier() == null || ladder.isEmpty() || groupTier(state, program).isPresent()) {
      return null;
    }
    boolean earnedThisYear = rank(tierFor(state.getYearBasis(), ladder), ladder) >= rank(state.getTier(), ladder);
    boolean retains = program.config().getTierAssessment() == TierAssessment.RETAIN_THROUGH_NEXT_YEAR;
    return LocalDate.of(state.getTierYear() + (earnedThisYear && retains ? 1 : 0), 12, 31);
  }

  private static String target(AccountState state, ProgramRules program, List<TierDefinition> ladder) {
    Optional<String> group = groupTier(state, program);
    if (group.isPresent()) {
      return group.get();
    }
    String earned = tierFor(state.getYearBasis(), ladder);
    return rank(state.getRetainedTier(), ladder) > rank(earned, ladder) ? state.getRetainedTier() : earned;
  }

  private static String tierNextYear(AccountState state, ProgramRules program, List<TierDefinition> ladder) {
    Optional<String> group = groupTier(state, program);
    if (group.isPresent()) {
      return group.get();
    }
    return program.config().getTierAssessment() == TierAssessment.RETAIN_THROUGH_NEXT_YEAR
        ? tierFor(state.getYearBasis(), ladder) : tierFor(BigDecimal.ZERO, ladder);
  }

  private static Optional<String> groupTier(AccountState state, ProgramRules program) {
    return state.getCustomerGroup() == null ? Optional.empty()
        : Optional.ofNullable(program.config().getGroupDefaultTiers().get(state.getCustomerGroup()));
  }

  private static List<TierDefinition> ladder(ProgramRules program) {
    return program.config().getTiers().stream().sorted(Comparator.comparing(TierDefinition::getThreshold)).toList();
  }

  private static String tierFor(BigDecimal basis, List<TierDefinition> ladder) {
    String tier = null;
    for (TierDefinition definition : ladder) {
      if (basis.compareTo(definition.getThreshold()) >= 0) {
        tier = definition.getTierId();
      }
    }
    return tier;
  }

  private static int rank(String tierId, List<TierDefinition> ladder) {
    for (int i = 0; i < ladder.size(); i++) {
      if (ladder.get(i).getTierId().equals(tierId)) {
        return i;
      }
    }
    return -1;
  }

  private static int year(Instant at, ZoneId zone) {
    return at.atZone(zone).getYear();
  }

  private static Instant startOfYear(int year, ZoneId zone) {
    return LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant();
  }

  private static RewardEvent event(AccountState state, RewardEventType type, String from, String to, Instant at,
      Instant dueAt, String reason, String sourceEventId) {
    // One cause can move the tier twice (a year end, then the purchase that crosses a threshold).
    return RewardEvents.of(state, type, at, sourceEventId + "/" + type.name() + "/" + from + ">" + to, sourceEventId)
        .setTierFrom(from)
        .setTierTo(to)
        .setDueAt(dueAt)
        .setReason(reason)
        .build();
  }
}
