package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.AccountKey;
import io.loyalty.accounts.Balances;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.adjustments.AdjustmentRules;
import io.loyalty.avro.AdjustPoints;
import io.loyalty.avro.BoostPoints;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.OptOut;
import io.loyalty.avro.ReleaseHold;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.enrollment.EnrollmentRules;
import io.loyalty.identity.MergeRules;
import io.loyalty.notifications.ConsentRules;
import io.loyalty.programs.ProgramRules;
import io.loyalty.redemption.HoldRules;

/** Which capability's rule applies a command, and the result the caller gets back. */
final class CommandRules {
  private CommandRules() {}

  static CommandOutcome apply(AccountBook book, LoyaltyCommand command, ProgramRules program) {
    Object request = command.getCommand();
    if (request instanceof Enroll enroll) {
      return EnrollmentRules.enroll(book, enroll, program, command.getLocationId());
    } else if (request instanceof OptIn) {
      return EnrollmentRules.optIn(book, program, command.getLocationId());
    } else if (request instanceof OptOut) {
      return EnrollmentRules.optOut(book);
    } else if (request instanceof UpdateProfile update) {
      return EnrollmentRules.updateProfile(book, update);
    } else if (request instanceof HoldPoints hold) {
      return HoldRules.hold(book, hold, program);
    } else if (request instanceof ReleaseHold release) {
      return HoldRules.release(book, release.getHoldId());
    } else if (request instanceof AdjustPoints adjustment) {
      return AdjustmentRules.adjust(book, adjustment, program);
    } else if (request instanceof BoostPoints boost) {
      return AdjustmentRules.boost(book, boost);
    } else if (request instanceof ChangeConsent change) {
      return ConsentRules.change(book, change);
    }
    return CommandOutcome.refused("UNSUPPORTED", request.getClass().getSimpleName() + " commands are not applied by this version");
  }

  /** A merge's outcome, answered for the survivor's account when its last step is decided. */
  static CommandResult mergeResult(MergeTransfer transfer, CommandOutcome outcome, AccountState survivor) {
    return CommandResult.newBuilder()
        .setCommandId(transfer.getMergeId())
        .setCorrelationId(transfer.getCorrelationId())
        .setAccountKey(MergeRules.survivorKey(transfer))
        .setStatus(outcome.status())
        .setReasonCode(outcome.reasonCode())
        .setMessage(outcome.message())
        .setBalanceAfter(survivor == null ? null : survivor.getBalance())
        .setSpendableAfter(survivor == null ? null : Balances.spendable(survivor, survivor.getClock()))
        .setOccurredAt(transfer.getIssuedAt())
        .build();
  }

  /** The command's outcome with the caller's correlation id and, when the account exists, its balances after. */
  static CommandResult result(LoyaltyCommand command, CommandOutcome outcome, AccountState state) {
    String holdId = command.getCommand() instanceof HoldPoints hold ? hold.getHoldId()
        : command.getCommand() instanceof ReleaseHold release ? release.getHoldId() : null;
    return CommandResult.newBuilder()
        .setCommandId(command.getCommandId())
        .setCorrelationId(command.getCorrelationId())
        .setAccountKey(AccountKey.of(command.getOrganizationId(), command.getCustomerId()))
        .setStatus(outcome.status())
        .setReasonCode(outcome.reasonCode())
        .setMessage(outcome.message())
        .setHoldId(holdId)
        .setBalanceAfter(state == null ? null : state.getBalance())
        .setSpendableAfter(state == null ? null : Balances.spendable(state, state.getClock()))
        .setOccurredAt(command.getIssuedAt())
        .build();
  }
}
