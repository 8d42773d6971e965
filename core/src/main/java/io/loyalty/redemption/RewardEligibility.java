package io.loyalty.redemption;

import io.loyalty.accounts.RewardEvents;
import io.loyalty.accounts.Balances;
import io.loyalty.accounts.Membership;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.RewardEventType;
import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.state.AccountState;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which catalog rewards a member can redeem now: active, unlocked by the tier when a tier lists it (that
 * tier and the ones above unlock it), and covered by the spendable balance. A change of that set becomes
 * REWARD_AFFORDABLE / REWARD_UNAFFORDABLE events; a tier change that unlocks rewards becomes REWARD_UNLOCKED.
 */
public final class RewardEligibility {
  private RewardEligibility() {}

  public static List<RewardEvent> changes(AccountState state, ProgramRules program, String tierBefore, Instant at,
      String sourceEventId) {
    List<RewardEvent> events = new ArrayList<>();
    List<String> affordable = new ArrayList<>();
    BigDecimal spendable = Membership.isMember(state, program) ? Balances.spendable(state, at) : BigDecimal.ZERO;
    for (RewardDefinition reward : program.config().getRewards()) {
      boolean unlocked = reward.getActive() && unlocked(reward, state.getTier(), program);
      if (unlocked && !unlocked(reward, tierBefore, program)) {
        events.add(event(state, RewardEventType.REWARD_UNLOCKED, reward, at, "tier " + state.getTier(), sourceEventId));
      }
      if (unlocked && spendable.compareTo(reward.getCost()) >= 0) {
        affordable.add(reward.getRewardId());
        if (!state.getAffordableRewards().contains(reward.getRewardId())) {
          events.add(event(state, RewardEventType.REWARD_AFFORDABLE, reward, at, "spendable " + spendable.stripTrailingZeros().toPlainString(), sourceEventId));
        }
      }
    }
    for (String was : state.getAffordableRewards()) {
      if (!affordable.contains(was)) {
        program.reward(was).ifPresent(reward -> events.add(event(state, RewardEventType.REWARD_UNAFFORDABLE, reward, at,
            "spendable " + spendable.stripTrailingZeros().toPlainString(), sourceEventId)));
      }
    }
    state.setAffordableRewards(affordable);
    return events;
  }

  /** A reward no tier lists is open to all; else the lowest tier listing it and every tier above unlock it. */
  private static boolean unlocked(RewardDefinition reward, String tierId, ProgramRules program) {
    List<TierDefinition> ladder = program.config().getTiers().stream()
        .sorted(Comparator.comparing(TierDefinition::getThreshold)).toList();
    int needed = -1;
    int held = -1;
    for (int i = 0; i < ladder.size(); i++) {
      if (needed < 0 && ladder.get(i).getRewardIds().contains(reward.getRewardId())) {
        needed = i;
      }
      if (ladder.get(i).getTierId().equals(tierId)) {
        held = i;
      }
    }
    return needed < 0 || held >= needed;
  }

  private static RewardEvent event(AccountState state, RewardEventType type, RewardDefinition reward, Instant at,
      String reason, String sourceEventId) {
    return RewardEvents.of(state, type, at, sourceEventId + "/" + type.name() + "/" + reward.getRewardId(), sourceEventId)
        .setRewardId(reward.getRewardId())
        .setRewardName(reward.getName())
        .setPoints(reward.getCost())
        .setReason(reason)
        .build();
  }
}
