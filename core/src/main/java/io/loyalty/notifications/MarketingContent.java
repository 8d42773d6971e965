package io.loyalty.notifications;

import io.loyalty.avro.state.AccountState;
import io.loyalty.offers.Compliance;
import io.loyalty.programs.ProgramRules;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What in a message names a product or a reward, told only to a customer the program's marketing policy allows
 * at that time (offers/Compliance: age, birth date). A message that is marketing as a whole (an offer, a campaign
 * step) is not sent at all to such a customer; an account message (points, tier, rewards, warnings) still is,
 * without these variables. The policy's other checks hold by construction: recommendations never hold a
 * medical-only product for a customer who is not a patient, and a reward is a discount in points, never a free
 * product (a redemption leaves the order's {@code minimumPaidAmount} to pay).
 */
final class MarketingContent {
  static final String RECOMMENDED_PRODUCTS = "recommendedProducts";
  static final String AVAILABLE_REWARDS = "availableRewards";
  static final String REWARD_NAMES = "rewardNames";
  private static final Set<String> VARIABLES = Set.of(RECOMMENDED_PRODUCTS, AVAILABLE_REWARDS, REWARD_NAMES);

  private MarketingContent() {}

  static boolean allowed(AccountState state, ProgramRules program, Instant at) {
    return Compliance.forbidsMarketing(state, program, at).isEmpty();
  }

  /** A held message's variables as they may be told now. */
  static Map<String, String> told(Map<String, String> variables, boolean allowed) {
    if (allowed || variables.keySet().stream().noneMatch(VARIABLES::contains)) {
      return variables;
    }
    Map<String, String> kept = new LinkedHashMap<>(variables);
    kept.keySet().removeAll(VARIABLES);
    return kept;
  }
}
