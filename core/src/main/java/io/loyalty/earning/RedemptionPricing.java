package io.loyalty.earning;

import io.loyalty.avro.PointRedemption;
import io.loyalty.avro.RedemptionKind;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramRules;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * Checks that what the POS recorded for a redemption matches the program: points used as payment (before or
 * after tax) are worth points x pointValue (1 point = 1 currency unit unless configured), rounded half-up to
 * cents; a catalog reward costs its catalog points and is worth its catalog value. A reward the catalog does
 * not know is taken as the POS recorded it.
 */
final class RedemptionPricing {
  private RedemptionPricing() {}

  static Optional<Violation> check(List<PointRedemption> redemptions, ProgramRules program) {
    for (PointRedemption redemption : redemptions) {
      if (redemption.getKind() == RedemptionKind.CATALOG_REWARD) {
        Optional<RewardDefinition> reward = redemption.getRewardId() == null ? Optional.empty() : program.reward(redemption.getRewardId());
        if (reward.isPresent() && (reward.get().getCost().compareTo(redemption.getPoints()) != 0
            || reward.get().getValue().compareTo(redemption.getValue()) != 0)) {
          return invalid("reward " + redemption.getRewardId() + " costs " + reward.get().getCost().toPlainString() + " points for "
              + reward.get().getValue().toPlainString() + ", the POS recorded " + redemption.getPoints().toPlainString()
              + " points for " + redemption.getValue().toPlainString());
        }
      } else {
        BigDecimal worth = redemption.getPoints().multiply(program.pointValue()).setScale(2, RoundingMode.HALF_UP);
        if (worth.compareTo(redemption.getValue()) != 0) {
          return invalid(redemption.getPoints().toPlainString() + " points are worth " + worth.toPlainString()
              + " at the program's point value " + program.pointValue().toPlainString() + ", the POS recorded "
              + redemption.getValue().toPlainString());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> invalid(String message) {
    return Optional.of(new Violation(RejectionReason.INVALID_FIELD, message));
  }
}
