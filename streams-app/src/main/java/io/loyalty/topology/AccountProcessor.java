package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.accounts.EventContext;
import io.loyalty.accounts.ProfileView;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ParkedEvent;
import io.loyalty.avro.state.ParkedEvents;
import io.loyalty.avro.state.Timer;
import io.loyalty.avro.state.TimerEntry;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.earning.PurchaseRules;
import io.loyalty.expiry.InactivityExpiry;
import io.loyalty.expiry.LotExpiry;
import io.loyalty.intake.Rejections;
import io.loyalty.intake.Violation;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.programs.ProgramRules;
import io.loyalty.redemption.HoldRules;
import io.loyalty.redemption.RewardEligibility;
import io.loyalty.reversal.ReversalRules;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import io.loyalty.tiers.TierRules;
import io.loyalty.timers.Timers;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The per-account state machine. Applies validated POS events and commands to the account under the program
 * version in force at their business time, and fires timers: an account's own timers due by the time of its
 * next input, and every timer of the partition when a clock tick passes their due time. Every input ends in
 * ledger entries, a documented no-op, a command result, or a rejection.
 */
final class AccountProcessor extends RejectingProcessor<String, Object> {
  private static final String CLOCK_KEY = "partition-clock";

  private final AvroCodec<ProgramConfig> programCodec;
  private final AvroCodec<TransactionEvent> transactionCodec;
  private final EngineSettings settings;
  private KeyValueStore<String, AccountState> accounts;
  private KeyValueStore<String, TransactionRecord> transactions;
  private KeyValueStore<String, TimerEntry> timers;
  private KeyValueStore<String, ParkedEvents> parked;
  private KeyValueStore<String, Long> clock;
  private WindowStore<String, Long> seen;
  private ProgramStore programs;
  private NoOpCounter anonymousSales;

  AccountProcessor(AvroCodec<ProgramConfig> programCodec, AvroCodec<TransactionEvent> transactionCodec, EngineSettings settings) {
    this.programCodec = programCodec;
    this.transactionCodec = transactionCodec;
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    accounts = context.getStateStore(LoyaltyTopology.ACCOUNTS_STORE);
    transactions = context.getStateStore(LoyaltyTopology.TRANSACTIONS_STORE);
    timers = context.getStateStore(LoyaltyTopology.TIMERS_STORE);
    parked = context.getStateStore(LoyaltyTopology.PARKED_STORE);
    clock = context.getStateStore(LoyaltyTopology.CLOCK_STORE);
    seen = context.getStateStore(LoyaltyTopology.SEEN_STORE);
    programs = new ProgramStore(context.getStateStore(LoyaltyTopology.PROGRAMS_STORE), programCodec);
    anonymousSales = new NoOpCounter(context.metrics(), "anonymous-transactions",
        "POS events without a customer: no account to credit, a documented no-op");
  }

  @Override
  public void process(Record<String, Object> record) {
    Decoded<?> input = (Decoded<?>) record.value();
    if (input.value() instanceof ClockTick tick) {
      onTick(record, tick);
    } else if (input.value() instanceof TransactionEvent event) {
      onTransaction(record, input, event);
    } else {
      onCommand(record, input, (LoyaltyCommand) input.value());
    }
  }

  // --- POS events -------------------------------------------------------------------------------------------

  private void onTransaction(Record<String, Object> record, Decoded<?> input, TransactionEvent event) {
    if (event.getCustomerId() == null) {
      anonymousSales.increment();
      return;
    }
    Optional<ProgramRules> program = programs.inForceAt(event.getOrganizationId(), event.getOccurredAt());
    if (program.isEmpty()) {
      reject(record, input, RejectionReason.UNKNOWN_ORGANIZATION, noProgram(event.getOrganizationId(), event.getOccurredAt()));
      return;
    }
    if (seenBefore(transactionSeenKey(event))) {
      reject(record, input, RejectionReason.DUPLICATE, "event " + event.getEventId() + " was already applied; nothing changed");
      return;
    }
    String accountKey = record.key();
    Account account = load(accountKey, event.getOrganizationId(), event.getCustomerId(), event.getOccurredAt());
    fireOwnTimers(account, event.getOccurredAt());
    assessTier(account, program.get(), event.getOccurredAt(), event.getEventId(), record.timestamp());
    if (event.getType() == TransactionType.PURCHASE) {
      applyPurchase(record, input, event, program.get(), account);
    } else {
      TransactionRecord original = transactions.get(transactionKey(accountKey, event.getOriginalTransactionId()));
      if (original == null) {
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
    String key = transactionKey(account.key, event.getTransactionId());
    TransactionRecord earlier = transactions.get(key);
    if (earlier != null) {
      reject(record, input, RejectionReason.DUPLICATE, "transaction " + event.getTransactionId()
          + " was already applied by event " + earlier.getEventId() + "; nothing changed");
      return;
    }
    AccountBook book = new AccountBook(account.state, context(event, program));
    PurchaseRules.Outcome outcome = PurchaseRules.apply(book, event, program);
    if (outcome.violation().isPresent()) {
      reject(record, input, outcome.violation().get().reason(), outcome.violation().get().message());
      return;
    }
    transactions.put(key, outcome.record());
    markApplied(account, event, record.timestamp());
    publish(book, account, program, record.timestamp());
    applyParkedReversals(account, event.getTransactionId(), program, record.timestamp());
  }

  private void applyReversal(long timestamp, TransactionEvent event, TransactionRecord original, ProgramRules program,
      Account account, java.util.function.Consumer<Violation> onViolation) {
    AccountBook book = new AccountBook(account.state, context(event, program));
    Optional<Violation> violation = ReversalRules.apply(book, event, original, program);
    if (violation.isPresent()) {
      onViolation.accept(violation.get());
      return;
    }
    transactions.put(transactionKey(account.key, original.getTransactionId()), original);
    markApplied(account, event, timestamp);
    publish(book, account, program, timestamp);
  }

  /** A return or void ahead of its purchase waits for it, at most the grace period. */
  private void park(Record<String, Object> record, Decoded<?> input, TransactionEvent event, Account account) {
    String key = transactionKey(account.key, event.getOriginalTransactionId());
    ParkedEvents waiting = Optional.ofNullable(parked.get(key)).orElseGet(() -> new ParkedEvents(List.of()));
    List<ParkedEvent> events = new ArrayList<>(waiting.getEvents());
    var source = context().recordMetadata().orElseThrow();
    events.add(new ParkedEvent(source.topic(), source.partition(), source.offset(), Instant.ofEpochMilli(record.timestamp()),
        ByteBuffer.wrap(input.rawKey() == null ? new byte[0] : input.rawKey()), ByteBuffer.wrap(input.rawValue())));
    parked.put(key, new ParkedEvents(events));
    if (Timers.find(account.state, Timers.id(TimerKind.REVERSAL_GRACE, event.getOriginalTransactionId())).isEmpty()) {
      Timers.schedule(account.state, TimerKind.REVERSAL_GRACE, event.getOriginalTransactionId(),
          event.getOccurredAt().plus(settings.reversalGrace()));
    }
  }

  private void applyParkedReversals(Account account, String transactionId, ProgramRules purchaseProgram, long timestamp) {
    String key = transactionKey(account.key, transactionId);
    ParkedEvents waiting = parked.get(key);
    if (waiting == null) {
      return;
    }
    parked.delete(key);
    Timers.cancel(account.state, TimerKind.REVERSAL_GRACE, transactionId);
    for (ParkedEvent parkedEvent : waiting.getEvents()) {
      TransactionEvent event = transactionCodec.decode(bytes(parkedEvent.getValue()));
      if (seenBefore(transactionSeenKey(event))) {
        rejectParked(parkedEvent, event, RejectionReason.DUPLICATE, "event " + event.getEventId() + " was already applied; nothing changed");
        continue;
      }
      ProgramRules program = programs.inForceAt(event.getOrganizationId(), event.getOccurredAt()).orElse(purchaseProgram);
      TransactionRecord original = transactions.get(key);
      applyReversal(timestamp, event, original, program, account,
          violation -> rejectParked(parkedEvent, event, violation.reason(), violation.message()));
    }
  }

  // --- commands ---------------------------------------------------------------------------------------------

  private void onCommand(Record<String, Object> record, Decoded<?> input, LoyaltyCommand command) {
    Optional<ProgramRules> program = programs.inForceAt(command.getOrganizationId(), command.getIssuedAt());
    if (program.isEmpty()) {
      String message = noProgram(command.getOrganizationId(), command.getIssuedAt());
      reject(record, input, RejectionReason.UNKNOWN_ORGANIZATION, message);
      result(record, command, CommandOutcome.refused(RejectionReason.UNKNOWN_ORGANIZATION.name(), message), null);
      return;
    }
    String seenKey = "C|" + command.getOrganizationId() + "|" + command.getCommandId();
    if (seenBefore(seenKey)) {
      result(record, command, new CommandOutcome(CommandStatus.DUPLICATE, null, "command already applied; nothing changed"),
          accounts.get(record.key()));
      return;
    }
    boolean opensAccount = command.getCommand() instanceof Enroll || command.getCommand() instanceof OptIn
        || command.getCommand() instanceof UpdateProfile;
    if (!opensAccount && accounts.get(record.key()) == null) {
      String message = "customer " + command.getCustomerId() + " has no account in " + command.getOrganizationId();
      reject(record, input, RejectionReason.UNKNOWN_CUSTOMER, message);
      result(record, command, CommandOutcome.refused(RejectionReason.UNKNOWN_CUSTOMER.name(), message), null);
      return;
    }
    Account account = load(record.key(), command.getOrganizationId(), command.getCustomerId(), command.getIssuedAt());
    fireOwnTimers(account, command.getIssuedAt());
    assessTier(account, program.get(), command.getIssuedAt(), command.getCommandId(), record.timestamp());
    AccountBook book = new AccountBook(account.state, new EventContext(command.getCommandId(), command.getIssuedAt(),
        command.getLocationId(), program.get().version(), command.getActor()));
    CommandOutcome outcome = CommandRules.apply(book, command, program.get());
    if (outcome.isApplied()) {
      markSeen(seenKey, record.timestamp());
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
    context().forward(new Record<Object, Object>(result.getAccountKey(), result, record.timestamp()), LoyaltyTopology.RESULTS_SINK);
  }

  // --- time -------------------------------------------------------------------------------------------------

  /**
   * A tick moves the partition's clock forward (never back) and fires every timer due by then, in due order,
   * including those that firing schedules within that time (one tick may pass two year ends).
   */
  private void onTick(Record<String, Object> record, ClockTick tick) {
    Long current = clock.get(CLOCK_KEY);
    Instant now = current != null && current > tick.getAt().toEpochMilli() ? Instant.ofEpochMilli(current) : tick.getAt();
    clock.put(CLOCK_KEY, now.toEpochMilli());
    List<KeyValue<String, TimerEntry>> due;
    while (!(due = dueBy(now)).isEmpty()) {
      for (KeyValue<String, TimerEntry> entry : due) {
        timers.delete(entry.key);
        AccountState state = accounts.get(entry.value.getAccountKey());
        if (state == null) {
          continue;
        }
        Account account = new Account(entry.value.getAccountKey(), state);
        Timers.find(state, entry.value.getTimerId()).ifPresent(timer -> fire(account, timer, record.timestamp()));
        save(account);
      }
    }
  }

  private List<KeyValue<String, TimerEntry>> dueBy(Instant now) {
    List<KeyValue<String, TimerEntry>> due = new ArrayList<>();
    try (KeyValueIterator<String, TimerEntry> range = timers.range(Timers.storeKey(Instant.EPOCH, "", ""), Timers.storeKeyBound(now))) {
      range.forEachRemaining(due::add);
    }
    return due;
  }

  /** Before an account applies an input at time t, its own timers due by t fire, so replay order never matters. */
  private void fireOwnTimers(Account account, Instant time) {
    Optional<Timer> next;
    while ((next = Timers.nextDue(account.state, time)).isPresent()) {
      fire(account, next.get(), context().currentStreamTimeMs());
    }
  }

  private void fire(Account account, Timer timer, long timestamp) {
    AccountState state = account.state;
    Timers.cancel(state, timer.getKind(), timer.getRef());
    Optional<ProgramRules> program = programs.inForceAt(state.getOrganizationId(), timer.getDueAt());
    String cause = Timers.cause(account.key, timer);
    AccountBook book = new AccountBook(state, new EventContext(cause, timer.getDueAt(), null,
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
    String key = transactionKey(account.key, timer.getRef());
    ParkedEvents waiting = parked.get(key);
    if (waiting == null) {
      return;
    }
    parked.delete(key);
    for (ParkedEvent parkedEvent : waiting.getEvents()) {
      TransactionEvent event;
      try {
        event = transactionCodec.decode(bytes(parkedEvent.getValue()));
      } catch (DecodeException e) {
        continue;
      }
      rejectParked(parkedEvent, event, RejectionReason.UNKNOWN_TRANSACTION, "original transaction " + timer.getRef()
          + " was not seen within the grace period of " + settings.reversalGrace());
    }
  }

  // --- state and output -------------------------------------------------------------------------------------

  /** An account being worked on, with the timers it had when loaded so the timers store can follow changes. */
  private static final class Account {
    final String key;
    final AccountState state;
    final Set<String> timersBefore = new HashSet<>();

    Account(String key, AccountState state) {
      this.key = key;
      this.state = state;
      state.getTimers().forEach(timer -> timersBefore.add(Timers.storeKey(timer.getDueAt(), key, timer.getTimerId())));
    }
  }

  private Account load(String key, String organizationId, String customerId, Instant at) {
    AccountState state = accounts.get(key);
    return new Account(key, state != null ? state : AccountBook.open(organizationId, customerId, at));
  }

  private void save(Account account) {
    accounts.put(account.key, account.state);
    Set<String> after = new HashSet<>();
    for (Timer timer : account.state.getTimers()) {
      String storeKey = Timers.storeKey(timer.getDueAt(), account.key, timer.getTimerId());
      after.add(storeKey);
      if (!account.timersBefore.contains(storeKey)) {
        timers.put(storeKey, new TimerEntry(account.key, timer.getTimerId()));
      }
    }
    for (String storeKey : account.timersBefore) {
      if (!after.contains(storeKey)) {
        timers.delete(storeKey);
      }
    }
    account.timersBefore.clear();
    account.timersBefore.addAll(after);
  }

  /**
   * Publishes what a change did. Every change also re-assesses the tier (a purchase may cross a threshold, a
   * return may demote, a year end rolls the basis) and re-plans the account's expiry and tier timers.
   */
  private void publish(AccountBook book, Account account, ProgramRules program, long timestamp) {
    List<LedgerEntry> entries = book.entries();
    String cause = book.context().sourceEventId();
    String tierBefore = account.state.getTier();
    emitRewards(account, program, TierRules.assess(account.state, program, account.state.getClock(), "threshold reached or lost",
        cause).stream().toList(), timestamp);
    emitRewards(account, program, RewardEligibility.changes(account.state, program, tierBefore, account.state.getClock(), cause),
        timestamp);
    entries.forEach(entry -> entry.setTier(account.state.getTier()));
    InactivityExpiry.schedule(account.state, program);
    TierRules.schedule(account.state, program);
    for (LedgerEntry entry : entries) {
      context().forward(new Record<Object, Object>(account.key, entry, timestamp), LoyaltyTopology.LEDGER_SINK);
    }
    if (!entries.isEmpty()) {
      notify(account, NotificationPlanner.forPoints(account.state, program, entries), timestamp);
    }
    context().forward(new Record<Object, Object>(account.key, ProfileView.of(account.state, program), timestamp),
        LoyaltyTopology.PROFILES_SINK);
  }

  /** Before an input applies: a year that ended since the account's last change, or tiers of a new program version. */
  private void assessTier(Account account, ProgramRules program, Instant at, String cause, long timestamp) {
    String reason = account.state.getTier() == null ? "first tier assignment" : "tiers of program version " + program.version();
    emitRewards(account, program, TierRules.assess(account.state, program, at, reason, cause).stream().toList(), timestamp);
  }

  /** Reward-eligibility events, and what the customer is told of them. */
  private void emitRewards(Account account, ProgramRules program, List<RewardEvent> events, long timestamp) {
    for (RewardEvent event : events) {
      context().forward(new Record<Object, Object>(account.key, event, timestamp), LoyaltyTopology.REWARDS_SINK);
    }
    notify(account, NotificationPlanner.forRewards(account.state, program, events), timestamp);
  }

  private void notify(Account account, List<NotificationRequest> requests, long timestamp) {
    for (NotificationRequest request : requests) {
      context().forward(new Record<Object, Object>(account.key, request, timestamp), LoyaltyTopology.NOTIFICATIONS_SINK);
    }
  }

  private boolean seenBefore(String key) {
    // The long-based fetch: the Instant one formats a validation message on every call.
    try (WindowStoreIterator<Long> found = seen.fetch(key, 0L, Long.MAX_VALUE / 2)) {
      return found.hasNext();
    }
  }

  private void markSeen(String key, long timestamp) {
    seen.put(key, timestamp, timestamp);
  }

  /**
   * A POS event is applied: later copies are duplicates, and the account counts it, so that an auditor can
   * account for events that moved no points from the latest profile snapshot (the topic is compacted).
   */
  private void markApplied(Account account, TransactionEvent event, long timestamp) {
    markSeen(transactionSeenKey(event), timestamp);
    account.state.setPosEventsApplied(account.state.getPosEventsApplied() + 1);
  }

  private static String transactionSeenKey(TransactionEvent event) {
    return "T|" + event.getOrganizationId() + "|" + event.getEventId();
  }

  private static String transactionKey(String accountKey, String transactionId) {
    return accountKey + "/" + transactionId;
  }

  private static EventContext context(TransactionEvent event, ProgramRules program) {
    return new EventContext(event.getEventId(), event.getOccurredAt(), event.getLocationId(), program.version(), null);
  }

  private static String noProgram(String organizationId, Instant at) {
    return "no loyalty program of organization " + organizationId + " is in force at " + at;
  }

  private void reject(Record<String, Object> record, Decoded<?> input, RejectionReason reason, String message) {
    String eventId = input.value() instanceof TransactionEvent event ? event.getEventId()
        : ((LoyaltyCommand) input.value()).getCommandId();
    String organizationId = input.value() instanceof TransactionEvent event ? event.getOrganizationId()
        : ((LoyaltyCommand) input.value()).getOrganizationId();
    reject(record, input.rawKey(), input.rawValue(), reason, message, eventId, organizationId);
  }

  private void rejectParked(ParkedEvent parkedEvent, TransactionEvent event, RejectionReason reason, String message) {
    byte[] key = bytes(parkedEvent.getKey());
    context().forward(new Record<Object, Object>(key, Rejections.of(parkedEvent.getSourceTopic(), parkedEvent.getSourcePartition(),
        parkedEvent.getSourceOffset(), parkedEvent.getRecordTimestamp().toEpochMilli(), key, bytes(parkedEvent.getValue()),
        reason, message, event.getEventId(), event.getOrganizationId()), parkedEvent.getRecordTimestamp().toEpochMilli()),
        LoyaltyTopology.REJECTIONS_SINK);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

}
