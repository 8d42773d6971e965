package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.EventContext;
import io.loyalty.accounts.ProfileView;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Timer;
import io.loyalty.expiry.InactivityExpiry;
import io.loyalty.intake.Violation;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.programs.ProgramRules;
import io.loyalty.redemption.RewardEligibility;
import io.loyalty.tiers.TierRules;
import io.loyalty.timers.Timers;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The steps every input of an account shares, written once: load, the account's own due timers, the tier,
 * publishing what a change did (rewards, the reactions in their declared order, ledger, notifications, profile),
 * save, and how an input is answered (rejections, command results). Each kind of input ({@link PosEventInput},
 * {@link CommandInput}, {@link ActivityInput}, {@link MergeStepInput}, {@link ClockTickInput}) extends it with how it
 * is admitted and applied.
 */
class AccountPath {
  /** What the processor's task gives every kind of input: its stores, programs, outputs and reactions. */
  record Task(ProcessorContext<Object, Object> context, EngineSettings settings, AccountOutputs outputs, StepProbe probe,
      Staging staging, ProgramStore programs, PurchaseRecords purchases, ParkedReversals parkedReversals, PartitionTime time,
      List<Reaction> reactions, Rejections rejections, Verdict verdict) {}

  /** Makes a rejection of the input being processed (the processor knows its source topic, partition and offset). */
  @FunctionalInterface
  interface Rejections {
    Rejection of(Record<?, ?> record, byte[] rawKey, byte[] rawValue, RejectionReason reason, String message, String eventId,
        String organizationId);
  }

  /** Whether the input being processed was rejected, for the operator's counters. */
  static final class Verdict {
    boolean rejected;
  }

  protected final ProcessorContext<Object, Object> processorContext;
  protected final EngineSettings settings;
  protected final AccountOutputs outputs;
  protected final StepProbe probe;
  protected final Staging staging;
  protected final ProgramStore programs;
  protected final PurchaseRecords purchases;
  protected final ParkedReversals parkedReversals;
  protected final PartitionTime time;
  protected final List<Reaction> reactions;
  protected final Merges merges;
  private final AccountTimers timers;
  private final Rejections rejections;
  private final Verdict verdict;

  AccountPath(Task task) {
    this.processorContext = task.context();
    this.settings = task.settings();
    this.outputs = task.outputs();
    this.probe = task.probe();
    this.staging = task.staging();
    this.programs = task.programs();
    this.purchases = task.purchases();
    this.parkedReversals = task.parkedReversals();
    this.time = task.time();
    this.reactions = task.reactions();
    this.rejections = task.rejections();
    this.verdict = task.verdict();
    this.merges = new Merges(outputs, this::emit, reactions);
    this.timers = new AccountTimers(this::expireParked, reactions);
  }

  void result(Record<String, Object> record, LoyaltyCommand command, CommandOutcome outcome, AccountState state) {
    CommandResult result = CommandRules.result(command, outcome, state);
    emit(outputs.results(), result.getAccountKey(), result, record.timestamp());
  }

  /**
   * What an input must be to be applied, checked in this order for every kind: its organization's program in force
   * at its business time, the kind's own check against that program (a POS event's currency), not applied before
   * (its seen id, or what else remembers it), its account not merged away, and a known account unless the input may
   * open one.
   */
  record Admission(String organizationId, Instant at, Function<ProgramRules, Optional<Violation>> check, BooleanSupplier appliedBefore,
      boolean needsAccount, Supplier<String> unknownAccount) {}

  /** How a kind of input is answered when it is not admitted. */
  interface Refusals {
    void refused(Violation violation);

    /** Applied before: nothing changes. */
    void duplicate();
  }

  /** Refusals answered by a rejection alone, as for POS events and activity reports. */
  Refusals rejecting(Record<String, Object> record, Decoded<?> input, String duplicateMessage) {
    return new Refusals() {
      @Override
      public void refused(Violation violation) {
        reject(record, input, violation.reason(), violation.message());
      }

      @Override
      public void duplicate() {
        reject(record, input, RejectionReason.DUPLICATE, duplicateMessage);
      }
    };
  }

  /** The program in force for an admitted input; empty (the input answered) otherwise. */
  Optional<ProgramRules> admit(Record<String, Object> record, Decoded<?> input, Admission admission, Refusals refusals) {
    Optional<ProgramRules> program = programs.inForceAt(admission.organizationId(), admission.at());
    Optional<Violation> refused = program.isEmpty() ? Optional.of(noProgram(admission.organizationId(), admission.at()))
        : admission.check().apply(program.get());
    if (refused.isPresent()) {
      refusals.refused(refused.get());
      return Optional.empty();
    }
    if (admission.appliedBefore().getAsBoolean()) {
      refusals.duplicate();
      return Optional.empty();
    }
    if (mergedAway(record, input)) {
      return Optional.empty();
    }
    if (admission.needsAccount() && staging.accounts.get(record.key()) == null) {
      refusals.refused(new Violation(RejectionReason.UNKNOWN_CUSTOMER, admission.unknownAccount().get()));
      return Optional.empty();
    }
    return program;
  }

  /** An input for an account merged into another is refused, naming the survivor its inputs now go to. */
  boolean mergedAway(Record<String, Object> record, Decoded<?> input) {
    Optional<String> message = Merges.mergedAway(staging.accounts.get(record.key()));
    message.ifPresent(why -> {
      reject(record, input, RejectionReason.ACCOUNT_MERGED, why);
      if (input.value() instanceof LoyaltyCommand command) {
        result(record, command, CommandOutcome.refused(RejectionReason.ACCOUNT_MERGED.name(), why), staging.accounts.get(record.key()));
      }
    });
    return message.isPresent();
  }

  /** Before an account applies an input at time t, its own timers due by t fire, so replay order never matters. */
  void fireOwnTimers(Account account, Instant time) {
    Optional<Timer> next;
    while ((next = Timers.nextDue(account.state, time)).isPresent()) {
      fire(account, next.get(), processorContext.currentStreamTimeMs());
    }
  }

  void fire(Account account, Timer timer, long timestamp) {
    probe.reached(StepProbe.Step.FIRE_TIMER);
    settings.meters().timerFired(timer.getKind().name());
    AccountState state = account.state;
    Timers.cancel(state, timer.getKind(), timer.getRef());
    Optional<ProgramRules> program = programs.inForceAt(state.getOrganizationId(), timer.getDueAt());
    String cause = Timers.cause(account.key, timer);
    AccountBook book = new AccountBook(state, account.lots, new EventContext(cause, timer.getDueAt(), null,
        program.map(ProgramRules::version).orElse(null), "system"));
    AccountTimers.Fired fired = timers.fire(new AccountTimers.Due(account, timer, book, program, cause, timestamp));
    book.touch();
    if (program.isPresent()) {
      emitRewards(account, program.get(), fired.rewards(), timestamp);
      notify(account, fired.notifications(), timestamp);
      publish(book, account, program.get(), timestamp);
    }
  }

  private void expireParked(Account account, Timer timer) {
    for (ParkedReversals.Waiting waiting : parkedReversals.expire(account.key, timer.getRef())) {
      rejectParked(waiting, RejectionReason.UNKNOWN_TRANSACTION, parkedReversals.expiredMessage(timer.getRef()));
    }
  }

  Account load(String key, String organizationId, String customerId, Instant at) {
    probe.reached(StepProbe.Step.LOAD);
    AccountState state = staging.accounts.get(key);
    return account(key, state != null ? state : AccountBook.open(organizationId, customerId, at));
  }

  Account account(String key, AccountState state) {
    return new Account(key, state, new AccountLots(staging.lots, key));
  }

  void save(Account account) {
    probe.reached(StepProbe.Step.SAVE);
    staging.accounts.put(account.key, account.state);
    time.follow(account);
  }

  /**
   * Publishes what a change did. Every change also re-assesses the tier (a purchase may cross a threshold, a
   * return may demote, a year end rolls the basis) and re-plans the account's expiry and tier timers.
   */
  void publish(AccountBook book, Account account, ProgramRules program, long timestamp) {
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

  /** Before an input applies: a year that ended since the account's last change, or tiers of a new program version. */
  void assessTier(Account account, ProgramRules program, Instant at, String cause, long timestamp) {
    probe.reached(StepProbe.Step.ASSESS_TIER);
    String reason = account.state.getTier() == null ? "first tier assignment" : "tiers of program version " + program.version();
    emitRewards(account, program, TierRules.assess(account.state, program, at, reason, cause).stream().toList(), timestamp);
  }

  /** Reward-eligibility events, and what the customer is told of them. */
  void emitRewards(Account account, ProgramRules program, List<RewardEvent> events, long timestamp) {
    for (RewardEvent event : events) {
      emit(outputs.rewards(), account.key, event, timestamp);
    }
    notify(account, NotificationPlanner.forRewards(account.state, program, events), timestamp);
  }

  void notify(Account account, List<NotificationRequest> requests, long timestamp) {
    probe.reached(StepProbe.Step.NOTIFY);
    for (NotificationRequest request : requests) {
      emit(outputs.notifications(), account.key, request, timestamp);
    }
  }

  <T extends SpecificRecord> void emit(Output<T> output, Object key, T value, long timestamp) {
    probe.reached(StepProbe.Step.EMIT);
    staging.outbox.add(output, key, value, timestamp);
  }

  boolean seenBefore(String key) {
    probe.reached(StepProbe.Step.DEDUPE);
    return staging.seen.contains(key);
  }

  Violation noProgram(String organizationId, Instant at) {
    if (programs.hasAny(organizationId)) {
      return new Violation(RejectionReason.NO_PROGRAM_IN_FORCE, "no program version of organization " + organizationId
          + " is in force at " + at + " (its first takes effect later)");
    }
    return new Violation(RejectionReason.UNKNOWN_ORGANIZATION, "organization " + organizationId + " has no valid loyalty program");
  }

  void reject(Record<String, Object> record, Decoded<?> input, RejectionReason reason, String message) {
    emitRejection(record, input, reason, message, true);
  }

  /** @param copyInput whether the rejection carries the input's raw key and value, to repair and replay it */
  void emitRejection(Record<String, Object> record, Decoded<?> input, RejectionReason reason, String message, boolean copyInput) {
    verdict.rejected = true;
    emit(outputs.rejections(), input.rawKey(), rejections.of(record, copyInput ? input.rawKey() : null, copyInput ? input.rawValue() : null,
        reason, message, input.eventId(), input.organizationId()), record.timestamp());
  }

  void rejectParked(ParkedReversals.Waiting waiting, RejectionReason reason, String message) {
    emit(outputs.rejections(), waiting.key(), waiting.rejection(reason, message), waiting.timestamp());
  }
}
