package io.loyalty.redemption;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.Amounts;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.Membership;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Hold;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.programs.ProgramRules;
import io.loyalty.timers.Timers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Holds reserve spendable points for a redemption the caller completes later (an e-commerce cart, a register
 * about to ring up): checked against the spendable balance when processed, committed by the purchase that
 * names them, released by command or when they expire. A hold never takes the balance below zero.
 */
public final class HoldRules {
  private HoldRules() {}

  public static CommandOutcome hold(AccountBook book, HoldPoints request, ProgramRules program) {
    AccountState state = book.state();
    if (!Membership.isMember(state, program)) {
      return CommandOutcome.refused("NOT_ENROLLED", "customer is " + Membership.status(state, program));
    }
    if (find(state, request.getHoldId()).isPresent()) {
      return CommandOutcome.refused("DUPLICATE_HOLD", "hold " + request.getHoldId() + " is already open");
    }
    if (!request.getExpiresAt().isAfter(book.now())) {
      return CommandOutcome.refused("INVALID_REQUEST", "hold expires at " + request.getExpiresAt() + ", not after " + book.now());
    }
    BigDecimal points;
    if (request.getRewardId() != null) {
      Optional<RewardDefinition> reward = program.reward(request.getRewardId());
      if (reward.isEmpty()) {
        return CommandOutcome.refused("UNKNOWN_REWARD", "reward " + request.getRewardId() + " is not in the catalog");
      }
      if (!reward.get().getActive()) {
        return CommandOutcome.refused("REWARD_INACTIVE", "reward " + request.getRewardId() + " is not active");
      }
      points = reward.get().getCost();
    } else if (request.getPoints() != null && request.getPoints().signum() > 0) {
      points = request.getPoints();
    } else {
      return CommandOutcome.refused("INVALID_REQUEST", "a hold needs positive points or a rewardId");
    }
    if (points.compareTo(program.config().getMinimumRedemption()) < 0) {
      return CommandOutcome.refused("BELOW_MINIMUM", "holding " + points.toPlainString() + " points, the minimum is "
          + program.config().getMinimumRedemption().toPlainString());
    }
    BigDecimal spendable = book.spendable();
    if (points.compareTo(spendable) > 0) {
      return CommandOutcome.refused("INSUFFICIENT_POINTS", "holding " + points.toPlainString() + " points but "
          + spendable.toPlainString() + " are spendable");
    }
    List<Hold> holds = new ArrayList<>(state.getHolds());
    holds.add(new Hold(request.getHoldId(), Amounts.points(points), request.getRewardId(), request.getExpiresAt()));
    state.setHolds(holds);
    Timers.schedule(state, TimerKind.HOLD_EXPIRY, request.getHoldId(), request.getExpiresAt());
    book.touch();
    return CommandOutcome.applied();
  }

  public static CommandOutcome release(AccountBook book, String holdId) {
    if (!remove(book.state(), holdId)) {
      return CommandOutcome.refused("UNKNOWN_HOLD", "no open hold " + holdId);
    }
    book.touch();
    return CommandOutcome.applied();
  }

  /** A hold's timer fired: it is released if still open (a purchase may have committed it meanwhile). */
  public static boolean expire(AccountState state, String holdId) {
    return remove(state, holdId);
  }

  private static boolean remove(AccountState state, String holdId) {
    if (find(state, holdId).isEmpty()) {
      return false;
    }
    state.setHolds(state.getHolds().stream().filter(hold -> !hold.getHoldId().equals(holdId)).toList());
    Timers.cancel(state, TimerKind.HOLD_EXPIRY, holdId);
    return true;
  }

  private static Optional<Hold> find(AccountState state, String holdId) {
    return state.getHolds().stream().filter(hold -> hold.getHoldId().equals(holdId)).findFirst();
  }
}
