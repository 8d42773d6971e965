package io.loyalty.intake;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.AdjustmentReason;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ChannelCap;
import io.loyalty.avro.CompliancePolicy;
import io.loyalty.avro.GroupMultiplier;
import io.loyalty.avro.LocationOverride;
import io.loyalty.avro.OfferSettings;
import io.loyalty.avro.PersonalizationSettings;
import io.loyalty.avro.ProductMultiplier;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Promotion;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.TierDefinition;
import io.loyalty.programs.ProgramKey;
import io.loyalty.segments.SegmentChecks;
import io.loyalty.workflows.WorkflowChecks;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The limits a program version must meet before it can be put in force. A version that breaks any of them is
 * refused whole, naming every field at fault, and the version in force stays: a typo in a program must never
 * multiply every customer's points by a billion or stop every purchase. The README's program reference lists
 * the same limits.
 */
public final class ProgramValidator {
  public static final BigDecimal MAX_ACCRUAL_RATE = new BigDecimal("1000");
  public static final BigDecimal MAX_MULTIPLIER = new BigDecimal("100");
  public static final BigDecimal MAX_BONUS_POINTS = new BigDecimal("1000000");
  public static final int MAX_DAYS = 3650;
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final List<String> problems = new ArrayList<>();

  private ProgramValidator() {}

  /** Every limit the program version breaks, each on its own (empty when it may be put in force). */
  public static List<String> problems(ProgramConfig program) {
    ProgramValidator check = new ProgramValidator();
    check.program(program);
    return List.copyOf(check.problems);
  }

  /** Empty when {@code program} may be put in force under {@code key}. */
  public static Optional<Violation> validate(String key, ProgramConfig program) {
    if (!ProgramKey.of(program).equals(key)) {
      return Optional.of(new Violation(RejectionReason.KEY_MISMATCH,
          "program record keyed '" + key + "' must be keyed organizationId/version: '" + ProgramKey.of(program) + "'"));
    }
    ProgramValidator check = new ProgramValidator();
    check.program(program);
    return check.problems.isEmpty() ? Optional.empty()
        : Optional.of(new Violation(RejectionReason.INVALID_PROGRAM, "program " + key + " not put in force: "
            + String.join("; ", check.problems)));
  }

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  /** Campaign messages per channel a day or a week: beyond, the account's record of them would outgrow its bounds. */
  private static final int MAX_CHANNEL_CAP = 100;

  private void program(ProgramConfig program) {
    require(AccountKey.isValidOrganizationId(program.getOrganizationId()), AccountKey.ORGANIZATION_ID_RULE);
    require(program.getVersion() >= 1, "version " + program.getVersion() + " must be 1 or more");
    try {
      ZoneId.of(program.getTimeZone());
    } catch (DateTimeException e) {
      problems.add("timeZone '" + program.getTimeZone() + "' is not an IANA time zone");
    }
    try {
      Currency.getInstance(program.getCurrency());
    } catch (IllegalArgumentException e) {
      problems.add("currency '" + program.getCurrency() + "' is not an ISO 4217 code");
    }
    accrualRate("accrualRate", program.getAccrualRate());
    require(program.getRounding().getScale() >= 0 && program.getRounding().getScale() <= 4,
        "rounding.scale " + program.getRounding().getScale() + " must be 0 to 4 (points have 4 decimals)");
    between("signupBonus", program.getSignupBonus(), BigDecimal.ZERO, MAX_BONUS_POINTS);
    if (program.getPointValue() != null) {
      require(program.getPointValue().signum() > 0, "pointValue must be more than 0");
    }
    require(program.getMinimumRedemption().signum() >= 0, "minimumRedemption must not be negative");
    days("pendingDays", program.getPendingDays(), 0);
    days("returnWindowDays", program.getReturnWindowDays(), 0);
    days("inactivityExpiryDays", program.getInactivityExpiryDays(), 1);
    days("tierDowngradeWarningDays", program.getTierDowngradeWarningDays(), 0);
    days("expiryWarningDays", program.getExpiryWarningDays(), 0);
    for (GroupMultiplier group : program.getGroupMultipliers()) {
      multiplier("groupMultipliers[" + group.getCustomerGroup() + "]", group.getMultiplier());
    }
    for (ProductMultiplier product : program.getProductMultipliers()) {
      multiplier("productMultipliers[" + product.getScope() + " " + product.getValue() + "]", product.getMultiplier());
    }
    for (Promotion promotion : program.getPromotions()) {
      multiplier("promotions[" + promotion.getName() + "]", promotion.getMultiplier());
      require(promotion.getStartsAt().isBefore(promotion.getEndsAt()),
          "promotions[" + promotion.getName() + "] must start before it ends");
    }
    Set<String> rewardIds = new HashSet<>();
    for (RewardDefinition reward : program.getRewards()) {
      require(rewardIds.add(reward.getRewardId()), "rewards: id '" + reward.getRewardId() + "' appears twice");
      require(reward.getCost().signum() > 0, "rewards[" + reward.getRewardId() + "].cost must be more than 0");
      require(reward.getValue().signum() >= 0, "rewards[" + reward.getRewardId() + "].value must not be negative");
    }
    tiers(program, rewardIds);
    personalization(program);
    Set<String> reasons = new HashSet<>();
    for (AdjustmentReason reason : program.getAdjustmentReasons()) {
      require(!reason.getName().isBlank() && reasons.add(reason.getName()),
          "adjustmentReasons: '" + reason.getName() + "' is blank or appears twice");
      days("adjustmentReasons[" + reason.getName() + "].expirationDays", reason.getExpirationDays(), 1);
    }
    if (program.getAdjustmentApprovalLimit() != null) {
      require(program.getAdjustmentApprovalLimit().signum() >= 0, "adjustmentApprovalLimit must not be negative");
    }
    clockTime("quietHoursStart", program.getQuietHoursStart());
    clockTime("quietHoursEnd", program.getQuietHoursEnd());
    require(program.getDailyNotificationCap() >= 0, "dailyNotificationCap must not be negative (0: no cap)");
    Set<Channel> capped = EnumSet.noneOf(Channel.class);
    for (ChannelCap cap : program.getChannelCaps()) {
      require(capped.add(cap.getChannel()), "channelCaps: " + cap.getChannel() + " is capped twice");
      require(cap.getPerDay() >= 0 && cap.getPerDay() <= MAX_CHANNEL_CAP && cap.getPerWeek() >= 0 && cap.getPerWeek() <= MAX_CHANNEL_CAP,
          "channelCaps[" + cap.getChannel() + "]: perDay and perWeek must be 0 to " + MAX_CHANNEL_CAP + " (0: none)");
    }
    for (LocationOverride location : program.getLocationOverrides()) {
      accrualRate("locationOverrides[" + location.getLocationId() + "].accrualRate", location.getAccrualRate());
      if (location.getSignupBonus() != null) {
        between("locationOverrides[" + location.getLocationId() + "].signupBonus", location.getSignupBonus(), BigDecimal.ZERO,
            MAX_BONUS_POINTS);
      }
    }
  }

  private void tiers(ProgramConfig program, Set<String> rewardIds) {
    Set<String> tierIds = new HashSet<>();
    BigDecimal previous = null;
    for (TierDefinition tier : program.getTiers()) {
      String name = "tiers[" + tier.getTierId() + "]";
      require(!tier.getTierId().isBlank() && tierIds.add(tier.getTierId()), name + ": tier id is blank or appears twice");
      require(tier.getThreshold().signum() >= 0, name + ".threshold must not be negative");
      require(previous == null || tier.getThreshold().compareTo(previous) > 0,
          name + ".threshold " + tier.getThreshold().toPlainString() + " must be above the previous tier's");
      previous = tier.getThreshold();
      accrualRate(name + ".accrualRate", tier.getAccrualRate());
      if (tier.getBonusMultiplier() != null) {
        multiplier(name + ".bonusMultiplier", tier.getBonusMultiplier());
      }
      for (String rewardId : tier.getRewardIds()) {
        require(rewardIds.contains(rewardId), name + ".rewardIds: '" + rewardId + "' is not a reward of the program");
      }
    }
    program.getGroupDefaultTiers().forEach((group, tierId) ->
        require(tierIds.contains(tierId), "groupDefaultTiers[" + group + "]: '" + tierId + "' is not a tier of the program"));
  }

  private void personalization(ProgramConfig program) {
    PersonalizationSettings personalization = program.getPersonalization();
    days("personalization.halfLifeDays", personalization.getHalfLifeDays(), 1);
    count("personalization.recommendations", personalization.getRecommendations(), 0, 50);
    count("personalization.exploreSlots", personalization.getExploreSlots(), 0, 50);
    OfferSettings offers = program.getOffers();
    count("offers.validDays", offers.getValidDays(), 1, 365);
    count("offers.maxPerWeek", offers.getMaxPerWeek(), 0, 7);
    count("offers.replenishmentLeadDays", offers.getReplenishmentLeadDays(), 0, 60);
    count("offers.holdoutPercent", offers.getHoldoutPercent(), 0, 50);
    switch (offers.getKind()) {
      case PRODUCT_DISCOUNT, CATEGORY_DISCOUNT -> between("offers.value", offers.getValue(), BigDecimal.ZERO, HUNDRED);
      case BONUS_POINTS -> between("offers.value", offers.getValue(), BigDecimal.ZERO, MAX_BONUS_POINTS);
      case POINTS_MULTIPLIER -> multiplier("offers.value", offers.getValue());
    }
    CompliancePolicy compliance = program.getCompliance();
    count("compliance.minimumAge", compliance.getMinimumAge(), 0, 150);
    count("compliance.minimumAgeMedical", compliance.getMinimumAgeMedical(), 0, 150);
    between("compliance.maximumDiscountPercent", compliance.getMaximumDiscountPercent(), BigDecimal.ZERO, HUNDRED);
    require(!compliance.getSmsOptOutText().isBlank(), "compliance.smsOptOutText must not be blank");
    between("compliance.minimumPaidAmount", compliance.getMinimumPaidAmount(), BigDecimal.ZERO, MAX_BONUS_POINTS);
    SegmentChecks.problem(program.getSegments()).ifPresent(problem -> problems.add("segments: " + problem));
    WorkflowChecks.problem(program.getWorkflows(), program.getSegments()).ifPresent(problem -> problems.add("workflows: " + problem));
  }

  private void count(String field, int value, int min, int max) {
    require(value >= min && value <= max, field + " " + value + " must be between " + min + " and " + max);
  }

  private void accrualRate(String field, BigDecimal rate) {
    if (rate != null) {
      between(field, rate, BigDecimal.ZERO, MAX_ACCRUAL_RATE);
    }
  }

  private void multiplier(String field, BigDecimal multiplier) {
    between(field, multiplier, BigDecimal.ZERO, MAX_MULTIPLIER);
  }

  private void between(String field, BigDecimal value, BigDecimal min, BigDecimal max) {
    require(value.compareTo(min) >= 0 && value.compareTo(max) <= 0,
        field + " " + value.stripTrailingZeros().toPlainString() + " must be between " + min.toPlainString() + " and " + max.toPlainString());
  }

  private void days(String field, Integer days, int min) {
    if (days != null) {
      require(days >= min && days <= MAX_DAYS, field + " " + days + " must be between " + min + " and " + MAX_DAYS);
    }
  }

  private void clockTime(String field, String value) {
    try {
      LocalTime.parse(value, CLOCK_TIME);
    } catch (DateTimeException e) {
      problems.add(field + " must be a time of day as HH:mm (00:00 to 23:59)");
    }
  }

  private void require(boolean holds, String problem) {
    if (!holds) {
      problems.add(problem);
    }
  }
}
