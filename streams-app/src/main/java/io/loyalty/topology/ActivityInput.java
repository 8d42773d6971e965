package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.EventContext;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.RejectionReason;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramRules;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/** A report of activity outside the POS, for a known customer. */
final class ActivityInput extends AccountPath {
  ActivityInput(Task task) {
    super(task);
  }

  /** A report of activity outside the POS: for a known customer, each capability folds it into its own state. */
  void apply(Record<String, Object> record, Decoded<?> input, ActivityEvent activity) {
    String seenKey = SeenIds.activityKey(activity);
    Optional<ProgramRules> program = admit(record, input, new Admission(activity.getOrganizationId(), activity.getOccurredAt(),
        rules -> Optional.empty(), () -> seenBefore(seenKey), true, () -> "customer " + activity.getCustomerId() + " has no account in "
            + activity.getOrganizationId() + ": activity is kept for members only"),
        rejecting(record, input, "activity " + activity.getEventId() + " was already applied; nothing changed"));
    if (program.isEmpty()) {
      return;
    }
    Account account = load(record.key(), activity.getOrganizationId(), activity.getCustomerId(), activity.getOccurredAt());
    fireOwnTimers(account, activity.getOccurredAt());
    assessTier(account, program.get(), activity.getOccurredAt(), activity.getEventId(), record.timestamp());
    AccountBook book = new AccountBook(account.state, account.lots, new EventContext(activity.getEventId(), activity.getOccurredAt(),
        null, program.get().version(), activity.getSource()));
    probe.reached(StepProbe.Step.APPLY);
    reactions.forEach(reaction -> reaction.observed(account.key, activity, book, program.get(), record.timestamp()));
    // The profile then names the report as its last change, so a publisher can see it was applied.
    book.touch();
    staging.seen.mark(seenKey, record.timestamp());
    publish(book, account, program.get(), record.timestamp());
    save(account);
  }
}
