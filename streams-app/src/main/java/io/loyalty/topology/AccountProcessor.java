package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.EventContext;
import io.loyalty.accounts.ProfileView;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.earning.PurchaseRules;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramRules;
import io.loyalty.serde.AvroCodec;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-account state machine: applies a validated POS event to the account's state under the program
 * version in force at the event's time, then publishes the ledger entries and the new profile. Every event
 * ends in ledger entries, a documented no-op (anonymous sale, nothing to earn) or a rejection.
 */
final class AccountProcessor extends RejectingProcessor<String, Decoded<TransactionEvent>> {
  private final AvroCodec<ProgramConfig> programCodec;
  private KeyValueStore<String, AccountState> accounts;
  private KeyValueStore<String, TransactionRecord> transactions;
  private ProgramStore programs;
  private NoOpCounter anonymousSales;

  AccountProcessor(AvroCodec<ProgramConfig> programCodec) {
    this.programCodec = programCodec;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    accounts = context.getStateStore(LoyaltyTopology.ACCOUNTS_STORE);
    transactions = context.getStateStore(LoyaltyTopology.TRANSACTIONS_STORE);
    programs = new ProgramStore(context.getStateStore(LoyaltyTopology.PROGRAMS_STORE), programCodec);
    anonymousSales = new NoOpCounter(context.metrics(), "anonymous-transactions",
        "POS events without a customer: no account to credit, a documented no-op");
  }

  @Override
  public void process(Record<String, Decoded<TransactionEvent>> record) {
    Decoded<TransactionEvent> input = record.value();
    TransactionEvent event = input.value();
    if (event.getCustomerId() == null) {
      anonymousSales.increment();
      return;
    }
    Optional<ProgramRules> program = programs.inForceAt(event.getOrganizationId(), event.getOccurredAt());
    if (program.isEmpty()) {
      reject(record, input, RejectionReason.UNKNOWN_ORGANIZATION, "no loyalty program of organization "
          + event.getOrganizationId() + " is in force at " + event.getOccurredAt());
      return;
    }
    if (event.getType() != TransactionType.PURCHASE) {
      reject(record, input, RejectionReason.UNSUPPORTED_EVENT, event.getType() + " events are not applied by this version");
      return;
    }
    String transactionKey = record.key() + "/" + event.getTransactionId();
    TransactionRecord earlier = transactions.get(transactionKey);
    if (earlier != null) {
      reject(record, input, RejectionReason.DUPLICATE, "transaction " + event.getTransactionId()
          + " was already applied by event " + earlier.getEventId() + "; nothing changed");
      return;
    }
    EventContext eventContext = new EventContext(event.getEventId(), event.getOccurredAt(), event.getLocationId(),
        program.get().version(), null);
    AccountState state = accounts.get(record.key());
    AccountBook book = new AccountBook(
        state != null ? state : AccountBook.open(event.getOrganizationId(), event.getCustomerId(), eventContext),
        eventContext);
    Optional<Violation> violation = PurchaseRules.apply(book, event, program.get());
    if (violation.isPresent()) {
      reject(record, input, violation.get().reason(), violation.get().message());
      return;
    }
    accounts.put(record.key(), book.state());
    transactions.put(transactionKey, PurchaseRules.record(event, book));
    for (LedgerEntry entry : book.entries()) {
      context().forward(record.withValue((Object) entry).withKey((Object) record.key()), LoyaltyTopology.LEDGER_SINK);
    }
    context().forward(record.withValue((Object) ProfileView.of(book.state())).withKey((Object) record.key()),
        LoyaltyTopology.PROFILES_SINK);
  }

  private void reject(Record<String, Decoded<TransactionEvent>> record, Decoded<TransactionEvent> input,
      RejectionReason reason, String message) {
    reject(record, input.rawKey(), input.rawValue(), reason, message, input.value().getEventId(),
        input.value().getOrganizationId());
  }
}
