package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.AccountKey;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.EventContext;
import io.loyalty.accounts.StoredLots;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.MergeAccounts;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.MergeStep;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.identity.MergeRules;
import io.loyalty.programs.ProgramRules;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The account path's side of a merge (the rules are {@link MergeRules}): where each step goes, what answers the
 * command, what each capability hands over, and why a merged account's inputs are refused. The processor
 * loads the account, applies and saves, as for any input.
 */
final class Merges {
  /** Sends a record of the input the way the processor does: held with the input's other outputs. */
  interface Emitter {
    <T extends SpecificRecord> void emit(Output<T> output, Object key, T value, long timestamp);
  }

  private final AccountOutputs outputs;
  private final Emitter emitter;
  private final List<Reaction> reactions;

  Merges(AccountOutputs outputs, Emitter emitter, List<Reaction> reactions) {
    this.outputs = outputs;
    this.emitter = emitter;
    this.reactions = reactions;
  }

  /** The survivor's side of MergeAccounts: TAKE on its way to the duplicate's partition, or why not. */
  Optional<CommandOutcome> request(LoyaltyCommand command, MergeAccounts merge, long timestamp) {
    Optional<CommandOutcome> refused = MergeRules.refusal(command, merge);
    if (refused.isEmpty()) {
      emitter.emit(outputs.merges(), AccountKey.of(command.getOrganizationId(), merge.getSourceCustomerId()),
          MergeRules.take(command, merge), timestamp);
    }
    return refused;
  }

  /** Per receiving account: a GIVE passed on to a survivor's survivor in the same partition is a new step. */
  static String seenKey(MergeTransfer transfer, String accountKey) {
    return "M|" + transfer.getOrganizationId() + "|" + transfer.getMergeId() + "|" + transfer.getStep() + "|" + accountKey;
  }

  static String duplicateMessage(MergeTransfer transfer) {
    return "merge step " + transfer.getStep() + " of " + transfer.getMergeId() + " was already applied; nothing changed";
  }

  /**
   * Whether the step applies to the account here. When it does not, what answers it is sent instead: a TAKE with
   * nothing to take refuses the command; a GIVE for a survivor merged meanwhile goes on to that one's survivor,
   * so no point is lost.
   */
  boolean applies(MergeTransfer transfer, AccountState state, Optional<String> noProgram, long timestamp) {
    if (transfer.getStep() == MergeStep.TAKE && (state == null || state.getMergedInto() != null || noProgram.isPresent())) {
      String why = state == null ? "customer " + transfer.getSourceCustomerId() + " has no account in " + transfer.getOrganizationId()
          : state.getMergedInto() != null ? "customer " + transfer.getSourceCustomerId() + " was already merged into " + state.getMergedInto()
          : noProgram.get();
      RejectionReason reason = state == null ? RejectionReason.UNKNOWN_CUSTOMER : RejectionReason.ACCOUNT_MERGED;
      emitter.emit(outputs.results(), MergeRules.survivorKey(transfer),
          CommandRules.mergeResult(transfer, CommandOutcome.refused(reason.name(), why), null), timestamp);
      return false;
    }
    if (transfer.getStep() == MergeStep.GIVE && state != null && state.getMergedInto() != null) {
      MergeTransfer onward = MergeTransfer.newBuilder(transfer).setSurvivorCustomerId(state.getMergedInto()).build();
      emitter.emit(outputs.merges(), MergeRules.survivorKey(onward), onward, timestamp);
      return false;
    }
    return true;
  }

  /** The customer whose account takes the step. */
  static String customer(MergeTransfer transfer) {
    return transfer.getStep() == MergeStep.TAKE ? transfer.getSourceCustomerId() : transfer.getSurvivorCustomerId();
  }

  static EventContext context(MergeTransfer transfer, ProgramRules program) {
    String cause = transfer.getStep() == MergeStep.TAKE ? MergeRules.takeCause(transfer) : MergeRules.giveCause(transfer);
    return new EventContext(cause, transfer.getIssuedAt(), transfer.getLocationId(), program.version(), transfer.getActor());
  }

  /** TAKE closes the duplicate and sends GIVE with what it and its capabilities held; GIVE credits it and answers. */
  void apply(MergeTransfer transfer, String accountKey, AccountBook book, StoredLots lots, ProgramRules program, long timestamp) {
    if (transfer.getStep() == MergeStep.TAKE) {
      Map<String, ByteBuffer> handedOver = new TreeMap<>();
      reactions.forEach(reaction -> reaction.handOver(accountKey, handedOver));
      emitter.emit(outputs.merges(), MergeRules.survivorKey(transfer), MergeRules.close(book, transfer, lots, handedOver), timestamp);
    } else {
      MergeRules.absorb(book, transfer);
      reactions.forEach(reaction -> reaction.takeOver(accountKey, transfer.getHandedOver(), book, program));
      emitter.emit(outputs.results(), accountKey, CommandRules.mergeResult(transfer, CommandOutcome.applied(), book.state()), timestamp);
    }
  }

  /** Why an input of this account is refused, if it was merged into another: the message names the survivor. */
  static Optional<String> mergedAway(AccountState state) {
    if (state == null || state.getMergedInto() == null) {
      return Optional.empty();
    }
    return Optional.of("customer " + state.getCustomerId() + " was merged into customer " + state.getMergedInto() + " at "
        + state.getMergedAt() + "; send its inputs to " + state.getMergedInto());
  }
}
