package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.EventContext;
import io.loyalty.accounts.ProfileView;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.MergeAccounts;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.avro.state.Timer;
import io.loyalty.avro.state.TimerEntry;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.earning.PurchaseRules;
import io.loyalty.expiry.InactivityExpiry;
import io.loyalty.expiry.LotExpiry;
import io.loyalty.intake.Violation;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.programs.ProgramRules;
import io.loyalty.redemption.HoldRules;
import io.loyalty.redemption.RewardEligibility;
import io.loyalty.reversal.ReversalRules;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.RegistryUnavailableException;
import io.loyalty.tiers.TierRules;
import io.loyalty.timers.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import io.loyalty.accounts.Amounts;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-account state machine. Applies validated POS events and commands to the account under the program
 * version in force at their business time, and fires timers: an account's own timers due by the time of its
 * next input, and every timer of the partition when a clock tick passes their due time. Every input ends in
 * ledger entries, a documented no-op, a command result, or a rejection.
 */
final class AccountProcessor extends RejectingProcessor<String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(AccountProcessor.class);

  private final AvroCodec<ProgramConfig> programCodec;
  private final AvroCodec<TransactionEvent> transactionCodec;
  private final EngineSettings settings;
  private final AccountOutputs outputs;
  private final StepProbe probe;
  private final Reactions reactionsOf;
  private List<Reaction> reactions;
  private Staging staging;
  private ParkedReversals parkedReversals;
  private PurchaseRecords purchases;
  private ProgramStore programs;
  private PartitionTime time;
  private boolean rejected;
  private Merges merges;

  AccountProcessor(AvroCodec<ProgramConfig> programCodec, AvroCodec<TransactionEvent> transactionCodec, EngineSettings settings,
      AccountOutputs outputs, Reactions reactions, StepProbe probe) {
    super(outputs.rejections());
    this.reactionsOf = reactions;
    this.probe = probe;
    this.programCodec = programCodec;
    this.transactionCodec = transactionCodec;
    this.settings = settings;
    this.outputs = outputs;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    staging = new Staging(context, settings.budget());
    parkedReversals = new ParkedReversals(staging.parked, transactionCodec, settings.reversalGrace());
    purchases = new PurchaseRecords(staging, settings.reversalGrace());
    programs = new ProgramStore(context.getStateStore(LoyaltyTopology.PROGRAMS_STORE), programCodec);
    time = new PartitionTime(staging.clock, staging.timers, settings.staleTickTolerance());
    reactions = reactionsOf.of(staging, (name, description) -> new EngineCounter(context.metrics(), name, description));
    merges = new Merges(outputs, this::emit, reactions);
    // The KPI sums of the task's inputs go out once per commit interval (see KpiPending).
    context.schedule(Duration.ofMillis(new StreamsConfig(context.appConfigs()).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)),
        PunctuationType.WALL_CLOCK_TIME, now -> {
          staging.kpiPending.send(staging.outbox, outputs.kpiDeltas(), Math.max(0, context.currentStreamTimeMs()));
          staging.commit();
        });
  }

  /**
   * One input is applied whole or not at all: its store writes and outputs are held until it has been processed,
   * and a failure at any step leaves only its rejection (and, for a command, a refused result).
   */
  @Override
  public void process(Record<String, Object> record) {
    Decoded<?> input = (Decoded<?>) record.value();
    rejected = false;
    if (input.value() instanceof ClockTick tick) {
      onTick(record, input, tick);
      settings.meters().input(tick, rejected);
      return;
    }
    try {
      if (input.value() instanceof TransactionEvent event) {
        onTransaction(record, input, event);
      } else if (input.value() instanceof ActivityEvent activity) {
        onActivity(record, input, activity);
      } else if (input.value() instanceof MergeTransfer transfer) {
        onMergeStep(record, input, transfer);
      } else {
        onCommand(record, input, (LoyaltyCommand) input.value());
      }
      staging.commit();
    } catch (RuntimeException failure) {
      staging.discard();
      Violation violation = failed(failure, "applying it");
      reject(record, input, violation.reason(), violation.message());
      if (input.value() instanceof LoyaltyCommand command) {
        result(record, command, CommandOutcome.refused(violation.reason().name(), violation.message()), null);
      }
      try {
        staging.commit();
      } catch (WriteBudget.Exceeded resultTooLarge) {
        // A command's result echoes its correlation id, which can make it what the broker refuses.
        staging.discard();
        emitRejection(record, input, violation.reason(), violation.message() + "; a command gets no result: it would be too large too",
            false);
        staging.commit();
      }
    }
    settings.meters().input((SpecificRecord) input.value(), rejected);
  }

  /**
   * What a user is told of a failure: an amount beyond the contract, or an engine error whose cause is logged
   * (masked) and never published, since an exception's message may quote a field's value. A registry outage
   * or a failure of Kafka's is not the input's fault: it goes on to the exception handler, which stops the thread so
   * that the input is retried from the last commit.
   */
  private Violation failed(RuntimeException failure, String what) {
    // Kafka's own failures (a send after the broker refused an earlier write of the transaction) are not the input's.
    if (RegistryUnavailableException.causedBy(failure) || failure instanceof KafkaException) {
      throw failure;
    }
    if (failure instanceof Amounts.OutOfRange) {
      return new Violation(RejectionReason.AMOUNT_OUT_OF_RANGE, failure.getMessage());
    }
    if (failure instanceof WriteBudget.Exceeded) {
      return new Violation(RejectionReason.LIMIT_EXCEEDED, "too large to apply: " + failure.getMessage() + "; nothing of it was applied");
    }
    String source = context().recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    LOG.error("{} failed while {}; nothing of it was applied", source, what, failure);
    return new Violation(RejectionReason.PROCESSING_ERROR, "the engine failed while " + what
        + "; nothing was changed (the cause is in the engine's log under " + source + ")");
  }

  // --- POS events -------------------------------------------------------------------------------------------

  private void onTransaction(Record<String, Object> record, Decoded<?> input, TransactionEvent event) {
    Optional<ProgramRules> program = programs.inForceAt(event.getOrganizationId(), event.getOccurredAt());
    if (program.isEmpty()) {
      Violation violation = noProgram(event.getOrganizationId(), event.getOccurredAt());
      reject(record, input, violation.reason(), violation.message());
      return;
    }
    String currency = program.get().config().getCurrency();
    if (!event.getCurrency().equals(currency)) {
      reject(record, input, RejectionReason.CURRENCY_MISMATCH, "amounts are in " + event.getCurrency()
          + " but the program of organization " + event.getOrganizationId() + " counts " + currency);
      return;
    }
    if (seenBefore(SeenIds.transactionKey(event))) {
      reject(record, input, RejectionReason.DUPLICATE, "event " + event.getEventId() + " was already applied; nothing changed");
      return;
    }
    if (event.getType() != TransactionType.PURCHASE && seenBefore(SeenIds.reversalKey(event.getOrganizationId(),
        event.getOriginalTransactionId()))) {
      reject(record, input, RejectionReason.INVALID_FIELD, "originalTransactionId " + event.getOriginalTransactionId()
          + " is a return or void: only a purchase can be returned or voided");
      return;
    }
    if (mergedAway(record, input)) {
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
      applyPurchase(record, input, event, program.get(), account);
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

  private void applyPurchase(Record<String, Object> record, Decoded<?> input, TransactionEvent event, ProgramRules program,
      Account account) {
    Optional<String> appliedBefore = purchases.appliedBefore(account.key, event.getTransactionId());
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
    markApplied(account, event, record.timestamp());
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
    parkedReversals.park(account.key, account.state, context().recordMetadata().orElseThrow(), record.timestamp(), input, event);
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

  // --- commands ---------------------------------------------------------------------------------------------

  /** A report of activity outside the POS: for a known customer, each capability folds it into its own state. */
  private void onActivity(Record<String, Object> record, Decoded<?> input, ActivityEvent activity) {
    Optional<ProgramRules> program = programs.inForceAt(activity.getOrganizationId(), activity.getOccurredAt());
    if (program.isEmpty()) {
      Violation violation = noProgram(activity.getOrganizationId(), activity.getOccurredAt());
      reject(record, input, violation.reason(), violation.message());
      return;
    }
    String seenKey = SeenIds.activityKey(activity);
    if (seenBefore(seenKey)) {
      reject(record, input, RejectionReason.DUPLICATE, "activity " + activity.getEventId() + " was already applied; nothing changed");
      return;
    }
    if (mergedAway(record, input)) {
      return;
    }
    if (staging.accounts.get(record.key()) == null) {
      reject(record, input, RejectionReason.UNKNOWN_CUSTOMER, "customer " + activity.getCustomerId() + " has no account in "
          + activity.getOrganizationId() + ": activity is kept for members only");
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

  private void onCommand(Record<String, Object> record, Decoded<?> input, LoyaltyCommand command) {
    Optional<ProgramRules> program = programs.inForceAt(command.getOrganizationId(), command.getIssuedAt());
    if (program.isEmpty()) {
      Violation violation = noProgram(command.getOrganizationId(), command.getIssuedAt());
      reject(record, input, violation.reason(), violation.message());
      result(record, command, CommandOutcome.refused(violation.reason().name(), violation.message()), null);
      return;
    }
    String seenKey = "C|" + command.getOrganizationId() + "|" + command.getCommandId();
    if (seenBefore(seenKey)) {
      result(record, command, new CommandOutcome(CommandStatus.DUPLICATE, null, "command id " + command.getCommandId()
          + " was already decided (applied or refused); nothing changed: a new attempt takes a new command id"),
          staging.accounts.get(record.key()));
      return;
    }
    if (mergedAway(record, input)) {
      return;
    }
    boolean opensAccount = command.getCommand() instanceof Enroll || command.getCommand() instanceof OptIn
        || command.getCommand() instanceof UpdateProfile;
    if (!opensAccount && staging.accounts.get(record.key()) == null) {
      String message = "customer " + command.getCustomerId() + " has no account in " + command.getOrganizationId();
      reject(record, input, RejectionReason.UNKNOWN_CUSTOMER, message);
      result(record, command, CommandOutcome.refused(RejectionReason.UNKNOWN_CUSTOMER.name(), message), null);
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

  private void result(Record<String, Object> record, LoyaltyCommand command, CommandOutcome outcome, AccountState state) {
    CommandResult result = CommandRules.result(command, outcome, state);
    emit(outputs.results(), result.getAccountKey(), result, record.timestamp());
  }

  // --- merges -----------------------------------------------------------------------------------------------

  /** A step of a merge (see {@link Merges}): applied, in the account's partition, like any input of the account. */
  private void onMergeStep(Record<String, Object> record, Decoded<?> input, MergeTransfer transfer) {
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

  /** An input for an account merged into another is refused, naming the survivor its inputs now go to. */
  private boolean mergedAway(Record<String, Object> record, Decoded<?> input) {
    Optional<String> message = Merges.mergedAway(staging.accounts.get(record.key()));
    message.ifPresent(why -> {
      reject(record, input, RejectionReason.ACCOUNT_MERGED, why);
      if (input.value() instanceof LoyaltyCommand command) {
        result(record, command, CommandOutcome.refused(RejectionReason.ACCOUNT_MERGED.name(), why), staging.accounts.get(record.key()));
      }
    });
    return message.isPresent();
  }

  // --- time -------------------------------------------------------------------------------------------------

  /**
   * A tick moves the partition's clock forward (never back) and fires every timer due by then, in due order,
   * including those that firing schedules within that time (one tick may pass two year ends).
   */
  private void onTick(Record<String, Object> record, Decoded<?> input, ClockTick tick) {
    Optional<Instant> advanced = time.advance(tick.getAt());
    if (advanced.isEmpty()) {
      reject(record, input, RejectionReason.STALE_TICK, time.staleMessage(tick.getAt()));
      staging.commit();
      return;
    }
    Instant now = advanced.get();
    staging.commit();
    // At most maxTimersPerTick firings per tick: one input is one transaction, and a tick after a long stop of
    // the clock may find a partition's every account due. The rest fire on the next ticks, in due order.
    int left = settings.maxTimersPerTick();
    List<KeyValue<String, TimerEntry>> due;
    while (left > 0 && !(due = time.dueBy(now, left)).isEmpty()) {
      left -= due.size();
      for (KeyValue<String, TimerEntry> entry : due) {
        // Each account's firing is its own unit: one that fails is dropped with a rejection naming it, and
        // the clock goes on for every other account.
        staging.unit(entry.key);
        try {
          Optional<String> refused = staging.refusedWrites.poisoned(entry.key);
          if (refused.isPresent()) {
            dropTimer(record, input, entry, new Violation(RejectionReason.PRODUCTION_ERROR, refused.get()));
          } else {
            fireDue(entry, record.timestamp());
            staging.commit();
          }
        } catch (RuntimeException failure) {
          staging.discard();
          dropTimer(record, input, entry, failed(failure, "firing timer " + entry.value.getTimerId() + " of " + entry.value.getAccountKey()));
        } finally {
          staging.unit("");
        }
      }
    }
  }

  private void dropTimer(Record<String, Object> record, Decoded<?> input, KeyValue<String, TimerEntry> entry, Violation violation) {
    time.remove(entry.key);
    reject(record, input, violation.reason(), violation.message() + "; the timer was dropped");
    staging.commit();
  }

  private void fireDue(KeyValue<String, TimerEntry> entry, long timestamp) {
    time.remove(entry.key);
    if (PurchaseRecords.isRemoval(entry.value)) {
      purchases.remove(entry.value, timestamp);
      return;
    }
    probe.reached(StepProbe.Step.LOAD);
    AccountState state = staging.accounts.get(entry.value.getAccountKey());
    if (state == null) {
      return;
    }
    Account account = account(entry.value.getAccountKey(), state);
    Timers.find(state, entry.value.getTimerId()).ifPresent(timer -> fire(account, timer, timestamp));
    save(account);
  }

  /** Before an account applies an input at time t, its own timers due by t fire, so replay order never matters. */
  private void fireOwnTimers(Account account, Instant time) {
    Optional<Timer> next;
    while ((next = Timers.nextDue(account.state, time)).isPresent()) {
      fire(account, next.get(), context().currentStreamTimeMs());
    }
  }

  private void fire(Account account, Timer timer, long timestamp) {
    probe.reached(StepProbe.Step.FIRE_TIMER);
    settings.meters().timerFired(timer.getKind().name());
    AccountState state = account.state;
    Timers.cancel(state, timer.getKind(), timer.getRef());
    Optional<ProgramRules> program = programs.inForceAt(state.getOrganizationId(), timer.getDueAt());
    String cause = Timers.cause(account.key, timer);
    AccountBook book = new AccountBook(state, account.lots, new EventContext(cause, timer.getDueAt(), null,
        program.map(ProgramRules::version).orElse(null), "system"));
    Optional<RewardEvent> reward = Optional.empty();
    List<NotificationRequest> notifications = List.of();
    switch (timer.getKind()) {
      case HOLD_EXPIRY -> HoldRules.expire(state, timer.getRef());
      case REVERSAL_GRACE -> expireParked(account, timer);
      case LOT_EXPIRY -> LotExpiry.expire(book, timer.getRef());
      case INACTIVITY_EXPIRY -> reward = program.flatMap(rules -> InactivityExpiry.expire(book, rules, timer.getDueAt()));
      case EXPIRY_WARNING -> reward = program.flatMap(rules -> InactivityExpiry.warn(state, rules, timer.getDueAt(), cause));
      case TIER_DOWNGRADE_WARNING -> reward = program.flatMap(rules -> TierRules.warn(state, rules, timer.getDueAt(), cause));
      case NOTIFICATION_DIGEST -> notifications = program.map(rules -> NotificationPlanner.digest(state, rules, timer.getDueAt()))
          .orElse(List.of());
      case SMS_RELEASE -> notifications = program.map(rules -> NotificationPlanner.releaseHeldSms(state, rules, timer.getDueAt()))
          .orElse(List.of());
      case CAPABILITY -> program.ifPresent(rules -> reactions.forEach(reaction -> reaction.due(account.key, timer.getRef(), book,
          rules, timestamp)));
      default -> { }
    }
    book.touch();
    if (program.isPresent()) {
      emitRewards(account, program.get(), reward.stream().toList(), timestamp);
      notify(account, notifications, timestamp);
      publish(book, account, program.get(), timestamp);
    }
  }

  private void expireParked(Account account, Timer timer) {
    for (ParkedReversals.Waiting waiting : parkedReversals.expire(account.key, timer.getRef())) {
      rejectParked(waiting, RejectionReason.UNKNOWN_TRANSACTION, parkedReversals.expiredMessage(timer.getRef()));
    }
  }

  // --- state and output -------------------------------------------------------------------------------------

  private Account load(String key, String organizationId, String customerId, Instant at) {
    probe.reached(StepProbe.Step.LOAD);
    AccountState state = staging.accounts.get(key);
    return account(key, state != null ? state : AccountBook.open(organizationId, customerId, at));
  }

  private Account account(String key, AccountState state) {
    return new Account(key, state, new AccountLots(staging.lots, key));
  }

  private void save(Account account) {
    probe.reached(StepProbe.Step.SAVE);
    staging.accounts.put(account.key, account.state);
    time.follow(account);
  }

  /**
   * Publishes what a change did. Every change also re-assesses the tier (a purchase may cross a threshold, a
   * return may demote, a year end rolls the basis) and re-plans the account's expiry and tier timers.
   */
  private void publish(AccountBook book, Account account, ProgramRules program, long timestamp) {
    probe.reached(StepProbe.Step.REACT);
    String cause = book.context().sourceEventId();
    String tierBefore = account.state.getTier();
    emitRewards(account, program, TierRules.assess(account.state, program, account.state.getClock(), "threshold reached or lost",
        cause).stream().toList(), timestamp);
    emitRewards(account, program, RewardEligibility.changes(account.state, program, tierBefore, account.state.getClock(), cause),
        timestamp);
    // Reactions see the tier as assessed; what they post (a workflow's boost) is published with the rest.
    reactions.forEach(reaction -> reaction.changed(account.key, book, program, timestamp));
    List<LedgerEntry> entries = book.entries();
    entries.forEach(entry -> entry.setTier(account.state.getTier()));
    InactivityExpiry.schedule(account.state, program);
    TierRules.schedule(account.state, program);
    for (LedgerEntry entry : entries) {
      emit(outputs.ledger(), account.key, entry, timestamp);
    }
    CustomerProfile profile = ProfileView.of(account.state, program);
    reactions.forEach(reaction -> reaction.describe(account.key, account.state, program, profile));
    if (!entries.isEmpty()) {
      List<String> recommended = profile.getInsights() == null ? List.of()
          : profile.getInsights().getRecommendedProducts().stream().map(product -> product.getName()).toList();
      notify(account, NotificationPlanner.forPoints(account.state, program, entries, recommended), timestamp);
    }
    emit(outputs.profiles(), account.key, profile, timestamp);
  }

  private void react(Account account, TransactionEvent event, TransactionRecord purchase, AccountBook book, ProgramRules program,
      long timestamp) {
    probe.reached(StepProbe.Step.REACT);
    reactions.forEach(reaction -> reaction.applied(account.key, event, purchase, book, program, timestamp));
  }

  /** Before an input applies: a year that ended since the account's last change, or tiers of a new program version. */
  private void assessTier(Account account, ProgramRules program, Instant at, String cause, long timestamp) {
    probe.reached(StepProbe.Step.ASSESS_TIER);
    String reason = account.state.getTier() == null ? "first tier assignment" : "tiers of program version " + program.version();
    emitRewards(account, program, TierRules.assess(account.state, program, at, reason, cause).stream().toList(), timestamp);
  }

  /** Reward-eligibility events, and what the customer is told of them. */
  private void emitRewards(Account account, ProgramRules program, List<RewardEvent> events, long timestamp) {
    for (RewardEvent event : events) {
      emit(outputs.rewards(), account.key, event, timestamp);
    }
    notify(account, NotificationPlanner.forRewards(account.state, program, events), timestamp);
  }

  private void notify(Account account, List<NotificationRequest> requests, long timestamp) {
    probe.reached(StepProbe.Step.NOTIFY);
    for (NotificationRequest request : requests) {
      emit(outputs.notifications(), account.key, request, timestamp);
    }
  }

  private <T extends SpecificRecord> void emit(Output<T> output, Object key, T value, long timestamp) {
    probe.reached(StepProbe.Step.EMIT);
    staging.outbox.add(output, key, value, timestamp);
  }

  private boolean seenBefore(String key) {
    probe.reached(StepProbe.Step.DEDUPE);
    return staging.seen.contains(key);
  }

  /**
   * A POS event is applied: later copies are duplicates, and the account counts it, so that an auditor can
   * account for events that moved no points from the latest profile snapshot (the topic is compacted).
   */
  private void markApplied(Account account, TransactionEvent event, long timestamp) {
    staging.seen.mark(SeenIds.transactionKey(event), timestamp);
    account.state.setPosEventsApplied(account.state.getPosEventsApplied() + 1);
  }

  private static EventContext context(TransactionEvent event, ProgramRules program) {
    return new EventContext(event.getEventId(), event.getOccurredAt(), event.getLocationId(), program.version(), null);
  }

  private Violation noProgram(String organizationId, Instant at) {
    if (programs.hasAny(organizationId)) {
      return new Violation(RejectionReason.NO_PROGRAM_IN_FORCE, "no program version of organization " + organizationId
          + " is in force at " + at + " (its first takes effect later)");
    }
    return new Violation(RejectionReason.UNKNOWN_ORGANIZATION, "organization " + organizationId + " has no valid loyalty program");
  }

  private void reject(Record<String, Object> record, Decoded<?> input, RejectionReason reason, String message) {
    emitRejection(record, input, reason, message, true);
  }

  /** @param copyInput whether the rejection carries the input's raw key and value, to repair and replay it */
  private void emitRejection(Record<String, Object> record, Decoded<?> input, RejectionReason reason, String message, boolean copyInput) {
    rejected = true;
    emit(outputs.rejections(), input.rawKey(), rejection(record, copyInput ? input.rawKey() : null, copyInput ? input.rawValue() : null,
        reason, message, input.eventId(), input.organizationId()), record.timestamp());
  }

  private void rejectParked(ParkedReversals.Waiting waiting, RejectionReason reason, String message) {
    emit(outputs.rejections(), waiting.key(), waiting.rejection(reason, message), waiting.timestamp());
  }
}
