package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.EventContext;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.MergeAccounts;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.intake.Violation;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.programs.ProgramRules;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/** A command of the API or an integration: decided against the account, always answered with a result. */
final class CommandInput extends AccountPath {
  CommandInput(Task task) {
    super(task);
  }

  void apply(Record<String, Object> record, Decoded<?> input, LoyaltyCommand command) {
    String seenKey = "C|" + command.getOrganizationId() + "|" + command.getCommandId();
    boolean opensAccount = command.getCommand() instanceof Enroll || command.getCommand() instanceof OptIn
        || command.getCommand() instanceof UpdateProfile;
    Optional<ProgramRules> program = admit(record, input, new Admission(command.getOrganizationId(), command.getIssuedAt(),
        rules -> Optional.empty(), () -> seenBefore(seenKey), !opensAccount,
        () -> "customer " + command.getCustomerId() + " has no account in " + command.getOrganizationId()), new Refusals() {
          @Override
          public void refused(Violation violation) {
            reject(record, input, violation.reason(), violation.message());
            result(record, command, CommandOutcome.refused(violation.reason().name(), violation.message()), null);
          }

          @Override
          public void duplicate() {
            result(record, command, new CommandOutcome(CommandStatus.DUPLICATE, null, "command id " + command.getCommandId()
                + " was already decided (applied or refused); nothing changed: a new attempt takes a new command id"),
                staging.accounts.get(record.key()));
          }
        });
    if (program.isEmpty()) {
      return;
    }
    if (command.getCommand() instanceof MergeAccounts merge) {
      // Answered when the duplicate has been taken (GIVE, possibly in another partition).
      staging.seen.mark(seenKey, record.timestamp());
      merges.request(command, merge, record.timestamp())
          .ifPresent(refused -> result(record, command, refused, staging.accounts.get(record.key())));
      return;
    }
    Account account = load(record.key(), command.getOrganizationId(), command.getCustomerId(), command.getIssuedAt());
    fireOwnTimers(account, command.getIssuedAt());
    assessTier(account, program.get(), command.getIssuedAt(), command.getCommandId(), record.timestamp());
    AccountBook book = new AccountBook(account.state, account.lots, new EventContext(command.getCommandId(), command.getIssuedAt(),
        command.getLocationId(), program.get().version(), command.getActor()));
    probe.reached(StepProbe.Step.APPLY);
    CommandOutcome outcome = CommandRules.apply(book, command, program.get());
    // An id names one decision: a refused command's id is consumed too, so a retry with another payload
    // cannot turn a refusal into something else (see "Command ids" in the README).
    staging.seen.mark(seenKey, record.timestamp());
    if (outcome.isApplied()) {
      publish(book, account, program.get(), record.timestamp());
      if (command.getCommand() instanceof ChangeConsent change) {
        notify(account, NotificationPlanner.afterConsentChange(account.state, program.get(), change, command.getIssuedAt(),
            command.getCommandId()), record.timestamp());
      }
    }
    save(account);
    result(record, command, outcome, account.state);
  }
}
