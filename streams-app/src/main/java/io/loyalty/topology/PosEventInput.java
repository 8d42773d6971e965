package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.EventContext;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.earning.PurchaseRules;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramRules;
import io.loyalty.reversal.ReversalRules;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/** A POS event: a purchase earns and redeems, a return or void reverses its purchase (or waits for it). */
final class PosEventInput extends AccountPath {
  PosEventInput(Task task) {
    super(task);
  }

  void apply(Record<String, Object> record, Decoded<?> input, TransactionEvent event) {
    // A purchase's own record, while kept, remembers its event id (no seen id is written for it until the record goes).
    TransactionRecord recorded = event.getType() == TransactionType.PURCHASE && event.getCustomerId() != null
        ? purchases.get(record.key(), event.getTransactionId()) : null;
    Optional<ProgramRules> program = admit(record, input, new Admission(event.getOrganizationId(), event.getOccurredAt(),
        rules -> problem(event, rules), () -> recorded != null && recorded.getEventId().equals(event.getEventId())
            || seenBefore(SeenIds.transactionKey(event)), false, null),
        rejecting(record, input, "event " + event.getEventId() + " was already applied; nothing changed"));
    if (program.isEmpty()) {
      return;
    }
    if (event.getCustomerId() == null) {
      // No account to credit: it counts once in its organization's sales (the KPIs).
      settings.meters().anonymousSale();
      staging.seen.mark(SeenIds.transactionKey(event), record.timestamp());
      reactions.forEach(reaction -> reaction.anonymous(event, program.get(), record.timestamp()));
      return;
    }
    String accountKey = record.key();
    Account account = load(accountKey, event.getOrganizationId(), event.getCustomerId(), event.getOccurredAt());
    fireOwnTimers(account, event.getOccurredAt());
    assessTier(account, program.get(), event.getOccurredAt(), event.getEventId(), record.timestamp());
    if (event.getType() == TransactionType.PURCHASE) {
      applyPurchase(record, input, event, program.get(), account, recorded);
    } else {
      TransactionRecord original = purchases.get(accountKey, event.getOriginalTransactionId());
      if (original == null && purchases.wasRemoved(accountKey, event.getOriginalTransactionId())) {
        reject(record, input, RejectionReason.RETURN_WINDOW_CLOSED, "transaction " + event.getOriginalTransactionId()
            + " is past its return window and no longer kept; nothing changed");
      } else if (original == null) {
        park(record, input, event, account);
      } else {
        applyReversal(record.timestamp(), event, original, program.get(), account,
            violation -> reject(record, input, violation.reason(), violation.message()));
      }
    }
    save(account);
  }

  /** Amounts in the program's currency; a return or void of a purchase, never of another return or void. */
  private Optional<Violation> problem(TransactionEvent event, ProgramRules program) {
    String currency = program.config().getCurrency();
    if (!event.getCurrency().equals(currency)) {
      return Optional.of(new Violation(RejectionReason.CURRENCY_MISMATCH, "amounts are in " + event.getCurrency()
          + " but the program of organization " + event.getOrganizationId() + " counts " + currency));
    }
    if (event.getType() != TransactionType.PURCHASE && seenBefore(SeenIds.reversalKey(event.getOrganizationId(),
        event.getOriginalTransactionId()))) {
      return Optional.of(new Violation(RejectionReason.INVALID_FIELD, "originalTransactionId " + event.getOriginalTransactionId()
          + " is a return or void: only a purchase can be returned or voided"));
    }
    return Optional.empty();
  }

  private void applyPurchase(Record<String, Object> record, Decoded<?> input, TransactionEvent event, ProgramRules program,
      Account account, TransactionRecord recorded) {
    Optional<String> appliedBefore = purchases.appliedBefore(account.key, event.getTransactionId(), recorded);
    if (appliedBefore.isPresent()) {
      reject(record, input, RejectionReason.DUPLICATE, appliedBefore.get());
      return;
    }
    AccountBook book = new AccountBook(account.state, account.lots, context(event, program));
    probe.reached(StepProbe.Step.APPLY);
    PurchaseRules.Outcome outcome = PurchaseRules.apply(book, event, program);
    if (outcome.violation().isPresent()) {
      reject(record, input, outcome.violation().get().reason(), outcome.violation().get().message());
      return;
    }
    purchases.add(account.key, outcome.record());
    countApplied(account);
    react(account, event, outcome.record(), book, program, record.timestamp());
    publish(book, account, program, record.timestamp());
    applyParkedReversals(account, event.getTransactionId(), program, record.timestamp());
  }

  private void applyReversal(long timestamp, TransactionEvent event, TransactionRecord original, ProgramRules program,
      Account account, java.util.function.Consumer<Violation> onViolation) {
    AccountBook book = new AccountBook(account.state, account.lots, context(event, program));
    probe.reached(StepProbe.Step.APPLY);
    TransactionRecord before = TransactionRecord.newBuilder(original).build();
    Optional<Violation> violation = ReversalRules.apply(book, event, original, program);
    if (violation.isPresent()) {
      onViolation.accept(violation.get());
      return;
    }
    purchases.update(account.key, original);
    markApplied(account, event, timestamp);
    staging.seen.mark(SeenIds.reversalKey(event.getOrganizationId(), event.getTransactionId()), timestamp);
    react(account, event, before, book, program, timestamp);
    publish(book, account, program, timestamp);
  }

  /** A return or void ahead of its purchase waits for it, at most the grace period. */
  private void park(Record<String, Object> record, Decoded<?> input, TransactionEvent event, Account account) {
    probe.reached(StepProbe.Step.APPLY);
    parkedReversals.park(account.key, account.state, processorContext.recordMetadata().orElseThrow(), record.timestamp(), input, event);
  }

  private void applyParkedReversals(Account account, String transactionId, ProgramRules purchaseProgram, long timestamp) {
    for (ParkedReversals.Waiting waiting : parkedReversals.release(account.key, account.state, transactionId)) {
      TransactionEvent event = waiting.event();
      if (seenBefore(SeenIds.transactionKey(event))) {
        rejectParked(waiting, RejectionReason.DUPLICATE, "event " + event.getEventId() + " was already applied; nothing changed");
        continue;
      }
      ProgramRules program = programs.inForceAt(event.getOrganizationId(), event.getOccurredAt()).orElse(purchaseProgram);
      TransactionRecord original = purchases.get(account.key, transactionId);
      applyReversal(timestamp, event, original, program, account,
          violation -> rejectParked(waiting, violation.reason(), violation.message()));
    }
  }

  private void react(Account account, TransactionEvent event, TransactionRecord purchase, AccountBook book, ProgramRules program,
      long timestamp) {
    probe.reached(StepProbe.Step.REACT);
    reactions.forEach(reaction -> reaction.applied(account.key, event, purchase, book, program, timestamp));
  }

  /**
   * A POS event is applied: later copies are duplicates, and the account counts it, so that an auditor can
   * account for events that moved no points from the latest profile snapshot (the topic is compacted).
   */
  private void markApplied(Account account, TransactionEvent event, long timestamp) {
    staging.seen.mark(SeenIds.transactionKey(event), timestamp);
    countApplied(account);
  }

  private static void countApplied(Account account) {
    account.state.setPosEventsApplied(account.state.getPosEventsApplied() + 1);
  }

  private static EventContext context(TransactionEvent event, ProgramRules program) {
    return new EventContext(event.getEventId(), event.getOccurredAt(), event.getLocationId(), program.version(), null);
  }
}
