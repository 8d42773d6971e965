package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.programs.ProgramRules;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/** A step of a merge (see {@link Merges}). */
final class MergeStepInput extends AccountPath {
  MergeStepInput(Task task) {
    super(task);
  }

  /** A step of a merge (see {@link Merges}): applied, in the account's partition, like any input of the account. */
  void apply(Record<String, Object> record, Decoded<?> input, MergeTransfer transfer) {
    String seenKey = Merges.seenKey(transfer, record.key());
    if (seenBefore(seenKey)) {
      reject(record, input, RejectionReason.DUPLICATE, Merges.duplicateMessage(transfer));
      return;
    }
    staging.seen.mark(seenKey, record.timestamp());
    Optional<ProgramRules> program = programs.inForceAt(transfer.getOrganizationId(), transfer.getIssuedAt());
    if (!merges.applies(transfer, staging.accounts.get(record.key()), program.isEmpty()
        ? Optional.of(noProgram(transfer.getOrganizationId(), transfer.getIssuedAt()).message()) : Optional.empty(), record.timestamp())) {
      return;
    }
    Account account = load(record.key(), transfer.getOrganizationId(), Merges.customer(transfer), transfer.getIssuedAt());
    fireOwnTimers(account, transfer.getIssuedAt());
    ProgramRules rules = program.orElseThrow(() -> new IllegalStateException("no program in force for merge " + transfer.getMergeId()));
    AccountBook book = new AccountBook(account.state, account.lots, Merges.context(transfer, rules));
    probe.reached(StepProbe.Step.APPLY);
    merges.apply(transfer, account.key, book, account.lots, rules, record.timestamp());
    publish(book, account, rules, record.timestamp());
    save(account);
  }
}
